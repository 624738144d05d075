"""Packaging never uploads what is outside the folder, never hangs, never clobbers devices."""

from __future__ import annotations

import io
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from workbench.core.deploy.package import build_package
from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip


def _function(code: Path) -> FunctionConfig:
    return FunctionConfig(name="fn", handler="lambda_function.lambda_handler", code_dir=code)


def _members(code: Path) -> dict[str, zipfile.ZipInfo]:
    archive = zipfile.ZipFile(io.BytesIO(build_package(_function(code)).data))
    return {info.filename: info for info in archive.infolist()}


def test_links_inside_the_folder_are_stored_as_links(function_dir: Path) -> None:
    (function_dir / "lib").mkdir()
    (function_dir / "lib" / "real.py").write_text("X = 1\n")
    (function_dir / "alias.py").symlink_to("lib/real.py")
    (function_dir / "shared").symlink_to(function_dir / "lib")  # absolute, but inside
    archive = zipfile.ZipFile(io.BytesIO(build_package(_function(function_dir)).data))
    for name, target in (("alias.py", b"lib/real.py"), ("shared", b"lib")):
        assert stat.S_ISLNK(archive.getinfo(name).external_attr >> 16), name
        assert archive.read(name) == target
    assert "lib/real.py" in archive.namelist()


@pytest.mark.parametrize("target", ["/etc/passwd", "../outside.txt", "/etc"])
def test_links_pointing_outside_the_folder_are_refused(function_dir: Path, target: str) -> None:
    (function_dir.parent / "outside.txt").write_text("private\n")
    (function_dir / "leak").symlink_to(target)
    with pytest.raises(WorkbenchError, match="outside the function folder"):
        build_package(_function(function_dir))


def test_fifos_are_skipped_and_secrets_never_packaged(function_dir: Path) -> None:
    os.mkfifo(function_dir / "pipe")  # reading it would block forever
    (function_dir / ".lambda-workbench.secrets.json").write_text('{"fn": {"K": "v"}}')
    (function_dir / ".lambdaignore").write_text("!.lambda-workbench.secrets.json\n")
    for name in (".env", ".env.local", "credentials", ".netrc", ".git", ".aws/config"):
        (function_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (function_dir / name).write_text("secret\n")
    members = _members(function_dir)
    assert sorted(members) == ["lambda_function.py"]


def test_package_out_replaces_only_regular_files(function_dir: Path, tmp_path: Path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me\n")
    link = tmp_path / "link.zip"
    link.symlink_to(victim)
    fifo = tmp_path / "fifo.zip"
    os.mkfifo(fifo)
    # (A device such as /dev/full is refused the same way; not tried here, since before the
    # fix, as root, the test itself would have replaced it.)
    for out in (link, fifo, tmp_path):
        result = _cli("package", str(function_dir), "--out", str(out))
        assert result.returncode == 2, (out, result.stderr)
        assert "not a regular file, so it is not replaced" in result.stderr
    assert link.is_symlink() and victim.read_text() == "keep me\n"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    regular = tmp_path / "old.zip"
    regular.write_text("old")
    assert _cli("package", str(function_dir), "--out", str(regular)).returncode == 0
    assert zipfile.is_zipfile(regular)
