"""Shared test setup: every test gets its own config, data and cache folders."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    root = tmp_path_factory.mktemp("workbench-home")
    for name in ("CONFIG", "DATA", "CACHE", "PROJECTS"):
        monkeypatch.setenv(f"LAMBDA_WORKBENCH_{name}_DIR", str(root / name.lower()))
    # Never let a developer's real credentials reach a function under test.
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
