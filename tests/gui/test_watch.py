"""Watching the project: config and code changed outside the app, files added and removed."""

from __future__ import annotations

import json
import os

from tests.gui.test_invoke_flow import invoke_and_wait
from tests.gui.test_window import make_window

SOURCE = "def lambda_handler(event, context):\n    return 'v1'\n"


def make_function(tmp_path, source=SOURCE):
    folder = tmp_path / "fn"
    folder.mkdir()
    (folder / "lambda_function.py").write_text(source)
    return folder


def write_config(folder, **fields):
    entry = {"name": "fn", "handler": "lambda_function.lambda_handler", **fields}
    (folder / "lambda-workbench.json").write_text(json.dumps({"version": 1, "functions": [entry]}))


def test_an_outside_code_edit_retires_the_warm_environment(qtbot, tmp_path):
    folder = make_function(tmp_path)
    window = make_window(qtbot, folder)
    first = invoke_and_wait(qtbot, window)
    assert first is not None and first.payload_json() == "v1"
    with qtbot.waitSignal(window.session.environment_reset, timeout=20_000):
        (folder / "lambda_function.py").write_text(SOURCE.replace("v1", "v2"))  # git checkout
    second = invoke_and_wait(qtbot, window)
    assert second is not None and second.payload_json() == "v2"
    assert second.cold_start  # a fresh environment, as Lambda after a deploy
    # The clean editor buffer followed the file.
    editor = window.tabs.editor_for(folder / "lambda_function.py")
    assert editor is not None and "v2" in editor.text() and not editor.dirty


def test_unsaved_edits_are_never_overwritten_by_an_outside_change(qtbot, tmp_path):
    folder = make_function(tmp_path)
    window = make_window(qtbot, folder)
    editor = window.tabs.current_editor()
    assert editor is not None
    editor.insertText(0, "# mine\n")
    with qtbot.waitSignal(window.tabs.disk_conflict, timeout=10_000):
        (folder / "lambda_function.py").write_text("# theirs\n" + SOURCE)
    assert editor.text().startswith("# mine\n")
    assert window.disk_bar.isVisible()
    window.disk_bar.reload_button.click()
    assert editor.text().startswith("# theirs\n") and not editor.dirty
    assert not window.disk_bar.isVisible()


def test_the_tree_follows_added_and_removed_files(qtbot, tmp_path):
    folder = make_function(tmp_path)
    window = make_window(qtbot, folder)
    with qtbot.waitSignal(window.tree.filled, timeout=10_000):
        (folder / "helpers.py").write_text("X = 1\n")
    assert folder / "helpers.py" in window.tree.file_items()
    with qtbot.waitSignal(window.tree.filled, timeout=10_000):
        (folder / "helpers.py").unlink()
    assert folder / "helpers.py" not in window.tree.file_items()


def test_config_saved_outside_reloads_and_a_half_written_file_keeps_the_last_good(qtbot, tmp_path):
    folder = make_function(tmp_path, "def lambda_handler(e, c):\n    return c.memory_limit_in_mb\n")
    write_config(folder, memorySizeMb=256)
    window = make_window(qtbot, folder)
    assert window.session.function is not None and window.session.function.memory_mb == 256
    with qtbot.waitSignal(window.session.environment_reset, timeout=20_000):
        write_config(folder, memorySizeMb=1024)
    assert window.session.function.memory_mb == 1024
    result = invoke_and_wait(qtbot, window)
    assert result is not None and result.payload_json() == "1024"
    # Half-written (mid-save in another editor): the last good project stays, with a banner.
    (folder / "lambda-workbench.json").write_text('{"version": 1, "functions": [{"name": ')
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10_000)
    assert "lambda-workbench.json" in window.banner.text()
    assert window.session.function.memory_mb == 1024
    # Fixed: the banner clears by itself.
    write_config(folder, memorySizeMb=1024)
    qtbot.waitUntil(lambda: not window.banner.isVisible(), timeout=10_000)


def test_saving_the_config_in_the_apps_own_editor_takes_effect(qtbot, tmp_path):
    folder = make_function(tmp_path, "def lambda_handler(e, c):\n    return c.memory_limit_in_mb\n")
    write_config(folder, memorySizeMb=512)
    window = make_window(qtbot, folder)
    editor = window.tabs.open_file(folder / "lambda-workbench.json")
    editor.set_text(editor.text().replace("512", "1024"))
    editor.insertText(0, " ")  # make it dirty the way typing does
    with qtbot.waitSignal(window.session.environment_reset, timeout=20_000):
        window.actions_by_id["save"].trigger()
    result = invoke_and_wait(qtbot, window)
    assert result is not None and result.payload_json() == "1024"


def test_a_file_deleted_while_open_keeps_its_text(qtbot, tmp_path):
    folder = make_function(tmp_path)
    (folder / "notes.py").write_text("NOTES = 1\n")
    window = make_window(qtbot, folder)
    editor = window.tabs.open_file(folder / "notes.py")
    with qtbot.waitSignal(window.tree.filled, timeout=10_000):
        os.unlink(folder / "notes.py")
    assert editor.text() == "NOTES = 1\n"
    assert "deleted on disk" in window.tabs.tabText(window.tabs.indexOf(editor))
    window.tabs.save(editor)  # Save puts it back
    assert (folder / "notes.py").read_text() == "NOTES = 1\n"


def test_after_watching_another_folder_the_old_one_is_never_reported(qtbot, tmp_path):
    from workbench.ui.session.project_watcher import ProjectWatcher

    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    watcher = ProjectWatcher()
    seen: list[list] = []
    watcher.changed.connect(seen.append)
    watcher.watch(first)
    qtbot.waitUntil(lambda: watcher.watching, timeout=10_000)
    watcher.watch(second)  # the first watch stops on a thread of its own
    qtbot.waitUntil(lambda: watcher.watching, timeout=10_000)
    (first / "old.py").write_text("X = 1\n")
    with qtbot.waitSignal(watcher.changed, timeout=10_000):
        (second / "new.py").write_text("X = 2\n")
    qtbot.wait(300)  # a late event of the first watch would arrive in this batch or the next
    reported = [path for batch in seen for path in batch]
    assert second.resolve() / "new.py" in reported
    assert not [path for path in reported if first.resolve() in path.parents]
    watcher.stop()
