"""The workbench window: opens the example, action table, invalid events, layout persistence."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolButton

from workbench.core.settings import Settings
from workbench.ui.app.actions import ACTIONS
from workbench.ui.app.main import create_window
from workbench.ui.app.main_window import MainWindow


def make_window(qtbot, path: Path | None = None) -> MainWindow:
    window = create_window(str(path) if path else None, Settings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wait_opened(qtbot, window)
    return window


def wait_opened(qtbot, window: MainWindow) -> None:
    """Projects open on a worker and the tree walks on another: wait for both."""
    qtbot.waitUntil(lambda: window.opening == 0, timeout=20_000)
    if window.project is not None:
        qtbot.waitUntil(lambda: window.tree.listed, timeout=20_000)


def open_and_wait(qtbot, window: MainWindow, path: Path) -> None:
    window.open_path(path)
    wait_opened(qtbot, window)


def test_window_opens_a_copy_of_the_bundled_example(qtbot, workbench_dirs):
    window = make_window(qtbot)
    assert window.function_combo.currentText() == "hello-python"
    copy = workbench_dirs / "projects" / "hello-python"
    assert copy / "lambda_function.py" in window.tree.file_items()
    assert window.project is not None and window.project.root == copy.resolve()
    editor = window.tabs.current_editor()
    assert editor is not None and editor.path is not None
    assert editor.path.name == "lambda_function.py"
    assert "def lambda_handler" in editor.text()
    assert editor.styleAt(editor.text().index("def ")) == 5  # SCE_P_WORD: the lexer ran
    assert not window.banner.isVisible()


def test_toolbar_menus_and_shortcuts_come_from_the_action_table(qtbot):
    window = make_window(qtbot)
    for spec in ACTIONS:
        action = window.actions_by_id[spec.id]
        expected_keys = QKeySequence.listFromString(spec.shortcut) if spec.shortcut else []
        assert action.shortcuts() == expected_keys, spec.id
        assert action in window.actions(), spec.id  # shortcuts live on the window
    toolbar_actions = [a for a in window.toolbar.actions() if not a.isSeparator()]
    expected = [spec.id for spec in ACTIONS if spec.toolbar]
    assert len(toolbar_actions) == len(expected)
    assert window.toolbar.findChild(QToolButton, "invokeButton") is not None
    menu_titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert menu_titles == list(dict.fromkeys(spec.menu for spec in ACTIONS))
    # A shortcut reaches its handler: Ctrl+F shows the find bar.
    window.actions_by_id["find"].trigger()
    assert window.find_bar.isVisible()


def test_invalid_json_blocks_invoke_with_the_reason(qtbot):
    window = make_window(qtbot)
    invoke = window.actions_by_id["invoke"]
    assert invoke.isEnabled()
    with qtbot.waitSignal(window.event_pane.validity_changed) as blocker:
        window.event_pane.validity_changed.emit(False, "line 1 column 9: expecting value")
    assert blocker.args[0] is False
    assert not invoke.isEnabled()
    assert "line 1 column 9" in invoke.toolTip()
    assert "line 1 column 9" in window.status.result_label.text()
    window.event_pane.validity_changed.emit(True, "")
    assert invoke.isEnabled()


def test_a_folder_that_does_not_exist_shows_a_sentence_and_keeps_the_project(qtbot, tmp_path):
    window = make_window(qtbot)
    with qtbot.waitSignal(window.open_failed):
        window.open_path(tmp_path / "missing")
    assert window.banner.isVisible()
    assert "does not exist" in window.banner.text()
    assert window.function_combo.currentText() == "hello-python"


def test_splitter_sizes_persist(qtbot):
    window = make_window(qtbot)
    window.resize(780, 560)  # fits the offscreen screen, so the geometry restores as is
    splitter = window.workspace.splitters["outer"]
    splitter.setSizes([160, 620])  # narrower than the default 230
    chosen = splitter.sizes()[0]
    window.save_layout()
    window.session.close_now()
    again = make_window(qtbot)
    assert again.width() == 780
    assert again.workspace.splitters["outer"].sizes()[0] == chosen == 160


def test_save_writes_the_file_and_clears_the_unsaved_marker(qtbot, tmp_path):
    folder = tmp_path / "fn"
    folder.mkdir()
    (folder / "lambda_function.py").write_text(
        "def lambda_handler(event, context):\n    return 1\n"
    )
    window = make_window(qtbot, folder)
    editor = window.tabs.current_editor()
    assert editor is not None
    editor.insertText(0, "# edited\n")
    assert window.tabs.tabText(0).endswith("●")
    with qtbot.waitSignal(window.tabs.file_saved):
        window.actions_by_id["save"].trigger()
    assert (folder / "lambda_function.py").read_text().startswith("# edited\n")
    assert not window.tabs.tabText(0).endswith("●")


def test_help_about_opens_the_about_dialog(qtbot):
    from PySide6.QtWidgets import QApplication

    from workbench.ui.dialogs.about_dialog import AboutDialog

    window = make_window(qtbot)
    action = window.findChild(QAction, "action_about")
    assert action is not None
    action.trigger()
    dialogs = [w for w in QApplication.topLevelWidgets() if isinstance(w, AboutDialog)]
    assert len(dialogs) == 1 and dialogs[0].isVisible()
    assert "Help" in [m.title().replace("&", "") for m in window.menuBar().findChildren(QMenu)]
    dialogs[0].close()
