"""Plain folders with hostile content: wrong types, deep nesting, FIFOs, secrets' permissions."""

from __future__ import annotations

import json
import os
import stat

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.project import (
    PROJECT_FILE,
    SECRETS_FILE,
    find_function,
    open_project,
    save_function,
)
from workbench.core.project.handlers import find_handlers, handler_problem
from workbench.core.project.secrets import write_secrets

HANDLER = "def lambda_handler(event, context):\n    return 1\n"


def _folder(tmp_path, settings: object) -> None:
    (tmp_path / "lambda_function.py").write_text(HANDLER)
    text = settings if isinstance(settings, str) else json.dumps(settings)
    (tmp_path / PROJECT_FILE).write_text(text)


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"functions": [{"name": "f", "layers": 7}]}, "layers of f must be a list"),
        ({"secrets": "oops"}, "secrets must be an object"),
        ({"functions": "oops"}, "functions must be a list"),
        ({"secrets": {"names": 5}}, "secrets.names must be an object"),
        ({"functions": [{"name": "f", "environment": {"A=B": "1"}}]}, "'A=B' is not allowed"),
        ({"functions": [{"name": "f", "environment": {"KEY": "a\u0000b"}}]}, "NUL character"),
        ({"functions": [{"name": "f", "memorySizeMb": 99999}]}, "outside Lambda's range"),
    ],
)
def test_wrongly_typed_project_fields_are_problems_not_tracebacks(tmp_path, settings, expected):
    _folder(tmp_path, settings)
    project = open_project(tmp_path)
    assert any(expected in e for e in project.errors), project.errors


def test_deeply_nested_project_file_is_a_sentence(tmp_path):
    _folder(tmp_path, '{"functions": ' + "[" * 100_000 + "]" * 100_000 + "}")
    project = open_project(tmp_path)
    assert any("nested too deeply" in e for e in project.errors)
    assert project.function_names == [tmp_path.name]


def test_deeply_nested_python_file_does_not_stop_handler_discovery(tmp_path):
    (tmp_path / "lambda_function.py").write_text(HANDLER)
    # MemoryError and RecursionError from the parser (not SyntaxErrors) on CPython 3.11.
    (tmp_path / "deep.py").write_text("x = " + "-" * 100_000 + "1\n")
    (tmp_path / "chain.py").write_text("x = " + "a." * 100_000 + "b\n")
    assert find_handlers(tmp_path) == ["lambda_function.lambda_handler"]
    assert handler_problem(tmp_path, "deep.handler") is None  # cannot tell: the runtime will
    assert handler_problem(tmp_path, "chain.handler") is None
    assert open_project(tmp_path).function_names == [tmp_path.name]


def test_fifo_in_the_folder_is_skipped_not_read(tmp_path):
    (tmp_path / "lambda_function.py").write_text(HANDLER)
    os.mkfifo(tmp_path / "pipe.py")
    os.mkfifo(tmp_path / PROJECT_FILE)
    project = open_project(tmp_path)  # a read of either FIFO would block forever
    assert project.handler_candidates == ["lambda_function.lambda_handler"]
    assert any("is not a regular file" in e for e in project.errors)


def test_code_dir_outside_the_project_is_refused(tmp_path):
    _folder(tmp_path, {"functions": [{"name": "f", "codeDir": "../../.."}]})
    project = open_project(tmp_path)
    assert find_function(project, "f").code_dir == tmp_path.resolve()
    assert any("outside the project" in e for e in project.errors)


def test_secrets_file_is_private_and_refused_in_a_world_writable_folder(tmp_path):
    os.umask(0o022)
    write_secrets(tmp_path, "file", "fn", {"API_KEY": "v"})
    assert stat.S_IMODE((tmp_path / SECRETS_FILE).stat().st_mode) == 0o600
    (tmp_path / SECRETS_FILE).chmod(0o644)
    write_secrets(tmp_path, "file", "fn", {"API_KEY": "w"})
    assert stat.S_IMODE((tmp_path / SECRETS_FILE).stat().st_mode) == 0o600
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o777)
    with pytest.raises(WorkbenchError, match="writable by every user"):
        write_secrets(shared, "file", "fn", {"API_KEY": "v"})
    assert not (shared / SECRETS_FILE).exists()


def test_saving_over_wrongly_typed_fields_repairs_them(tmp_path):
    _folder(tmp_path, {"secrets": "oops", "localEnvironment": 3, "functions": [{"name": "f"}]})
    project = open_project(tmp_path)
    config = find_function(project, "f")
    config.environment = {"API_KEY": "v", "STAGE": "dev"}
    config.secret_names = {"API_KEY"}
    save_function(project, config)
    data = json.loads((tmp_path / PROJECT_FILE).read_text())
    assert data["secrets"]["names"] == {"f": ["API_KEY"]}
    assert find_function(open_project(tmp_path), "f").environment["API_KEY"] == "v"
