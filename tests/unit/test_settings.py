"""Settings store and atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.settings import Settings, atomic_write_text


def test_atomic_write_keeps_mode_and_gives_new_files_normal_permissions(tmp_path):
    existing = tmp_path / "template.yaml"
    existing.write_text("a")
    existing.chmod(0o640)
    atomic_write_text(existing, "b")
    assert existing.read_text() == "b" and existing.stat().st_mode & 0o777 == 0o640
    fresh = tmp_path / "new.json"
    atomic_write_text(fresh, "{}")
    umask = os.umask(0)
    os.umask(umask)
    assert fresh.stat().st_mode & 0o777 == 0o666 & ~umask
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_settings_round_trip_and_validation(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    assert settings.get("runner") == "auto"
    settings.set("runner", "process")
    assert Settings(tmp_path / "settings.json").get("runner") == "process"
    with pytest.raises(WorkbenchError, match="one of auto, docker, process"):
        settings.set("runner", "cloud")
    with pytest.raises(WorkbenchError, match="at least"):
        settings.set("log_line_cap", 1)


def test_corrupt_settings_file_falls_back_with_a_sentence(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("{not json")
    settings = Settings(path)
    assert settings.get("runner") == "auto"
    assert settings.load_problem and "using defaults" in settings.load_problem


def test_deeply_nested_or_invalid_settings_are_said_once(tmp_path):
    path = tmp_path / "settings.json"
    path.write_text("[" * 100_000 + "]" * 100_000)
    first = Settings(path)
    assert first.get("runner") == "auto"
    assert first.take_load_problem() and "nested too deeply" in first.load_problem
    assert Settings(path).take_load_problem() is None  # said once per process
    path.write_text('{"runner": "nowhere", "history_runs": 5}')
    settings = Settings(path)
    assert settings.get("runner") == "auto" and settings.get("history_runs") == 5
    assert "invalid values for runner" in settings.take_load_problem()


def test_forced_mode_for_secret_files(tmp_path):
    path = tmp_path / "secret.json"
    path.write_text("{}")
    os.chmod(path, 0o644)
    atomic_write_text(path, "{}", mode=0o600)
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_a_writer_made_earlier_never_overwrites_a_later_one(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    older = settings.remember("recent_projects", ["/a"])
    newer = settings.remember("recent_projects", ["/b", "/a"])
    newer()
    older()  # a worker that ran late
    assert Settings(tmp_path / "settings.json").get("recent_projects") == ["/b", "/a"]


def test_flush_writes_what_a_writer_has_not_written_yet(tmp_path):
    settings = Settings(tmp_path / "settings.json")
    settings.remember("recent_projects", ["/a"])  # its writer never ran
    assert not (tmp_path / "settings.json").exists()
    settings.flush()
    assert Settings(tmp_path / "settings.json").get("recent_projects") == ["/a"]


@pytest.mark.parametrize(
    "env",
    [
        {"HOME": "/home/ada"},
        {"HOME": "/home/ada/"},
        {"HOME": "/"},
        {
            "HOME": "/home/ada",
            "XDG_CONFIG_HOME": "/x/conf",
            "XDG_DATA_HOME": "/x/data/",
            "XDG_CACHE_HOME": "/x/cache",
        },
        {
            "HOME": "/home/ada",
            "XDG_CONFIG_HOME": "relative",
            "XDG_DATA_HOME": "",
            "XDG_CACHE_HOME": "~/cache",
        },
        {"HOME": "relative/home"},
        {"HOME": ""},
    ],
)
def test_user_folders_are_the_ones_platformdirs_gives(monkeypatch, env):
    # settings works these out itself on Linux (importing platformdirs cost ~9 ms of every
    # CLI start); they must stay what platformdirs says.
    import platformdirs

    from workbench.core import settings

    for name in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for kind in ("config", "data", "cache"):
        expected = getattr(platformdirs, f"user_{kind}_dir")("lambda-workbench", appauthor=False)
        assert settings._user_dir(kind) == Path(expected), kind
