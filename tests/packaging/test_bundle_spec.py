"""The desktop bundle spec keeps everything the code needs when it trims the bundle."""

from __future__ import annotations

import ast
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "packaging" / "lambda-workbench.spec"


def _spec_constant(name: str) -> object:
    for node in ast.parse(SPEC.read_text()).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"{name} is not assigned in {SPEC.name}")


def test_bundle_keeps_the_model_of_every_aws_service_the_code_calls() -> None:
    used = set()
    for path in (REPO / "workbench").rglob("*.py"):
        used |= set(re.findall(r"\.client\(\s*[\"']([a-z0-9-]+)[\"']", path.read_text()))
    assert "lambda" in used  # the scan itself works
    kept = _spec_constant("BOTOCORE_SERVICES")
    assert isinstance(kept, set)
    assert used <= kept, f"add {sorted(used - kept)} to BOTOCORE_SERVICES in {SPEC.name}"


def test_bundle_keeps_the_qt_modules_the_code_imports() -> None:
    imported = set()
    for path in (REPO / "workbench").rglob("*.py"):
        imported |= set(re.findall(r"PySide6\.(Qt\w+)", path.read_text()))
    assert "QtWidgets" in imported
    excluded = {
        name
        for node in ast.walk(ast.parse(SPEC.read_text()))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        for name in node.value.split()
        if name.startswith("Qt")
    }
    assert not imported & excluded, (
        f"the spec leaves out Qt modules the app imports: {imported & excluded}"
    )


def _collection_modes() -> dict[str, str]:
    for node in ast.walk(ast.parse(SPEC.read_text())):
        if isinstance(node, ast.keyword) and node.arg == "module_collection_mode":
            value = ast.literal_eval(node.value)
            assert isinstance(value, dict)
            return value
    raise AssertionError(f"no module_collection_mode in {SPEC.name}")


def test_bundle_ships_as_files_the_modules_a_child_python_runs_as_scripts() -> None:
    # In the archive a module has no file of its own, and `python FILE` needs one.
    scripts = {
        "workbench.core.runtime.bootstrap",  # python.bootstrap_path()
        "workbench.core.runtime.reaper",  # reaper.__file__ in the launch argv
    }
    for path in (REPO / "workbench").rglob("*.py"):
        package = ".".join(path.relative_to(REPO).parent.parts)
        for name in re.findall(r"Path\(__file__\)\.with_name\(\"(\w+)\.py\"\)", path.read_text()):
            scripts.add(f"{package}.{name}")
    assert "workbench.core.debug.launcher" in scripts  # the scan itself works
    modes = _collection_modes()
    missing = sorted(s for s in scripts if modes.get(s) != "py")
    assert not missing, f"collect {missing} as 'py' in {SPEC.name}'s module_collection_mode"
    # The folder put on a debugged container's PYTHONPATH is shipped as files too.
    assert 'includes=["site/*.py"]' in SPEC.read_text()
