"""Errors in the editor: syntax and import errors on their line, lint squiggles, links, banners."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.gui.test_invoke_flow import invoke_and_wait
from tests.gui.test_window import make_window
from workbench.core.stack_frames import user_frames

SYNTAX = "import json\n\n\ndef lambda_handler(event, context)\n    return 1\n"
IMPORT = "import os\nimport not_installed_anywhere\n\n\ndef lambda_handler(e, c):\n    return 1\n"


def make_function(tmp_path, source):
    folder = tmp_path / "fn"
    folder.mkdir()
    (folder / "lambda_function.py").write_text(source)
    return folder


def test_a_syntax_error_is_marked_on_its_line(qtbot, tmp_path):
    folder = make_function(tmp_path, SYNTAX)
    window = make_window(qtbot, folder)
    result = invoke_and_wait(qtbot, window)
    assert result is not None and result.error["errorType"] == "Runtime.UserCodeSyntaxError"
    editor = window.tabs.editor_for(folder / "lambda_function.py")
    assert editor is not None
    assert editor.error_lines() == [4]
    assert "UserCodeSyntaxError" in editor.annotation(4)


def test_an_import_error_is_marked_on_the_import(qtbot, tmp_path):
    folder = make_function(tmp_path, IMPORT)
    window = make_window(qtbot, folder)
    result = invoke_and_wait(qtbot, window)
    assert result is not None and result.error["errorType"] == "Runtime.ImportModuleError"
    editor = window.tabs.editor_for(folder / "lambda_function.py")
    assert editor is not None and editor.error_lines() == [2]


def test_container_paths_map_to_the_host_file(tmp_path):
    (tmp_path / "app.py").write_text("x\n" * 5)
    error = {"errorType": "Runtime.UserCodeSyntaxError",
             "errorMessage": "Syntax error in module 'app': invalid syntax (app.py, line 3)",
             "stackTrace": ['  File "/var/task/app.py" Line 3\n    def f(\n']}  # fmt: skip
    frames = user_frames(error, "", tmp_path)
    assert [(f.path, f.line) for f in frames] == [((tmp_path / "app.py").resolve(), 3)]


def test_a_log_link_to_var_task_opens_the_host_file(qtbot, tmp_path):
    folder = make_function(tmp_path, "def lambda_handler(e, c):\n    return 1\n")
    (folder / "util.py").write_text("A = 1\nB = 2\n")
    window = make_window(qtbot, folder)
    window.results_pane.file_link_activated.emit("/var/task/util.py", 2)
    editor = window.tabs.current_editor()
    assert editor is not None and editor.path == (folder / "util.py").resolve()
    assert editor.lineFromPosition(editor.currentPos()) == 1


def test_lint_squiggles_appear_on_save_and_clear_when_fixed(qtbot, tmp_path):
    folder = make_function(tmp_path, "def lambda_handler(e, c):\n    return 1\n")
    window = make_window(qtbot, folder)
    editor = window.tabs.current_editor()
    assert editor is not None
    editor.set_text("import os\n\ndef lambda_handler(e, c):\n    return undefined_name\n")
    editor.insertText(0, " ")
    editor.deleteRange(0, 1)  # typed and undone: the buffer is dirty
    with qtbot.waitSignal(window.tabs.linted, timeout=10_000):
        window.actions_by_id["save"].trigger()
    assert editor.lint_lines() == [1, 4]
    assert any("undefined name" in m.message for m in editor.lint_marks)
    editor.set_text("def lambda_handler(e, c):\n    return 1\n")
    editor.insertText(0, "\n")
    with qtbot.waitSignal(window.tabs.linted, timeout=10_000):
        window.actions_by_id["save"].trigger()
    assert editor.lint_lines() == []


def test_project_banner_clears_when_the_cause_is_fixed_and_can_be_dismissed(qtbot, tmp_path):
    folder = make_function(tmp_path, "def lambda_handler(e, c):\n    return 1\n")
    window = make_window(qtbot, folder)
    window.banner.show_problem("project", "Something about the project.")
    assert window.banner.isVisible()
    with qtbot.waitSignal(window.project_reloaded):
        window.reload_project()  # nothing wrong with the project: its banner goes
    assert not window.banner.isVisible()
    window.show_banner("A one-off problem.")
    qtbot.mouseClick(window.banner.close_button, Qt.MouseButton.LeftButton)
    assert not window.banner.isVisible()
