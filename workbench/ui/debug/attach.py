"""DebugFeature: breakpoints in every editor, the Debug dock, and the keys, for the window."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDockWidget

from workbench.ui.debug.breakpoints import BreakpointMargin, BreakpointStore
from workbench.ui.debug.debug_controller import DebugController
from workbench.ui.debug.debug_pane import DebugPane


class DebugFeature(QObject):
    """Owns the debug controller, the pane and the margins; the window's actions call it."""

    def __init__(self, window: Any, settings: Any) -> None:
        super().__init__(window)
        self.main: Any = window
        self.settings = settings
        self.controller = DebugController(self)
        # The pane and its dock are built at the first Debug, not at launch.
        self._pane: DebugPane | None = None
        self._dock: QDockWidget | None = None
        self.margins: dict[int, BreakpointMargin] = {}
        self._store: BreakpointStore | None = None
        self._event_text = ""
        self.main.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.controller.stopped.connect(self._on_controller_stopped)
        self.controller.continued.connect(self._clear_current)
        self.controller.finished.connect(self._on_controller_finished)
        self.controller.failed.connect(self._on_controller_failed)

    @property
    def pane(self) -> DebugPane:
        if self._pane is None:
            self._pane = DebugPane(self.controller)
            self._pane.frame_selected.connect(self._on_pane_frame_selected)
        return self._pane

    @property
    def dock(self) -> QDockWidget:
        if self._dock is None:
            self._dock = QDockWidget("Debug", self.main)
            self._dock.setObjectName("debugDock")
            self._dock.setWidget(self.pane)
            self.main.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self._dock)
        return self._dock

    # -- breakpoints ---------------------------------------------------------
    @property
    def store(self) -> BreakpointStore | None:
        project = getattr(self.main, "project", None)
        if project is None:
            return None
        if self._store is None or self._store.root != Path(project.root).resolve():
            self._store = BreakpointStore(Path(project.root))
        return self._store

    def margin(self, editor: Any) -> BreakpointMargin:
        margin = self.margins.get(id(editor))
        if margin is None:
            margin = BreakpointMargin(editor)
            key = id(editor)
            self.margins[key] = margin
            editor.destroyed.connect(lambda _obj=None: self.margins.pop(key, None))
            store = self.store
            if store is not None and editor.path is not None:
                margin.set_lines(store.get(editor.path))
            margin.changed.connect(self._on_margin_changed)
        return margin

    def toggle_breakpoint(self) -> None:
        editor = self.main.tabs.current_editor()
        if editor is None:
            return
        self.margin(editor).toggle(editor.lineFromPosition(editor.currentPos()) + 1)

    def _on_margin_changed(self, path: Path | None, lines: list[int]) -> None:
        if path is None:
            return
        store = self.store
        if store is not None:
            store.set(path, lines)
        self.controller.set_breakpoints(path, lines)

    def _on_tabs_current_changed(self, _index: int) -> None:
        editor = self.main.tabs.current_editor()
        if editor is not None:
            self.margin(editor)

    def breakpoints(self) -> dict[Path, list[int]]:
        found: dict[Path, list[int]] = {}
        store = self.store
        if store is not None:
            found.update(store.by_file)
        for editor in self.main.tabs.editors():
            if editor.path is not None and id(editor) in self.margins:
                found[editor.path.resolve()] = self.margins[id(editor)].lines()
        return {path: lines for path, lines in found.items() if lines}

    # -- running -------------------------------------------------------------
    def debug(self) -> None:
        """F5: continue when paused, else debug the current function with the current event."""
        if self.controller.paused:
            self.controller.continue_()
            return
        if self.controller.active:
            return
        window = self.main
        function = window.session.function
        if function is None:
            window.status.show_message("Open a function first: there is nothing to debug yet.")
            return
        event = window.event_pane.event_bytes()
        if event is None:
            window.status.show_message("The event is not valid JSON; fix it to debug.")
            return
        self._event_text = window.event_pane.event_text()
        window._save_function_files(function.code_dir)
        self.dock.show()
        self.dock.raise_()
        window.results_pane.show_running(function.name)
        window.status.show_message(f"Debugging {function.name}…")
        self.controller.debug(
            function, event, self.breakpoints(), self.pane.uncaught.isChecked(), self.settings
        )

    def step_over(self) -> None:
        self.controller.step_over()

    def step_into(self) -> None:
        self.controller.step_into()

    def step_out(self) -> None:
        self.controller.step_out()

    def stop(self) -> None:
        self.controller.stop()

    def close(self) -> None:
        session = self.controller._live()
        if session is not None:
            session.stop()

    # -- what the user sees --------------------------------------------------
    def _on_controller_stopped(self, stop: Any) -> None:
        if stop.frames and stop.frames[0].path is not None:
            self._show_line(stop.frames[0].path, stop.frames[0].line)
        self.main.status.show_message("Paused in the debugger: Lambda's clock is stopped.")

    def _on_pane_frame_selected(self, path: Path, line: int) -> None:
        self._show_line(path, line)

    def _show_line(self, path: Path, line: int) -> None:
        if not Path(path).is_file():
            return
        self._clear_current()
        self.main.open_file(Path(path), line)
        editor = self.main.tabs.editor_for(Path(path))
        if editor is not None:
            self.margin(editor).show_current(line)

    def _clear_current(self) -> None:
        for margin in self.margins.values():
            margin.show_current(None)

    def _on_controller_finished(self, result: Any) -> None:
        self._clear_current()
        window = self.main
        window.last_result = result
        window.results_pane.show_result(result, self._event_text)
        window.history_pane.add(result, self._event_text)
        window.status.show_result(result)
        if not result.succeeded:
            window.mark_error_frames(result)

    def _on_controller_failed(self, sentence: str) -> None:
        self._clear_current()
        self.main.results_pane.show_error(sentence)
        self.main.status.show_message(sentence)
