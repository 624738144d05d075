"""MainWindow: project tree, editor tabs, event, results and history in persistent splitters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import qtawesome
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QInputDialog,
    QMainWindow,
    QMenu,
    QToolButton,
    QWidget,
)  # fmt: skip

from workbench.core.errors import WorkbenchError
from workbench.core.invoke import InvocationResult
from workbench.core.settings import Settings
from workbench.core.stack_frames import error_sentence, local_path, user_frames
from workbench.ui.api.attach import ApiFeature
from workbench.ui.app.actions import build_actions, build_toolbar, recolour_icons
from workbench.ui.app.dialog_commands import DialogCommands
from workbench.ui.app.file_commands import FileCommands
from workbench.ui.app.first_run import FirstRunCommands
from workbench.ui.app.keyboard import KeyboardCommands
from workbench.ui.app.project_commands import ProjectCommands
from workbench.ui.app.status_bar import WorkbenchStatusBar
from workbench.ui.app.workspace import Workspace, layout_store
from workbench.ui.debug.attach import DebugFeature
from workbench.ui.editor.editor_tabs import save_discard_or_cancel
from workbench.ui.editor.recovery import SAVE_INTERVAL_MS, RecoveryStore, offer_recovery
from workbench.ui.results.output_batcher import OutputBatcher
from workbench.ui.session.function_session import FunctionSession, OpenedProject
from workbench.ui.session.project_watcher import ProjectWatcher
from workbench.ui.theme import Theme, apply_theme, choose_theme
from workbench.ui.tune.tools_dock import ToolsDockWidget

COMPACT_TOOLBAR_PX = 1280


class MainWindow(
    ProjectCommands, FileCommands, DialogCommands, KeyboardCommands, FirstRunCommands,
    QMainWindow,
):  # fmt: skip
    """The workbench window. Handlers named in actions.ACTIONS are public methods here."""

    #: the project is open and the window shown (used by --screenshot and tests)
    ready = Signal()
    #: an invoke finished, successfully or not (the InvocationResult, or None on an error)
    invoke_finished = Signal(object)
    #: a project was opened and is shown (its root)
    project_opened = Signal(Path)
    #: opening a project failed (the sentence shown)
    open_failed = Signal(str)
    #: the open project was re-read after a config change (or the change was refused)
    project_reloaded = Signal()

    def __init__(self, settings: Settings, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.theme = theme
        self.project: OpenedProject | None = None
        self.last_result: Any = None
        self.last_results: dict[str, tuple[Any, str]] = {}  # per function: (result, event)
        self.opening = 0  # projects being opened on workers
        self._event_ok, self._event_reason = True, ""
        self._saving_for_invoke = False
        self._outcome: Any = None
        self.output = OutputBatcher(lambda text: self.results_pane.append_output(text), self)
        self.session = FunctionSession(settings, self)
        self.recovery = RecoveryStore()
        self.watcher = ProjectWatcher(self)
        self._build_widgets()
        self.api = ApiFeature(self, settings)
        self.debugger = DebugFeature(self, settings)
        self.actions_by_id = build_actions(self)
        self.recent_menu = self._recent_menu()
        self.rebuild_recent_menu()
        self.api.bind(self.actions_by_id["serve"])
        self.toolbar = build_toolbar(self, self.actions_by_id, {"function": self.function_combo})
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._connect()
        self.apply_tab_order()
        self.tabs.currentChanged.connect(lambda _index: self.apply_tab_order())
        self.apply_theme(theme)
        self._restore_layout()
        self._update_run_actions()
        self._recovery_timer = QTimer(self, interval=SAVE_INTERVAL_MS)
        self._recovery_timer.timeout.connect(self.write_recovery)
        self._recovery_timer.start()

    # -- construction ---------------------------------------------------------
    def _build_widgets(self) -> None:
        self.workspace = Workspace()
        ws = self.workspace
        self.tree, self.tabs, self.find_bar = ws.tree, ws.tabs, ws.find_bar
        self.event_pane, self.results_pane, self.history_pane = (
            ws.event_pane, ws.results_pane, ws.history_pane,
        )  # fmt: skip
        self.banner = ws.banner
        self.function_combo = QComboBox()
        self.function_combo.setObjectName("functionSelector")
        self.function_combo.setMinimumContentsLength(18)
        self.function_combo.setToolTip("Function to run (Ctrl+Shift+F)")
        self.disk_bar = ws.disk_bar
        self.setCentralWidget(ws)
        self.status = WorkbenchStatusBar()
        self.setStatusBar(self.status)
        self.tools = ToolsDockWidget(self.settings, self)
        self.tools.set_event_provider(self.event_pane.event_bytes)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.tools)
        self.tools.hide()  # the toolbar's Tests, Load and Tune button shows it

    def _connect(self) -> None:
        self.tree.file_activated.connect(lambda path: self.open_file(path))
        self.tree.function_activated.connect(self.select_function)
        self.function_combo.currentTextChanged.connect(self._on_function_combo_changed)
        self.event_pane.validity_changed.connect(self._on_event_pane_validity_changed)
        self.event_pane.invoke_requested.connect(self.invoke)
        self.results_pane.file_link_activated.connect(self._on_results_pane_file_link_activated)
        self.history_pane.restore_requested.connect(self._on_history_pane_restore_requested)
        self.tabs.file_saved.connect(self._on_tabs_file_saved)
        self.tabs.dirty_changed.connect(self._update_title)
        self.session.state_changed.connect(self.status.show_state)
        self.watcher.changed.connect(self.on_project_changed)
        self.watcher.failed.connect(lambda sentence: self.banner.show_problem("watch", sentence))
        self.tree.new_file_requested.connect(lambda folder: self.new_file(folder))
        self.tree.rename_requested.connect(lambda path: self.rename_file(path))
        self.tree.delete_requested.connect(lambda path: self.delete_file(path))
        self.tree.new_function_requested.connect(lambda: self.new_function())
        self.tabs.disk_conflict.connect(self.show_disk_conflict)
        self.results_pane.first_run.process_requested.connect(self.run_as_process)
        self.results_pane.first_run.local_image_requested.connect(self.use_local_image)
        self.tools.function_saved.connect(self._on_tools_function_saved)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)

    # -- files --------------------------------------------------------------
    def open_file(self, path: Path, line: int | None = None) -> None:
        try:
            self.tabs.open_file(path, line)
        except WorkbenchError as error:
            self.show_banner(str(error))

    # -- action handlers (named in actions.ACTIONS) ---------------------------
    def open_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Open function folder")
        if folder:
            self.open_path(Path(folder))

    def open_template(self) -> None:
        file, _ = QFileDialog.getOpenFileName(
            self, "Open SAM template", "", "SAM templates (*.yaml *.yml *.json)"
        )
        if file:
            self.open_path(Path(file))

    def focus_function_selector(self) -> None:
        self.function_combo.setFocus()
        self.function_combo.showPopup()

    def save(self) -> None:
        # Ctrl+S saves what has the focus: the event when the event pane has it.
        focus = QApplication.focusWidget()
        if focus is not None and self.event_pane.isAncestorOf(focus):
            self.event_pane.save_current()
            return
        self.tabs.save()

    def save_all(self) -> None:
        self.tabs.save_all()

    def find_text(self) -> None:
        self.find_bar.open(replace=False)

    def replace(self) -> None:
        self.find_bar.open(replace=True)

    def go_to_line(self) -> None:
        editor = self.tabs.current_editor()
        if editor is None:
            return
        line, ok = QInputDialog.getInt(
            self, "Go to line", f"Line (1–{editor.lineCount()}):",
            editor.lineFromPosition(editor.currentPos()) + 1, 1, max(1, editor.lineCount()),
        )  # fmt: skip
        if ok:
            editor.go_to_line(line)

    def invoke(self) -> None:
        function = self.session.function
        if function is None or self.session.busy:
            return
        event = self.event_pane.event_bytes()
        if event is None:
            self.status.show_message(self._event_reason or "The event is not valid JSON.")
            return
        event_text = self.event_pane.event_text()
        try:
            client_context = self.event_pane.client_context()
        except WorkbenchError as error:
            self.status.show_message(str(error))
            return
        saved = self._save_function_files(function.code_dir)
        self.tabs.clear_errors()
        self.results_pane.show_running(function.name)
        self.status.show_message(f"Invoking {function.name}…")
        self.session.invoke(
            event,
            on_result=lambda result: self._on_invoke_result(result, event_text),
            on_error=self._on_invoke_error,
            on_output=self.output.add,
            on_finished=self._on_invoke_finished,
            on_cancelled=lambda seconds: self._on_invoke_stopped(seconds, event_text),
            reset_first=saved,
            client_context=client_context,
        )
        self._update_run_actions()

    def stop(self) -> None:
        self.session.stop()

    def reset_environment(self) -> None:
        self.session.reset()
        self.status.show_message("Environment reset: the next invoke starts cold.")

    def show_tools(self) -> None:
        self.tools.show()
        self.tools.raise_()

    def _on_tools_function_saved(self, function: Any) -> None:
        # Tune's Apply wrote new settings: the window runs them from now on.
        if self.project is not None:
            self.project.functions = [
                function if f.name == function.name else f for f in self.project.functions
            ]
        if self.session.function is not None and self.session.function.name == function.name:
            self.session.set_function(function)
            self.tools.set_function(function)

    # -- invoke results -------------------------------------------------------
    def _on_invoke_result(self, result: Any, event_text: str) -> None:
        self.output.flush()
        self.last_result = result
        if self.session.function is not None:
            self.last_results[self.session.function.name] = (result, event_text)
        self.results_pane.show_result(result, event_text)
        self.history_pane.add(result, event_text)
        if hasattr(self.event_pane, "current_saved_name"):
            event_name = self.event_pane.current_saved_name()
            self.tools.tests.set_last_result(result.function_name, event_name, result)
        self.status.show_result(result)
        if not result.succeeded:
            self.mark_error_frames(result)
        self._outcome = result

    def _on_invoke_stopped(self, seconds: float, event_text: str) -> None:
        self.output.flush()
        result = stopped_result(self.session.function, seconds, self.results_pane.logs_text())
        self.results_pane.show_result(result, event_text)
        self.results_pane.headline.setText(f"Stopped after {seconds:.1f} s.")
        self.history_pane.add(result, event_text)
        self.status.show_message(f"Stopped after {seconds:.1f} s.")
        self._outcome = None

    def _on_invoke_error(self, sentence: str) -> None:
        self.output.flush()
        self.results_pane.show_error(sentence)
        self.status.show_message(sentence)
        self._outcome = None

    def _on_invoke_finished(self) -> None:
        self.output.flush()
        self._update_run_actions()
        outcome, self._outcome = self._outcome, None
        self.invoke_finished.emit(outcome)

    def _on_results_pane_file_link_activated(self, reported: str, line: int) -> None:
        # Container paths (/var/task/...) are the function's folder on this machine.
        function = self.session.function
        local = local_path(reported, function.code_dir) if function is not None else None
        self.open_file(local or Path(reported), line)

    def mark_error_frames(self, result: Any) -> None:
        """Margin marker + inline annotation on every user frame; show the innermost one."""
        function = self.session.function
        if function is None:
            return
        frames = user_frames(result.error, result.logs, function.code_dir)
        self.tabs.mark_frames([(f.path, f.line) for f in frames], error_sentence(result.error))

    def _on_history_pane_restore_requested(self, event_text: str, result: Any) -> None:
        if hasattr(self.event_pane, "set_event_text"):
            self.event_pane.set_event_text(event_text)
        self.results_pane.show_result(result, event_text)
        self.status.show_result(result)

    # -- state ----------------------------------------------------------------
    def _on_function_combo_changed(self, name: str) -> None:
        if name:
            self.select_function(name)

    def _on_event_pane_validity_changed(self, ok: bool, reason: str) -> None:
        self._event_ok, self._event_reason = ok, reason
        self._update_run_actions()

    def _update_run_actions(self) -> None:
        busy = self.session.busy
        invoke = self.actions_by_id["invoke"]
        invoke.setEnabled(self._event_ok and not busy and self.session.function is not None)
        invoke.setToolTip(
            "Run the handler with the event (Ctrl+Enter)" if self._event_ok
            else f"Invoke is disabled: {self._event_reason}"
        )  # fmt: skip
        self.actions_by_id["stop"].setEnabled(busy)
        if not self._event_ok:
            self.status.show_message(f"Invoke is disabled: {self._event_reason}")

    def _on_tabs_file_saved(self, path: Path) -> None:
        if self.is_config_file(path):
            self.reload_project()  # the next invoke must already use the new settings
            return
        function = self.session.function
        if (
            function is not None
            and not self._saving_for_invoke
            and not self.session.busy
            and path.resolve().is_relative_to(function.code_dir.resolve())
        ):
            self.session.reset(prestart=True)  # code changed: Lambda would start a new one

    def _save_function_files(self, code_dir: Path) -> bool:
        # The handler runs what is on disk, so run what the user sees; the invoke
        # itself then resets the environment (no separate prestart racing it).
        saved = False
        self._saving_for_invoke = True
        try:
            for editor in self.tabs.unsaved():
                if editor.path and editor.path.resolve().is_relative_to(code_dir.resolve()):
                    saved = self.tabs.save(editor) or saved
        finally:
            self._saving_for_invoke = False
        return saved

    def _update_title(self) -> None:
        name = f"{self.project.root.name} — " if self.project else ""
        star = "● " if self.tabs.unsaved() else ""
        self.setWindowTitle(f"{star}{name}Lambda Workbench")

    def show_banner(self, sentence: str, key: str = "general") -> None:
        self.banner.show_problem(key, sentence)

    def show_disk_conflict(self, path: Path) -> None:
        self.disk_bar.offer(path)

    def _recent_menu(self) -> Any:
        file_menu: Any = next(
            a.menu() for a in self.menuBar().actions() if a.text().replace("&", "") == "File"
        )
        menu = QMenu("Open &Recent", self)
        file_menu.insertMenu(self.actions_by_id["save"], menu)
        menu.setObjectName("recentMenu")
        return menu

    def toggle_serve(self) -> None:
        self.api.toggle()

    # The debugger's actions (workbench.ui.debug.attach does the work).
    def debug(self) -> None:
        self.debugger.debug()

    def toggle_breakpoint(self) -> None:
        self.debugger.toggle_breakpoint()

    def step_over(self) -> None:
        self.debugger.step_over()

    def step_into(self) -> None:
        self.debugger.step_into()

    def step_out(self) -> None:
        self.debugger.step_out()

    def stop_debugging(self) -> None:
        self.debugger.stop()

    # -- theme, layout, recovery, quit ----------------------------------------
    def apply_theme(self, theme: Theme) -> None:
        self.theme = theme
        self.tabs.apply_theme(theme)
        recolour_icons(self.actions_by_id, theme.ui["text"])
        self.actions_by_id["invoke"].setIcon(
            qtawesome.icon("mdi6.play", color=theme.ui["accent_text"])
        )
        self.tree.set_icon_colour(theme.ui["muted"])
        for pane in (self.event_pane, self.results_pane, self.history_pane, self.tools):
            if hasattr(pane, "apply_theme"):  # optional hook of the panes
                pane.apply_theme(theme.dark)

    def _on_color_scheme_changed(self, _scheme: object) -> None:
        if self.settings.get("theme") == "auto":
            self._follow_os_theme()

    def _follow_os_theme(self) -> None:
        theme = choose_theme(self.settings.get("theme"))
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        self.apply_theme(theme)

    def _restore_layout(self) -> None:
        store = layout_store()
        geometry = store.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1400, 880)
        self._splitters_restored = False

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if not hasattr(self, "toolbar"):
            return  # still being built
        # Below 1280 px the toolbar shows icons (tooltips name them), Invoke keeps its label.
        style = (Qt.ToolButtonStyle.ToolButtonIconOnly if self.width() < COMPACT_TOOLBAR_PX
                 else Qt.ToolButtonStyle.ToolButtonTextBesideIcon)  # fmt: skip
        for action_id, action in self.actions_by_id.items():
            button = self.toolbar.widgetForAction(action)
            if isinstance(button, QToolButton) and action_id != "invoke":
                button.setToolButtonStyle(style)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        # Splitter sizes are restored once the window has its real size, so the
        # panes' minimum sizes do not squeeze what the user chose.
        if not self._splitters_restored:
            self._splitters_restored = True
            self.workspace.restore(layout_store())

    def save_layout(self) -> None:
        store = layout_store()
        store.setValue("geometry", self.saveGeometry())
        self.workspace.save(store)
        store.sync()

    def write_recovery(self) -> None:
        buffers = {e.path: e.text() for e in self.tabs.unsaved() if e.path is not None}
        try:
            self.recovery.write(buffers)
        except OSError as error:
            self.status.show_message(f"Could not write the recovery copy ({error}).")

    def offer_recovery(self) -> int:
        """Offer buffers a crash left behind; returns how many were restored."""
        return offer_recovery(self.recovery, self.tabs, self)

    def _ask_about_events(self) -> bool:
        """Saved events with unsaved edits: Save, Discard or Cancel (False) before quitting."""
        names = self.event_pane.unsaved_names()
        if not names:
            return True
        question = f"Save the changes to the saved events {', '.join(names)}?"
        return save_discard_or_cancel(self, "Unsaved events", question, self.event_pane.save_all)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.tabs.ask_to_save_all("before quitting") or not self._ask_about_events():
            event.ignore()
            return
        self.save_layout()
        self.settings.flush()  # the recent-projects list may still be on its way to disk
        self._recovery_timer.stop()
        self.tools.stop_all()
        self.session.close_now()
        self.watcher.stop()
        self.api.close()
        self.debugger.close()
        self.recovery.clear()
        event.accept()


def stopped_result(function: Any, seconds: float, logs: str) -> InvocationResult:
    """What history and the result pane keep of an invoke the user stopped."""
    return InvocationResult(
        request_id="", runner="", cold_start=False, payload=None,
        error={"errorType": "Stopped", "errorMessage": f"Stopped after {seconds:.1f} s."},
        logs=logs, duration_ms=seconds * 1000, billed_duration_ms=0, init_duration_ms=None,
        memory_size_mb=getattr(function, "memory_mb", 128), max_memory_used_mb=None,
        cost_usd=0.0, function_name=getattr(function, "name", ""),
    )  # fmt: skip
