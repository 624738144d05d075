"""Projects in the window: the example copy, recent projects, the active function, new files."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QInputDialog, QMessageBox

from tests.gui.test_invoke_flow import invoke_and_wait
from tests.gui.test_window import make_window, open_and_wait, wait_opened
from workbench.core.settings import Settings
from workbench.resources import example_dir

SOURCE = "def lambda_handler(event, context):\n    return {NAME!r}\n"


def function_folder(parent, name):
    folder = parent / name
    folder.mkdir(parents=True)
    (folder / "lambda_function.py").write_text(SOURCE.replace("{NAME!r}", repr(name)))
    return folder


def two_handler_folder(tmp_path):
    """One folder, two functions in lambda-workbench.json."""
    root = tmp_path / "multi"
    for name in ("alpha", "beta"):
        function_folder(root, name)
    entries = [{"name": n, "codeDir": n, "handler": "lambda_function.lambda_handler"}
               for n in ("alpha", "beta")]  # fmt: skip
    (root / "lambda-workbench.json").write_text(json.dumps({"version": 1, "functions": entries}))
    return root


def test_saving_the_example_never_writes_into_the_installed_package(qtbot, workbench_dirs):
    bundled = example_dir() / "lambda_function.py"
    original = bundled.read_text()
    window = make_window(qtbot)
    editor = window.tabs.current_editor()
    assert editor is not None and editor.path is not None
    editor.insertText(0, "# my change\n")
    qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert bundled.read_text() == original
    copy = workbench_dirs / "projects" / "hello-python" / "lambda_function.py"
    assert copy.read_text().startswith("# my change\n")


def test_restart_reopens_the_last_project_and_file_recent_lists_it(qtbot, tmp_path):
    first = function_folder(tmp_path, "first")
    second = function_folder(tmp_path, "second")
    window = make_window(qtbot, first)
    open_and_wait(qtbot, window, second)
    window.close()
    again = make_window(qtbot)  # no path: what was open last
    assert again.project is not None and again.project.root == second.resolve()
    entries = [a.text() for a in again.recent_menu.actions()]
    assert entries[:2] == [str(second.resolve()), str(first.resolve())]
    with qtbot.waitSignal(again.project_opened):
        again.recent_menu.actions()[1].trigger()
    assert again.project.root == first.resolve()


def test_opening_another_project_closes_its_tabs_and_clears_the_result(
    qtbot, tmp_path, monkeypatch
):
    first = function_folder(tmp_path, "first")
    window = make_window(qtbot, first)
    result = invoke_and_wait(qtbot, window)
    assert result is not None and result.succeeded
    window.tabs.open_file(first / "lambda_function.py").insertText(0, "# unsaved\n")
    asked = []

    def answer(*args, **_kw):
        asked.append(args)
        return QMessageBox.StandardButton.Save

    monkeypatch.setattr(QMessageBox, "question", answer)
    second = function_folder(tmp_path, "second")
    open_and_wait(qtbot, window, second)
    assert window.project is not None and window.project.root == second.resolve()
    assert asked, "unsaved edits were asked about"
    assert (first / "lambda_function.py").read_text().startswith("# unsaved\n")
    assert [e.path.parent.name for e in window.tabs.editors() if e.path] == ["second"]
    assert window.results_pane.result is None
    assert window.last_result is None


def test_clicking_a_function_in_the_tree_makes_it_the_one_invoke_runs(qtbot, tmp_path):
    window = make_window(qtbot, two_handler_folder(tmp_path))
    assert window.function_combo.count() == 2
    item = next(window.tree.topLevelItem(i) for i in range(window.tree.topLevelItemCount())
                if window.tree.topLevelItem(i).text(0) == "beta")  # fmt: skip
    rect = window.tree.visualItemRect(item)
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.function_combo.currentText() == "beta"
    result = invoke_and_wait(qtbot, window)
    assert result is not None and result.payload_json() == "beta"


def test_the_last_result_is_kept_per_function(qtbot, tmp_path):
    window = make_window(qtbot, two_handler_folder(tmp_path))
    alpha = invoke_and_wait(qtbot, window)
    window.function_combo.setCurrentText("beta")
    assert window.results_pane.result is None  # beta has not run yet
    beta = invoke_and_wait(qtbot, window)
    window.function_combo.setCurrentText("alpha")
    assert window.results_pane.result is alpha
    assert window.last_result is alpha  # what Deploy compares against
    window.function_combo.setCurrentText("beta")
    assert window.results_pane.result is beta


def test_new_function_from_a_starter_is_created_selected_and_runs(qtbot, tmp_path):
    root = two_handler_folder(tmp_path)
    window = make_window(qtbot, root)
    window.actions_by_id["new_function"].trigger()
    dialog = window.new_function_dialog
    qtbot.waitExposed(dialog)
    dialog.starters.setCurrentRow(
        next(i for i in range(dialog.starters.count()) if "(api)" in dialog.starters.item(i).text())
    )
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "orders")
    with qtbot.waitSignals([dialog.created, window.project_reloaded], timeout=10_000):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)  # fmt: skip
    assert window.function_combo.currentText() == "orders"
    assert (root / "orders" / "lambda_function.py").is_file()
    assert list((root / "events" / "orders").glob("*.json"))
    result = invoke_and_wait(qtbot, window)
    assert result is not None and result.succeeded, result and result.error
    assert result.payload_json()["statusCode"] == 200


def test_new_node_function_from_the_dialog_runs_in_node(qtbot, tmp_path):
    root = two_handler_folder(tmp_path)
    window = make_window(qtbot, root)
    window.actions_by_id["new_function"].trigger()
    dialog = window.new_function_dialog
    qtbot.waitExposed(dialog)
    dialog.runtime.setCurrentIndex(dialog.runtime.findData("nodejs22.x"))
    assert "(hello)" in dialog.starters.item(0).text()
    dialog.name.clear()
    qtbot.keyClicks(dialog.name, "greeter")
    with qtbot.waitSignals([dialog.created, window.project_reloaded], timeout=10_000):
        qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Ok),
                         Qt.MouseButton.LeftButton)  # fmt: skip
    assert window.function_combo.currentText() == "greeter"
    assert (root / "greeter" / "index.mjs").is_file()
    assert window.session.function.runtime == "nodejs22.x"
    result = invoke_and_wait(qtbot, window)
    assert result is not None and result.succeeded, result and result.error


def test_a_bad_function_name_is_explained_in_the_dialog(qtbot, tmp_path):
    window = make_window(qtbot, two_handler_folder(tmp_path))
    window.actions_by_id["new_function"].trigger()
    dialog = window.new_function_dialog
    dialog.name.setText("alpha")  # taken
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: not dialog.problem.isHidden())
    assert "already exists" in dialog.problem.text()
    assert dialog.isVisible()


def test_an_empty_folder_offers_a_starter(qtbot, tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window = make_window(qtbot, function_folder(tmp_path, "start"))
    open_and_wait(qtbot, window, empty)
    dialog = window.new_function_dialog
    qtbot.waitExposed(dialog)
    with qtbot.waitSignals([dialog.created, window.project_opened], timeout=10_000):
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    wait_opened(qtbot, window)
    assert window.project is not None and window.project.root == empty.resolve()
    assert (empty / "lambda-workbench.json").is_file()
    assert "lambda-workbench.json" not in window.banner.text()


def test_new_file_rename_and_delete_from_the_tree(qtbot, tmp_path, monkeypatch):
    folder = function_folder(tmp_path, "fn")
    window = make_window(qtbot, folder)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("util.py", True))
    with qtbot.waitSignal(window.tree.filled, timeout=10_000):
        window.tree.new_file_requested.emit(folder)
    assert (folder / "util.py").is_file()
    assert folder / "util.py" in window.tree.file_items()
    editor = window.tabs.current_editor()
    assert editor is not None and editor.path == folder / "util.py"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("helpers.py", True))
    with qtbot.waitSignal(window.tree.filled, timeout=10_000):
        window.tree.rename_requested.emit(folder / "util.py")
    assert (folder / "helpers.py").is_file() and not (folder / "util.py").exists()
    assert editor.path == folder / "helpers.py"
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("../escape.py", True))
    window.tree.new_file_requested.emit(folder)
    assert not (tmp_path / "escape.py").exists()
    assert "not a file name inside" in window.banner.text()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.tree.filled, timeout=10_000):
        window.tree.delete_requested.emit(folder / "helpers.py")
    assert not (folder / "helpers.py").exists()


def test_save_as_writes_a_new_file_and_the_tab_follows(qtbot, tmp_path):
    folder = function_folder(tmp_path, "fn")
    window = make_window(qtbot, folder)
    editor = window.tabs.current_editor()
    assert editor is not None
    editor.insertText(0, "# copy\n")
    assert window.save_as(folder / "copy.py")
    assert (folder / "copy.py").read_text().startswith("# copy\n")
    assert editor.path == folder / "copy.py" and not editor.dirty
    assert not (folder / "lambda_function.py").read_text().startswith("# copy")


def test_saving_a_symlinked_file_keeps_the_link(qtbot, tmp_path):
    folder = function_folder(tmp_path, "fn")
    shared = tmp_path / "shared.py"
    shared.write_text("X = 1\n")
    (folder / "shared.py").symlink_to(shared)
    window = make_window(qtbot, folder)
    editor = window.tabs.open_file(folder / "shared.py")
    editor.insertText(0, "# edited\n")
    assert window.tabs.save(editor)
    assert (folder / "shared.py").is_symlink()
    assert shared.read_text() == "# edited\nX = 1\n"


def test_settings_reload_keeps_the_window_on_screen_with_a_long_message(qtbot, tmp_path):
    window = make_window(qtbot, function_folder(tmp_path, "fn"))
    screen = QApplication.primaryScreen().availableGeometry()
    window.resize(1024, 700)
    window.show_banner("A very long sentence " * 200)
    qtbot.wait(50)
    assert window.width() <= max(1024, screen.width())
    window.banner.close_button.click()
    assert not window.banner.isVisible()
    qtbot.waitUntil(lambda: bool(Settings().get("recent_projects")))  # written on a worker


def test_every_starter_creates_a_function_that_runs(qtbot, tmp_path):
    from workbench.core.project.scaffold import describe_templates

    root = two_handler_folder(tmp_path)
    window = make_window(qtbot, root)
    for starter in describe_templates():
        window.actions_by_id["new_function"].trigger()
        dialog = window.new_function_dialog
        row = next(i for i in range(dialog.starters.count())
                   if f"({starter})" in dialog.starters.item(i).text())  # fmt: skip
        dialog.starters.setCurrentRow(row)
        dialog.name.setText(f"fn_{starter}")
        with qtbot.waitSignal(dialog.created, timeout=10_000):
            dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
        # The reload runs on a worker (the watcher may reload too): wait for the selection.
        qtbot.waitUntil(lambda s=starter: window.function_combo.currentText() == f"fn_{s}")
        qtbot.waitUntil(lambda: window.event_pane.current_saved_name() != "")
        result = invoke_and_wait(qtbot, window)
        assert result is not None and result.succeeded, (starter, result and result.error)
