"""reaper.load_code: the bootstrap's compiled code is reused only for identical source."""

from __future__ import annotations

import marshal
import os
import sys

import pytest

from workbench.core.runtime import reaper
from workbench.core.runtime.reaper import load_code

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def run(code) -> dict:
    scope: dict = {}
    exec(code, scope)
    return scope


def test_the_code_is_compiled_once_and_then_read_from_the_cache(tmp_path):
    script = tmp_path / "boot.py"
    script.write_text("VALUE = 1\n")
    cache = tmp_path / "cache"
    assert run(load_code(str(script), str(cache)))["VALUE"] == 1
    [kept] = list(cache.iterdir())
    # Named for the exact interpreter: another Python's code objects are never loaded.
    assert kept.name.startswith(f"{sys.implementation.cache_tag}-")
    assert f"-{sys.hexversion:x}%" in kept.name
    assert cache.stat().st_mode & 0o777 == 0o700 and kept.stat().st_mode & 0o777 == 0o600
    # A cached entry for the same source is used as it is (here: other code, to tell).
    kept.write_bytes(marshal.dumps((script.read_bytes(), compile("VALUE = 2", "x", "exec"))))
    assert run(load_code(str(script), str(cache)))["VALUE"] == 2


def test_an_edited_script_is_compiled_again(tmp_path):
    script = tmp_path / "boot.py"
    script.write_text("VALUE = 1\n")
    cache = tmp_path / "cache"
    load_code(str(script), str(cache))
    script.write_text("VALUE = 3\n")  # same size, maybe the same second: the source decides
    assert run(load_code(str(script), str(cache)))["VALUE"] == 3
    assert run(load_code(str(script), str(cache)))["VALUE"] == 3


def test_a_broken_cache_entry_is_replaced(tmp_path):
    script = tmp_path / "boot.py"
    script.write_text("VALUE = 4\n")
    cache = tmp_path / "cache"
    load_code(str(script), str(cache))
    [kept] = list(cache.iterdir())
    kept.write_bytes(b"\x00garbage")
    assert run(load_code(str(script), str(cache)))["VALUE"] == 4
    assert marshal.loads(kept.read_bytes())[0] == script.read_bytes()


def test_a_cache_folder_others_can_write_to_is_not_trusted(tmp_path):
    script = tmp_path / "boot.py"
    script.write_text("VALUE = 5\n")
    cache = tmp_path / "cache"
    cache.mkdir()
    cache.chmod(0o777)
    planted = cache / f"{reaper._interpreter_tag()}{str(script).replace(os.sep, '%')}.code"
    planted.write_bytes(marshal.dumps((script.read_bytes(), compile("VALUE = 6", "x", "exec"))))
    assert run(load_code(str(script), str(cache)))["VALUE"] == 5
    assert run(load_code(str(script), None))["VALUE"] == 5  # no cache at all


def test_the_cache_folder_is_made_with_its_parents(tmp_path):
    script = tmp_path / "boot.py"
    script.write_text("VALUE = 7\n")
    cache = tmp_path / "fresh" / "home" / "code"
    assert run(load_code(str(script), str(cache)))["VALUE"] == 7
    assert len(list(cache.iterdir())) == 1
