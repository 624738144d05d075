"""Fixtures for project tests: copies of the fixture templates in a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def copy_fixture(tmp_path):
    def copy(name: str) -> Path:
        target = tmp_path / name
        shutil.copytree(FIXTURES / name, target)
        return target

    return copy


@pytest.fixture(autouse=True)
def _private_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("LAMBDA_WORKBENCH_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("LAMBDA_WORKBENCH_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("LAMBDA_WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
