"""The deployment zip: same input -> same bytes, exclusions, permissions, size limits."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from workbench.core.deploy import package as package_module
from workbench.core.deploy.package import build_package
from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.progress import CancelToken


def _names(data: bytes) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(data)).namelist()


def _tree(root: Path) -> None:
    files = {
        "lambda_function.py": "def lambda_handler(e, c):\n    return 1\n",
        "pkg/__init__.py": "",
        "pkg/mod.py": "X = 1\n",
        "pkg/__pycache__/mod.cpython-312.pyc": "junk",
        "stale.pyc": "junk",
        ".git/config": "[core]\n",
        ".venv/lib/site.py": "",
        "lambda-workbench.json": "{}",
        ".lambda-workbench.secrets.json": '{"API_KEY": "x"}',
        "events/hello/default.json": "{}",
        ".aws-sam/build/template.yaml": "",
        "tests/test_it.py": "",
        "README.md": "# hi\n",
        "data/events/keep.txt": "nested events folders are code, only the top one is tooling\n",
        ".lambdaignore": "tests/\n*.md\n",
        "run.sh": "#!/bin/sh\necho hi\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    (root / "run.sh").chmod(0o775)
    (root / "pkg" / "mod.py").chmod(0o600)


def _config(code: Path) -> FunctionConfig:
    return FunctionConfig(name="f", handler="lambda_function.lambda_handler", code_dir=code)


def test_same_input_gives_same_bytes_even_after_touch_and_copy(tmp_path: Path) -> None:
    code = tmp_path / "a"
    _tree(code)
    first = build_package(_config(code))
    second = build_package(_config(code))
    assert first.data == second.data
    # New mtimes and a different location must not change the bytes either.
    for path in code.rglob("*"):
        os.utime(path, (1_900_000_000, 1_900_000_000))
    copy = tmp_path / "b"
    shutil.copytree(code, copy)
    third = build_package(_config(copy))
    assert third.data == first.data
    assert third.code_sha256 == first.code_sha256
    # ...while a code change does.
    (copy / "pkg" / "mod.py").write_text("X = 2\n")
    assert build_package(_config(copy)).code_sha256 != first.code_sha256


def test_exclusions_and_lambdaignore(tmp_path: Path) -> None:
    _tree(tmp_path)
    names = _names(build_package(_config(tmp_path)).data)
    assert names == sorted(names)
    files = [n for n in names if not n.endswith("/")]
    assert files == [
        "data/events/keep.txt",
        "lambda_function.py",
        "pkg/__init__.py",
        "pkg/mod.py",
        "run.sh",
    ]
    for excluded in ("__pycache__", ".git/", ".venv/", "tests/", "events/hello", ".aws-sam"):
        assert not any(n.startswith(excluded) or f"/{excluded}" in n for n in names), excluded


def test_fixed_times_and_normalised_permissions(tmp_path: Path) -> None:
    _tree(tmp_path)
    archive = zipfile.ZipFile(io.BytesIO(build_package(_config(tmp_path)).data))
    modes = {info.filename: (info.external_attr >> 16) & 0o777 for info in archive.infolist()}
    assert modes["run.sh"] == 0o755
    assert modes["pkg/mod.py"] == 0o644  # was 0o600
    assert modes["lambda_function.py"] == 0o644
    assert modes["pkg/"] == 0o755
    assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_size_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path)
    package = build_package(_config(tmp_path))
    assert not package.needs_s3
    assert package.unzipped_bytes == sum(
        len((tmp_path / n).read_bytes()) for n in _names(package.data) if not n.endswith("/")
    )
    # Lowering the limits stands in for 50/250 MB of real files.
    monkeypatch.setattr(package_module, "MAX_ZIPPED_BYTES", 100)
    assert package.needs_s3
    monkeypatch.setattr(package_module, "MAX_UNZIPPED_BYTES", 100)
    with pytest.raises(WorkbenchError, match="250 MB"):
        build_package(_config(tmp_path))


def test_missing_folder_and_cancel(tmp_path: Path) -> None:
    with pytest.raises(WorkbenchError, match="does not exist"):
        build_package(_config(tmp_path / "nope"))
    _tree(tmp_path)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        build_package(_config(tmp_path), cancel=token)
