"""MainWindow: project tree, editor tabs, event, results and history in persistent splitters."""

from __future__ import annotations

import contextlib
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
    QWidget,
)  # fmt: skip

from workbench.core.errors import WorkbenchError
from workbench.core.settings import Settings
from workbench.core.stack_frames import error_sentence, user_frames
from workbench.ui.api.attach import ApiFeature
from workbench.ui.app.actions import build_actions, build_toolbar, recolour_icons
from workbench.ui.app.status_bar import WorkbenchStatusBar
from workbench.ui.app.workspace import Workspace, layout_store
from workbench.ui.debug.attach import DebugFeature
from workbench.ui.editor.recovery import SAVE_INTERVAL_MS, RecoveryStore, offer_recovery
from workbench.ui.results.output_batcher import OutputBatcher
from workbench.ui.session.function_session import (
    FunctionSession,
    OpenedProject,
    handler_file,
    open_project,
)
from workbench.ui.theme import Theme, apply_theme, choose_theme
from workbench.ui.tune.tools_dock import ToolsDockWidget


class MainWindow(QMainWindow):
    """The workbench window. Handlers named in actions.ACTIONS are public methods here."""

    #: the project is open and the window shown (used by --screenshot and tests)
    ready = Signal()
    #: an invoke finished, successfully or not (the InvocationResult, or None on an error)
    invoke_finished = Signal(object)

    def __init__(self, settings: Settings, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.theme = theme
        self.project: OpenedProject | None = None
        self.last_result: Any = None
        self._event_ok, self._event_reason = True, ""
        self._saving_for_invoke = False
        self._outcome: Any = None
        self.output = OutputBatcher(lambda text: self.results_pane.append_output(text), self)
        self.session = FunctionSession(settings, self)
        self.recovery = RecoveryStore()
        self._build_widgets()
        self.api = ApiFeature(self, settings)
        self.debugger = DebugFeature(self, settings)
        self.actions_by_id = build_actions(self)
        self.api.bind(self.actions_by_id["serve"])
        self.toolbar = build_toolbar(self, self.actions_by_id, {"function": self.function_combo})
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self._connect()
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
        self.results_pane.file_link_activated.connect(
            lambda path, line: self.open_file(Path(path), line)
        )
        self.history_pane.restore_requested.connect(self._on_history_pane_restore_requested)
        self.tabs.file_saved.connect(self._on_tabs_file_saved)
        self.tabs.dirty_changed.connect(self._update_title)
        self.session.state_changed.connect(self.status.show_state)
        self.tools.function_saved.connect(self._on_tools_function_saved)
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._on_color_scheme_changed)

    # -- project --------------------------------------------------------------
    def open_path(self, path: Path) -> bool:
        """Open a folder or template; a bad path shows a banner and keeps what was open."""
        try:
            project = open_project(path)
        except WorkbenchError as error:
            self.show_banner(str(error))
            return False
        self.project = project
        self.banner.hide()
        if project.warnings:
            self.show_banner(" ".join(project.warnings))
        self.tree.set_functions(project.functions, getattr(project.project, "template", None))
        self.tools.set_project(project.project)
        self.function_combo.blockSignals(True)
        self.function_combo.clear()
        self.function_combo.addItems([f.name for f in project.functions])
        self.function_combo.blockSignals(False)
        self.select_function(project.functions[0].name)
        self._update_title()
        self._remember_recent(project.root)
        return True

    def select_function(self, name: str) -> None:
        if self.project is None:
            return
        function = next((f for f in self.project.functions if f.name == name), None)
        if function is None:
            return
        if self.function_combo.currentText() != name:
            self.function_combo.setCurrentText(name)  # re-enters through the signal
            return
        self.session.set_function(function)
        self.tools.set_function(function)
        self.event_pane.set_function(self.project.root, function.name)
        self.history_pane.set_function(self.project.root, function.name)
        if hasattr(self.event_pane, "validity"):  # the saved event may already be invalid
            self._event_ok, self._event_reason = self.event_pane.validity()
        self._update_run_actions()
        source = handler_file(function)
        if source is not None:
            self.open_file(source)

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
            reset_first=saved,
        )
        self._update_run_actions()

    def stop(self) -> None:
        self.session.stop()

    def reset_environment(self) -> None:
        self.session.reset()
        self.status.show_message("Environment reset: the next invoke starts cold.")

    def deploy(self) -> None:
        from workbench.ui.dialogs.deploy_dialog import DeployDialog  # boto3 loads only when used

        function = self.session.function
        if function is None:
            self.status.show_message("Open a function first: there is nothing to deploy yet.")
            return
        dialog = DeployDialog(
            function, self.event_pane.event_bytes(), self.last_result,
            self.settings, self,
        )  # fmt: skip
        dialog.open()

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

    def show_about(self) -> None:
        from workbench.ui.dialogs.about_dialog import AboutDialog

        AboutDialog(self).open()

    def show_settings(self) -> None:
        from workbench.ui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.settings, self)
        if dialog.exec():
            self.session.close()  # runner or images may have changed: next invoke rebuilds
            self._follow_os_theme()

    # -- invoke results -------------------------------------------------------
    def _on_invoke_result(self, result: Any, event_text: str) -> None:
        self.output.flush()
        self.last_result = result
        self.results_pane.show_result(result, event_text)
        self.history_pane.add(result, event_text)
        if hasattr(self.event_pane, "current_saved_name"):
            event_name = self.event_pane.current_saved_name()
            self.tools.tests.set_last_result(result.function_name, event_name, result)
        self.status.show_result(result)
        if not result.succeeded:
            self.mark_error_frames(result)
        self._outcome = result

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

    def show_banner(self, sentence: str) -> None:
        self.banner.setText(sentence)
        self.banner.show()

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

    def _remember_recent(self, root: Path) -> None:
        recent = [str(root)] + [p for p in self.settings.get("recent_projects") if p != str(root)]
        # A read-only config folder must not stop the project from opening.
        with contextlib.suppress(OSError, WorkbenchError):
            self.settings.set("recent_projects", recent[:10])

    def write_recovery(self) -> None:
        buffers = {e.path: e.text() for e in self.tabs.unsaved() if e.path is not None}
        try:
            self.recovery.write(buffers)
        except OSError as error:
            self.status.show_message(f"Could not write the recovery copy ({error}).")

    def offer_recovery(self) -> int:
        """Offer buffers a crash left behind; returns how many were restored."""
        return offer_recovery(self.recovery, self.tabs, self)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self.tabs.ask_to_save_all("before quitting"):
            event.ignore()
            return
        self.save_layout()
        self._recovery_timer.stop()
        self.tools.stop_all()
        self.session.close_now()
        self.api.close()
        self.debugger.close()
        self.recovery.clear()
        event.accept()
