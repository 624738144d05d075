"""About dialog: the versions shown and copied are the real ones, Docker included."""

from __future__ import annotations

import platform
import socket
from importlib import metadata

from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication

from workbench import __version__
from workbench.core import about
from workbench.ui.dialogs.about_dialog import AboutDialog


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_copy_puts_every_version_on_the_clipboard(qtbot) -> None:
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.docker_checked, timeout=10_000) as checked:
        dialog.show()
    # The engine answer the dialog shows is whatever the SDK itself says right now.
    assert checked.args == [about.docker_engine_version()]

    QGuiApplication.clipboard().clear()
    dialog.copy_button.click()
    copied = QGuiApplication.clipboard().text()

    assert copied == dialog.text()
    lines = dict(line.split(": ", 1) for line in copied.splitlines())
    assert lines["Lambda Workbench"] == __version__
    assert lines["Python"].startswith(platform.python_version())
    assert lines["Qt"] == qVersion()
    assert lines["Scintilla (pyside6-scintilla)"] == metadata.version("pyside6-scintilla")
    assert lines["boto3"] == metadata.version("boto3")
    assert lines["Docker engine"] == checked.args[0] != about.CHECKING
    assert dialog.copy_button.text() == "Copied"


def test_docker_engine_not_running_is_said_plainly(qtbot, monkeypatch) -> None:
    # A real docker SDK client against a port where nothing listens.
    monkeypatch.setenv("DOCKER_HOST", f"tcp://127.0.0.1:{_closed_port()}")
    dialog = AboutDialog()
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.docker_checked, timeout=10_000) as checked:
        dialog.show()
    assert checked.args == [about.NOT_RUNNING]
    assert "Docker engine: not running" in dialog.text().splitlines()


def test_unknown_distribution_is_reported_not_raised() -> None:
    assert about.package_version("no-such-distribution-for-lambda-workbench") == "not installed"
