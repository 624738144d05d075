"""ApiFeature: the Serve API toggle, its dock with the API pane, wired into the main window."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDockWidget, QMainWindow

from workbench.core.http.gateway import ServedRequest
from workbench.ui.api.api_pane import ApiPane
from workbench.ui.api.serve_controller import ServeController


class ApiFeature(QObject):
    """Owns the controller and the pane; the window calls toggle() and close()."""

    def __init__(self, window: QMainWindow, settings: Any) -> None:
        super().__init__(window)
        self.window = window
        self.controller = ServeController(settings, self)
        self.pane = ApiPane()
        self.dock = QDockWidget("API", window)
        self.dock.setObjectName("apiDock")
        self.dock.setWidget(self.pane)
        window.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.action: QAction | None = None
        self.controller.started.connect(self._on_controller_started)
        self.controller.stopped.connect(self._on_controller_stopped)
        self.controller.failed.connect(self._on_controller_failed)
        self.controller.served.connect(self.pane.add_served)
        self.controller.served.connect(self._on_controller_served)
        self.controller.note.connect(self._on_controller_note)
        self.pane.request_activated.connect(self._on_pane_request_activated)

    def bind(self, action: QAction) -> None:
        self.action = action
        action.setCheckable(True)

    def toggle(self) -> None:
        project = getattr(self.window, "project", None)
        if self.controller.running:
            self.controller.stop()
            return
        if project is None or self.controller.busy:
            self._set_checked(False)
            return
        source = getattr(project.project, "template", None) or project.root
        self.pane.show_stopped("Starting…")
        self.dock.show()
        self.controller.start(source, project.root)

    def close(self) -> None:
        self.controller.stop_now()

    def _set_checked(self, on: bool) -> None:
        if self.action is not None:
            self.action.blockSignals(True)
            self.action.setChecked(on)
            self.action.blockSignals(False)

    def _on_controller_started(self, rows: list, port: int, warnings: list) -> None:
        self._set_checked(True)
        self.pane.show_serving(rows, port, warnings)
        self.dock.show()

    def _on_controller_stopped(self) -> None:
        self._set_checked(False)
        if not self.pane.state.text().startswith("Could not"):
            self.pane.show_stopped()

    def _on_controller_failed(self, sentence: str) -> None:
        self.pane.show_stopped(f"Could not serve: {sentence}")
        show = getattr(self.window, "show_banner", None)
        if show is not None:
            show(sentence)

    def _on_controller_served(self, served: ServedRequest) -> None:
        # The run is in the function's history file: show it if that history is on screen.
        project = getattr(self.window, "project", None)
        combo = getattr(self.window, "function_combo", None)
        history = getattr(self.window, "history_pane", None)
        if project is None or combo is None or history is None or served.result is None:
            return
        if combo.currentText() == served.function:
            history.set_function(project.root, served.function)

    def _on_controller_note(self, sentence: str) -> None:
        status = self.window.statusBar()
        status.showMessage(sentence, 5000)

    def _on_pane_request_activated(self, served: ServedRequest) -> None:
        results = getattr(self.window, "results_pane", None)
        if results is not None and served.result is not None:
            event = (served.event or b"").decode("utf-8", errors="replace")
            results.show_result(served.result, event)
