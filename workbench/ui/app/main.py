"""Start the window: `run(path, screenshot)` is what `lambda-workbench [PATH]` calls."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from workbench.core import about
from workbench.core.settings import Settings
from workbench.resources import data_path, example_dir
from workbench.ui.theme import apply_theme, choose_theme

ENGINE_WAIT_MS = 4000  # a screenshot waits this long at most for the Docker check


def create_app() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Lambda Workbench")
    # Must match the installed .desktop file so launchers group the window with it.
    app.setDesktopFileName(about.APP_ID)
    app.setWindowIcon(QIcon(str(data_path("resources", "icons", "app", "lambda-workbench.svg"))))
    return app


PREWARM_DELAY_MS = 1500


def create_window(path: str | None, settings: Settings | None = None):  # -> MainWindow
    """Theme the app, build the window, open the project (the bundled example by default)."""
    from workbench.ui.app.main_window import MainWindow

    app = create_app()
    settings = settings or Settings()
    theme = choose_theme(settings.get("theme"))
    apply_theme(app, theme)
    window = MainWindow(settings, theme)
    if settings.load_problem:
        window.show_banner(settings.load_problem)
    recent = [Path(p) for p in settings.get("recent_projects")[:1]]
    if path:
        window.open_path(Path(path))
    elif recent and recent[0].exists():
        window.open_path(recent[0], fallback=example_dir())
    else:
        window.open_path(example_dir())  # first start (or the last project is gone)
    # Not at once: imports on a worker hold the GIL, and the window's first turns (polish,
    # layout, first paint of a just-opened project) would wait for it (a 40-90 ms stall).
    QTimer.singleShot(PREWARM_DELAY_MS, window, window.session.prewarm)
    return window


def run(path: str | None, screenshot: str | None = None) -> int:
    app = create_app()
    window = create_window(path)
    window.show()
    if screenshot:
        _save_when_ready(app, window, Path(screenshot))
        window.status.check_engine()
        return app.exec()
    QTimer.singleShot(0, window.offer_recovery)
    window.status.check_engine()
    window.ready.emit()
    return app.exec()


def _save_when_ready(app: QApplication, window, target: Path) -> None:
    # Ready = shown, project open, and the Docker check answered (or took too long).
    state = {"done": False}

    def save() -> None:
        if state["done"]:
            return
        state["done"] = True
        app.processEvents()
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            ok = window.grab().save(str(target), "PNG")
        except OSError:
            ok = False
        if not ok:
            print(
                f"lambda-workbench: could not write the screenshot to {target}; "
                "choose a file in a folder you can write to.",
                file=sys.stderr,
            )
        window.ready.emit()
        window.session.close_now()
        app.exit(0 if ok else 2)

    window.status.engine_known.connect(lambda _text: QTimer.singleShot(300, save))
    QTimer.singleShot(ENGINE_WAIT_MS, save)
