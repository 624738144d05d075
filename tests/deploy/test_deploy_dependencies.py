"""requirements.txt installed for Lambda's platform with real pip from PyPI (network needed)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from workbench.core.deploy.dependencies import install_dependencies, pip_command
from workbench.core.deploy.package import build_package
from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.progress import NullSink


class RecordingSink(NullSink):
    def __init__(self) -> None:
        self.steps: list[str] = []

    def progress(self, message: str, fraction: float | None = None) -> None:
        self.steps.append(message)


def _function(code: Path, architecture: str, requirements: str) -> FunctionConfig:
    code.mkdir(parents=True, exist_ok=True)
    (code / "lambda_function.py").write_text("import markupsafe\n")
    (code / "requirements.txt").write_text(requirements)
    return FunctionConfig(
        name="deps", handler="lambda_function.lambda_handler", code_dir=code,
        runtime="python3.12", architecture=architecture,
    )  # fmt: skip


def test_pip_command_maps_runtime_and_architecture(tmp_path: Path) -> None:
    x86 = pip_command(tmp_path, tmp_path / "r.txt", "python3.12", "x86_64")
    arm = pip_command(tmp_path, tmp_path / "r.txt", "python3.13", "arm64")
    assert x86[x86.index("--platform") + 1] == "manylinux2014_x86_64"
    assert arm[arm.index("--platform") + 1] == "manylinux2014_aarch64"
    assert x86[x86.index("--python-version") + 1] == "3.12"
    assert arm[arm.index("--python-version") + 1] == "3.13"
    assert "--only-binary=:all:" in x86
    with pytest.raises(WorkbenchError, match="Python and Node.js runtimes"):
        pip_command(tmp_path, tmp_path / "r.txt", "provided.al2023", "x86_64")


@pytest.mark.slow
@pytest.mark.parametrize(("architecture", "machine"), [("x86_64", "x86_64"), ("arm64", "aarch64")])
def test_compiled_wheel_matches_architecture(
    tmp_path: Path, aws_env: Path, architecture: str, machine: str
) -> None:
    function = _function(tmp_path / "code", architecture, "markupsafe==3.0.2\n")
    sink = RecordingSink()
    deps = install_dependencies(function, sink=sink)
    assert deps is not None
    package = build_package(function, dependencies_dir=deps)
    names = zipfile.ZipFile(io.BytesIO(package.data)).namelist()
    compiled = [n for n in names if n.startswith("markupsafe/_speedups") and n.endswith(".so")]
    assert compiled, names
    assert all(f"cpython-312-{machine}-linux-gnu" in n for n in compiled), compiled
    wheel = zipfile.ZipFile(io.BytesIO(package.data)).read("MarkupSafe-3.0.2.dist-info/WHEEL")
    assert f"manylinux2014_{machine}".encode() in wheel
    assert not any("__pycache__" in n for n in names)
    # Same requirements, runtime and architecture: the cached install is reused, not rebuilt.
    again = RecordingSink()
    assert install_dependencies(function, sink=again) == deps
    assert any("cached" in step for step in again.steps)
    assert not any("cached" in step for step in sink.steps)
    assert build_package(function, dependencies_dir=deps).data == package.data


@pytest.mark.slow
def test_unknown_package_is_a_sentence(tmp_path: Path, aws_env: Path) -> None:
    function = _function(tmp_path / "code", "x86_64", "no-such-package-lambda-workbench-xyz==1\n")
    with pytest.raises(WorkbenchError, match="pip could not install requirements.txt"):
        install_dependencies(function)
    # A failed install leaves nothing behind that a later run could mistake for a cache hit.
    cache = Path(str(aws_env.parent / "cache" / "deploy-deps"))
    assert not any(p for p in cache.iterdir() if not p.name.startswith("."))


def test_container_builds_are_refused_clearly(tmp_path: Path, aws_env: Path) -> None:
    function = _function(tmp_path / "code", "x86_64", "markupsafe\n")
    with pytest.raises(WorkbenchError, match="not supported yet"):
        install_dependencies(function, use_container=True)
