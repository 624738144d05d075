"""Plain-folder projects: handler discovery, the default function and lambda-workbench.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.project import PROJECT_FILE, find_function, open_project, save_function
from workbench.resources import example_dir


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_bundled_example_is_one_function_named_after_its_folder():
    project = open_project(example_dir())
    assert project.kind == "folder"
    assert [f.name for f in project.functions] == ["hello-python"]
    function = find_function(project)
    assert function.handler == "lambda_function.lambda_handler"
    assert function.code_dir == example_dir().resolve()
    assert project.errors == []


def test_handlers_are_found_without_importing(tmp_path):
    # Importing this module would raise; discovery must only parse it.
    write(
        tmp_path / "app.py",
        "raise SystemExit('imported!')\n\ndef handler(event, context):\n"
        "    return 1\n\ndef add(a, b):\n    return a + b\n",
    )
    write(tmp_path / "pkg" / "jobs.py", "async def run(event, ctx):\n    pass\n")
    write(tmp_path / "broken.py", "def handler(event, context)\n")
    write(tmp_path / ".venv" / "lib.py", "def handler(event, context):\n    pass\n")
    project = open_project(tmp_path)
    assert project.handler_candidates == ["app.handler", "pkg.jobs.run"]
    function = find_function(project)
    assert function.name == tmp_path.name
    assert function.handler == "app.handler"  # no lambda_function.py: first candidate
    assert project.errors == []


def test_console_default_handler_wins_over_earlier_candidates(tmp_path):
    write(tmp_path / "aaa.py", "def handler(event, context):\n    pass\n")
    write(tmp_path / "lambda_function.py", "def lambda_handler(event, context):\n    pass\n")
    assert find_function(open_project(tmp_path)).handler == "lambda_function.lambda_handler"


def test_empty_folder_reports_the_missing_handler(tmp_path):
    project = open_project(tmp_path)
    assert len(project.functions) == 1
    assert "lambda_function.py" in project.errors[0]


def test_settings_are_saved_to_a_readable_project_file_and_reloaded(tmp_path):
    write(tmp_path / "lambda_function.py", "def lambda_handler(event, context):\n    pass\n")
    project = open_project(tmp_path)
    function = find_function(project)
    function.memory_mb = 1024
    function.timeout_s = 30
    function.architecture = "arm64"
    function.ephemeral_storage_mb = 2048
    function.runtime = "python3.13"
    function.environment = {"STAGE": "dev"}
    save_function(project, function)
    data = json.loads((tmp_path / PROJECT_FILE).read_text())
    assert data["functions"][0]["memorySizeMb"] == 1024
    assert data["functions"][0]["environment"] == {"STAGE": "dev"}
    again = find_function(open_project(tmp_path), tmp_path.name)
    assert (again.memory_mb, again.timeout_s, again.architecture) == (1024, 30, "arm64")
    assert (again.ephemeral_storage_mb, again.runtime) == (2048, "python3.13")
    assert again.environment == {"STAGE": "dev"}


def test_several_functions_in_one_folder(tmp_path):
    write(tmp_path / "a.py", "def handler(event, context):\n    pass\n")
    write(tmp_path / "b.py", "def handler(event, context):\n    pass\n")
    write(
        tmp_path / PROJECT_FILE,
        json.dumps(
            {
                "functions": [
                    {"name": "first", "handler": "a.handler"},
                    {"name": "second", "handler": "b.handler", "timeoutSeconds": 60},
                ]
            }
        ),
    )
    project = open_project(tmp_path)
    assert project.function_names == ["first", "second"]
    assert find_function(project, "second").timeout_s == 60
    with pytest.raises(WorkbenchError, match="available: first, second"):
        find_function(project, "third")


def test_limits_are_validated_before_saving(tmp_path):
    write(tmp_path / "lambda_function.py", "def lambda_handler(event, context):\n    pass\n")
    project = open_project(tmp_path)
    function = find_function(project)
    function.memory_mb = 64
    with pytest.raises(WorkbenchError, match="Memory size 64 MB"):
        save_function(project, function)
    assert not (tmp_path / PROJECT_FILE).exists()


def test_broken_project_file_is_reported_and_never_overwritten(tmp_path):
    write(tmp_path / "lambda_function.py", "def lambda_handler(event, context):\n    pass\n")
    broken = write(tmp_path / PROJECT_FILE, '{"functions": [\n')
    project = open_project(tmp_path)
    assert PROJECT_FILE in project.errors[0]
    with pytest.raises(WorkbenchError, match="not valid JSON"):
        save_function(project, find_function(project))
    assert broken.read_text() == '{"functions": [\n'


def test_missing_handler_function_and_unknown_runtime_are_errors(tmp_path):
    write(tmp_path / "app.py", "def other(event, context):\n    pass\n")
    write(
        tmp_path / PROJECT_FILE,
        json.dumps(
            {
                "functions": [
                    {"name": "f", "handler": "app.handler", "runtime": "python2.7"},
                    {"name": "g", "handler": "app.handler"},
                ]
            }
        ),
    )
    project = open_project(tmp_path)
    assert any("'python2.7' is not a Lambda runtime" in e for e in project.errors)
    assert any(
        "g: Handler 'app.handler': app.py has no top-level function" in e for e in project.errors
    )


def test_missing_path_is_a_sentence(tmp_path):
    with pytest.raises(WorkbenchError, match="does not exist"):
        open_project(tmp_path / "nope")
