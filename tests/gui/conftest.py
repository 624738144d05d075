"""GUI test fixtures: settings/data in tmp_path, the process runner."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def workbench_dirs(tmp_path, monkeypatch):
    """Settings, data and cache folders in tmp_path; handlers run as local processes."""
    for name in ("CONFIG", "DATA", "CACHE", "PROJECTS"):
        folder = tmp_path / name.lower()
        folder.mkdir()
        monkeypatch.setenv(f"LAMBDA_WORKBENCH_{name}_DIR", str(folder))
    (tmp_path / "config" / "settings.json").write_text('{"runner": "process", "theme": "light"}')
    return tmp_path
