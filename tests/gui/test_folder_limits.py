"""Folders at the edges: 100,000 files under watch, and a read-only project folder."""

from __future__ import annotations

import contextlib
import os
import subprocess

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.gui.test_invoke_flow import invoke_and_wait
from tests.gui.test_window import make_window

SOURCE = "def lambda_handler(event, context):\n    return 'v1'\n"


def test_a_watched_folder_with_100000_files_opens_and_still_follows_edits(qtbot, tmp_path):
    folder = tmp_path / "huge"
    folder.mkdir()
    (folder / "lambda_function.py").write_text(SOURCE)
    for d in range(100):  # 100,000 files in 100 folders (os.open: a few seconds, not minutes)
        sub = folder / "data" / f"d{d:03d}"
        sub.mkdir(parents=True)
        for f in range(1000):
            os.close(os.open(sub / f"f{f:04d}.txt", os.O_CREAT | os.O_WRONLY, 0o644))
    window = make_window(qtbot, folder)
    assert window.project is not None and window.session.function is not None
    files = window.tree.file_items()
    assert folder / "lambda_function.py" in files
    assert len(files) <= 2_000  # the tree lists a bounded number and says so
    qtbot.waitUntil(lambda: window.watcher.watching, timeout=60_000)
    assert not window.banner.isVisible() or "watch" not in window.banner.text().lower()
    first = invoke_and_wait(qtbot, window)
    assert first is not None and first.payload_json() == "v1"
    with qtbot.waitSignal(window.session.environment_reset, timeout=30_000):
        (folder / "lambda_function.py").write_text(SOURCE.replace("v1", "v2"))
    second = invoke_and_wait(qtbot, window)
    assert second is not None and second.payload_json() == "v2"


@contextlib.contextmanager
def read_only_folder(path):
    """A folder nobody can write: a read-only tmpfs for root (permissions do not stop
    root), mode 0555 for anyone else."""
    path.mkdir()
    (path / "lambda_function.py").write_text(SOURCE)
    if os.geteuid() != 0:
        (path / "lambda_function.py").chmod(0o444)
        path.chmod(0o555)
        try:
            yield path
        finally:
            path.chmod(0o755)
        return
    mount = path.parent / "ro"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(mount)], timeout=30
    )
    if done.returncode != 0:
        if os.environ.get("CI") == "true":
            pytest.fail("root could not mount a tmpfs for the read-only folder test")
        pytest.skip("mounting a tmpfs is not allowed here (needed to make a folder read-only)")
    try:
        (mount / "lambda_function.py").write_text(SOURCE)
        os.chmod(mount, 0o755)
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True, timeout=30)
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False, timeout=30)


def test_a_read_only_project_runs_and_a_failed_save_keeps_the_edit(qtbot, tmp_path):
    with read_only_folder(tmp_path / "project") as folder:
        window = make_window(qtbot, folder)
        assert window.project is not None
        result = invoke_and_wait(qtbot, window)
        assert result is not None and result.payload_json() == "v1"
        editor = window.tabs.current_editor()
        assert editor is not None and editor.path is not None
        editor.insertText(0, "# my edit\n")
        seen: list[str] = []

        def read_and_close_the_warning() -> None:
            box = QApplication.activeModalWidget()
            if isinstance(box, QMessageBox):
                seen.append(box.text())
                box.accept()
            else:
                QTimer.singleShot(50, read_and_close_the_warning)

        QTimer.singleShot(50, read_and_close_the_warning)
        qtbot.keyClick(editor, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
        assert "could not be written" in seen[0] and "still in the editor" in seen[0]
        assert "Traceback" not in seen[0]
        assert editor.text().startswith("# my edit\n") and editor.dirty
        assert (folder / "lambda_function.py").read_text() == SOURCE
        editor.setSavePoint()  # so that closing does not ask to save it again
        window.close()
