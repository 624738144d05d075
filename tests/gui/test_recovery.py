"""Nothing lost: unsaved buffers survive a crash and quitting with unsaved changes asks."""

from __future__ import annotations

import os
import subprocess
import sys

from PySide6.QtWidgets import QMessageBox

from tests.gui.test_window import make_window
from workbench.ui.editor.recovery import RecoveryStore

SOURCE = "def lambda_handler(event, context):\n    return 1\n"


def make_function(tmp_path):
    folder = tmp_path / "fn"
    folder.mkdir()
    (folder / "lambda_function.py").write_text(SOURCE)
    return folder


def test_unsaved_buffer_is_offered_back_after_a_crash(qtbot, tmp_path, monkeypatch):
    folder = make_function(tmp_path)
    window = make_window(qtbot, folder)
    window.offer_recovery()  # claims the recovery area for this "process"
    editor = window.tabs.current_editor()
    assert editor is not None
    editor.insertText(0, "# not saved yet\n")
    window.write_recovery()
    # The crash: no closeEvent, nothing saved. The next start finds the buffer.
    window.session.close_now()
    window.hide()
    asked = []
    monkeypatch.setattr(
        QMessageBox, "question", lambda *args, **kw: asked.append(args) or QMessageBox.Yes
    )
    again = make_window(qtbot, folder)
    assert again.offer_recovery() == 1
    assert asked, "the user was asked"
    restored = again.tabs.editor_for(folder / "lambda_function.py")
    assert restored is not None
    assert restored.text() == "# not saved yet\n" + SOURCE
    assert restored.dirty  # offered as unsaved text; the file itself is untouched
    assert (folder / "lambda_function.py").read_text() == SOURCE


def _dead_pid() -> str:
    return subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip


def test_buffers_of_a_live_window_are_not_offered(tmp_path):
    other = RecoveryStore(tmp_path / "recovery")
    other.write({tmp_path / "a.py": "text"})
    # Another running process owns that window's folder (this test's parent shell is alive).
    other.lock.write_text(str(os.getppid()))
    mine = RecoveryStore(tmp_path / "recovery")
    assert mine.leftovers() == []
    # Once that process is gone, the buffer is a crash leftover.
    other.lock.write_text(_dead_pid())
    assert [b.text for b in mine.leftovers()] == ["text"]


def test_two_windows_keep_each_others_recovery_copies(tmp_path):
    """Each window writes only its own folder: one window's save never deletes the other's."""
    first, second = RecoveryStore(tmp_path / "r"), RecoveryStore(tmp_path / "r")
    first.write({tmp_path / "app.py": "first window's edit"})
    second.write({tmp_path / "other.py": "second window's edit"})
    second.write({})  # the second window saved everything
    second.clear()  # and quit cleanly
    first.lock.write_text(_dead_pid())  # then the first one crashed
    survivor = RecoveryStore(tmp_path / "r")
    assert [b.text for b in survivor.leftovers()] == ["first window's edit"]
    survivor.discard_leftovers()
    assert survivor.leftovers() == []


def test_the_old_single_folder_layout_is_still_offered(tmp_path):
    base = tmp_path / "recovery"
    base.mkdir()
    (base / "abc.json").write_text('{"path": "/x/app.py", "text": "old", "saved_at": 1}')
    (base / "owner.pid").write_text(_dead_pid())
    assert [b.text for b in RecoveryStore(base).leftovers()] == ["old"]


def test_quitting_with_unsaved_changes_asks_and_cancel_keeps_the_window(
    qtbot, tmp_path, monkeypatch
):
    folder = make_function(tmp_path)
    window = make_window(qtbot, folder)
    editor = window.tabs.current_editor()
    assert editor is not None
    editor.insertText(0, "# pending\n")
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Cancel)
    assert not window.close()
    assert window.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Save)
    assert window.close()
    assert (folder / "lambda_function.py").read_text() == "# pending\n" + SOURCE


def test_clean_quit_empties_the_recovery_area(qtbot, tmp_path, monkeypatch):
    folder = make_function(tmp_path)
    window = make_window(qtbot, folder)
    window.offer_recovery()
    editor = window.tabs.current_editor()
    assert editor is not None
    editor.insertText(0, "# pending\n")
    window.write_recovery()
    assert list(window.recovery.root.glob("*.json"))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Discard)
    assert window.close()
    assert not list(window.recovery.root.glob("*.json"))
