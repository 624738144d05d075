"""Which frames of a trace are the user's: /var/task paths map to the function's folder."""

from __future__ import annotations

from workbench.core.stack_frames import error_sentence, local_path, user_frames


def test_var_task_frames_map_to_the_code_folder_and_library_frames_are_dropped(tmp_path):
    (tmp_path / "app.py").write_text("x\n" * 20)
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "util.py").write_text("y\n" * 20)
    error = {
        "errorType": "KeyError",
        "errorMessage": "'name'",
        "stackTrace": [
            '  File "/var/runtime/bootstrap.py", line 60, in handle\n    x()\n',
            '  File "/var/task/app.py", line 12, in lambda_handler\n    util.go(event)\n',
            f'  File "{tmp_path}/lib/util.py", line 3, in go\n    return event["name"]\n',
        ],
    }
    frames = user_frames(error, "", tmp_path)
    assert [(f.path.name, f.line) for f in frames] == [("app.py", 12), ("util.py", 3)]
    assert error_sentence(error) == "KeyError: 'name'"


def test_node_frames_and_logs_fallback(tmp_path):
    (tmp_path / "index.mjs").write_text("a\n" * 10)
    logs = "ERROR Invoke Error\n    at handler (file:///var/task/index.mjs:5:11)\n"
    frames = user_frames({"errorType": "TypeError", "stackTrace": None}, logs, tmp_path)
    assert [(f.path.name, f.line) for f in frames] == [("index.mjs", 5)]


def test_paths_outside_the_folder_or_missing_are_not_user_files(tmp_path):
    assert local_path("/var/task/missing.py", tmp_path) is None
    assert local_path("/usr/lib/python3.12/json/__init__.py", tmp_path) is None


def test_an_import_error_points_at_the_import_line(tmp_path):
    (tmp_path / "app.py").write_text("import os\nfrom requests import get\n")
    error = {"errorType": "Runtime.ImportModuleError",
             "errorMessage": "Unable to import module 'app': No module named 'requests'",
             "stackTrace": []}  # fmt: skip
    assert [(f.path.name, f.line) for f in user_frames(error, "", tmp_path)] == [("app.py", 2)]
