"""The window's project side: open, reload on change, the active function, create and rename."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMessageBox

from workbench.core import project as core_project
from workbench.core.errors import WorkbenchError
from workbench.core.progress import CancelToken, Sink
from workbench.ui.app.example import is_bundled, user_copy
from workbench.ui.session.function_session import (
    OpenedProject,
    handler_file,
    open_core_project,
    open_project,
    opened,
)
from workbench.ui.worker import start_task

CONFIG_NAMES = ("template.yaml", "template.yml", core_project.PROJECT_FILE)
MAX_RECENT = 10


class ProjectCommands:
    """Mixed into MainWindow (which provides the panes, session, banner, settings)."""

    project: OpenedProject | None
    last_results: dict[str, tuple[Any, str]]

    # -- open -----------------------------------------------------------------
    def open_path(self, path: Path, fallback: Path | None = None) -> Any:
        """Open a folder or template on a worker; a bad path shows a banner, keeps what was open.

        Copying the bundled example, walking for handlers and reading the keyring all
        happen off the GUI thread. `project_opened` or `open_failed` tells the outcome;
        with `fallback`, a failure opens that instead (the example after a lost project).
        """
        w: Any = self
        path = Path(path).expanduser()
        w.opening += 1
        w.status.show_message(f"Opening {path.name}…")

        def work(_cancel: CancelToken, _sink: Sink) -> tuple[str, Any, Path]:
            target = user_copy(path) if is_bundled(path) else path  # never edit the install
            if not target.exists():
                raise WorkbenchError(
                    f"{target} does not exist; give a project folder or a template file."
                )
            core = open_core_project(target)
            if target.is_dir() and _is_empty(core):
                return "empty", core, target
            return "project", opened(core, target), target

        def done(answer: tuple[str, Any, Path]) -> None:
            kind, project, target = answer
            if kind == "empty":
                self._offer_starter(target)
                return
            switching = w.project is not None and project.root != w.project.root
            if switching and not w.tabs.ask_to_save_all("before opening another project"):
                return
            w.opening += 1  # until the second half of the switch has run

            def opened_now() -> None:
                w.opening -= 1
                if w.project is not project:
                    return  # another project was opened in between
                self._remember_recent(project.root if project.project.kind == "folder" else target)
                w.status.show_message(f"Opened {project.root.name}.")
                w.project_opened.emit(project.root)

            self._switch_to(project, then=opened_now)

        def failed(sentence: str) -> None:
            if fallback is not None:
                self.open_path(fallback)
                return
            w.show_banner(sentence)
            w.status.show_message(sentence)
            w.open_failed.emit(sentence)

        def finished() -> None:
            w.opening -= 1

        return start_task(work, on_result=done, on_error=failed, on_finished=finished)

    def _switch_to(self, project: OpenedProject, then: Any = None) -> None:
        """Show `project`, in two event-loop turns: its tree and functions, then its first
        function (editor, event, history). Each half of a big project's switch stays
        well under 50 ms of GUI time, and the window paints in between."""
        w: Any = self
        if w.project is None or project.root != w.project.root:
            w.tabs.close_all()
            w.results_pane.clear()
            w.last_result = None
            self.last_results = {}
            w.watcher.watch(project.root)
        w.project = project
        w.banner.dismiss()
        w.tools.set_project(project.project)
        self._show_project_problems(project)
        self._show_functions(project)
        w._update_title()

        def second_half() -> None:
            if not shiboken6.isValid(w):
                return
            if w.project is project:
                w.select_function(project.functions[0].name)
                w._update_title()
            if then is not None:
                then()

        QTimer.singleShot(0, second_half)

    def _show_functions(self, project: OpenedProject) -> None:
        w: Any = self
        w.tree.set_functions(project.functions, getattr(project.project, "template", None))
        current = w.function_combo.currentText()
        w.function_combo.blockSignals(True)
        w.function_combo.clear()
        w.function_combo.addItems([f.name for f in project.functions])
        if current in project.project.function_names:
            w.function_combo.setCurrentText(current)
        w.function_combo.blockSignals(False)

    def _show_project_problems(self, project: OpenedProject) -> None:
        w: Any = self
        if project.warnings:
            w.banner.show_problem("project", " ".join(project.warnings))
        else:
            w.banner.clear_problem("project")

    def reload_project(self, then: Any = None) -> None:
        """Re-read the project on a worker after a config change; a broken file keeps the last
        good one (with a banner naming file, line and column). `then` runs once applied."""
        w: Any = self
        if w.project is None:
            return
        root, template = w.project.root, w.project.project.template
        source = template or root

        def work(_cancel: CancelToken, _sink: Sink) -> OpenedProject:
            check_config(root, template)
            return open_project(source)

        def done(fresh: OpenedProject) -> None:
            if w.project is None or w.project.root != fresh.root:
                return  # another project was opened meanwhile
            self._apply_reload(fresh)
            if then is not None:
                then()

        def failed(sentence: str) -> None:
            w.banner.show_problem(
                "project", f"{sentence} The last good settings stay in use until it is fixed."
            )
            w.project_reloaded.emit()

        start_task(work, on_result=done, on_error=failed)

    def _apply_reload(self, fresh: OpenedProject) -> None:
        w: Any = self
        old = {f.name: f for f in w.project.functions}
        w.project = fresh
        w.tools.set_project(fresh.project)
        self._show_project_problems(fresh)
        self._show_functions(fresh)
        current = w.session.function
        names = fresh.project.function_names
        if current is None or current.name not in names:
            w.select_function(fresh.functions[0].name)
        else:
            new = next(f for f in fresh.functions if f.name == current.name)
            if old.get(current.name) != new:
                # New memory, timeout, environment...: Lambda would start a new environment.
                w.session.update_function(new)
                w.tools.set_function(new)
                w.status.show_message(
                    f"{new.name}'s settings changed: its environment was retired and restarts."
                )
            else:
                w.session.function = new
        w.project_reloaded.emit()

    def _offer_starter(self, folder: Path) -> bool:
        w: Any = self
        answer = QMessageBox.question(
            w, "No function here yet",
            f"{folder} has no Lambda function yet. Create one from a starter?",
        )  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            w.show_banner(
                f"{folder} has no Lambda function; use File > New Function to create one."
            )
            return False
        return bool(w.new_function(folder=folder))

    # -- the active function --------------------------------------------------
    def select_function(self, name: str) -> None:
        w: Any = self
        if w.project is None:
            return
        function = next((f for f in w.project.functions if f.name == name), None)
        if function is None:
            return
        if w.function_combo.currentText() != name:
            w.function_combo.setCurrentText(name)  # re-enters through the signal
            return
        if w.session.function is not None and w.session.function.name == name:
            if w.session.function != function:
                w.session.update_function(function)
                w.tools.set_function(function)
            return
        w.session.set_function(function)
        w.tools.set_function(function)
        w.tree.select_function(name)
        w.event_pane.set_function(w.project.root, function.name)
        w.history_pane.set_function(w.project.root, function.name)
        if hasattr(w.event_pane, "validity"):  # the saved event may already be invalid
            w._event_ok, w._event_reason = w.event_pane.validity()
        w._update_run_actions()
        last = self.last_results.get(name)
        if last is not None:
            w.results_pane.show_result(*last)
            w.last_result = last[0]
        else:
            w.results_pane.clear()
            w.last_result = None
        source = handler_file(function)
        if source is not None:
            w.open_file(source)

    # -- changes on disk ------------------------------------------------------
    def is_config_file(self, path: Path) -> bool:
        w: Any = self
        if w.project is None:
            return False
        config = {w.project.root / name for name in CONFIG_NAMES}
        if w.project.project.template is not None:
            config.add(w.project.project.template)
        return path.resolve() in {c.resolve() for c in config}

    def on_project_changed(self, paths: list[Path]) -> None:
        """The watcher saw `paths` change: reload config, retire stale code, follow files."""
        w: Any = self
        if w.project is None:
            return
        shown = set(w.tree.file_items())
        function = w.session.function
        code_dir = function.code_dir.resolve() if function else None
        need_reload = refresh_tree = code_changed = False
        for path in paths:
            if self.is_config_file(path) and not w.tabs.is_own_write(path):
                need_reload = True  # saved elsewhere (our own saves reload at once)
            outcome = w.tabs.disk_changed(path)
            if outcome == "conflict":
                w.show_disk_conflict(path)
            if (path in shown) != path.is_file():
                refresh_tree = True
            if (
                code_dir is not None
                and path.resolve().is_relative_to(code_dir)
                and not self.is_config_file(path)
                and not path.resolve().is_relative_to(w.project.root.resolve() / "events")
                and not w.tabs.is_own_write(path)
            ):
                code_changed = True
        if need_reload:
            self.reload_project()
        elif refresh_tree:
            w.tree.refresh()
        if code_changed and not need_reload and not w.session.busy:
            w.session.reset(prestart=True)  # an outside edit: Lambda would run the new code
            w.status.show_message("Code changed on disk: a fresh environment is starting.")

    # -- recent ---------------------------------------------------------------
    def _remember_recent(self, root: Path) -> None:
        w: Any = self
        recent = [str(root)] + [p for p in w.settings.get("recent_projects") if p != str(root)]
        write = w.settings.remember("recent_projects", recent[:MAX_RECENT])
        # Written on a worker (the fsync can take long); a read-only config folder must
        # not stop the project from opening, so a failed write is not reported.
        start_task(lambda _cancel, _sink: write(), on_error=lambda _sentence: None)
        w.rebuild_recent_menu()

    def rebuild_recent_menu(self) -> None:
        w: Any = self
        menu = w.recent_menu
        menu.clear()
        for entry in w.settings.get("recent_projects"):
            action = menu.addAction(entry)
            action.triggered.connect(lambda _c=False, p=entry: self.open_path(Path(p)))
        menu.setEnabled(bool(menu.actions()))


def check_config(root: Path, template: Path | None) -> None:
    """Raise WorkbenchError (file, line, column) when a config file is half-written."""
    from workbench.core.project import cfn_yaml, projectfile

    projectfile.read(root)
    if template is not None and template.exists():
        cfn_yaml.load(template, cfn_yaml.read_text(template))


def _is_empty(project: Any) -> bool:
    """A folder with no project file, no template and no handler code: nothing to open yet."""
    if project.kind != "folder" or project.project_file.exists():
        return False
    return not project.handler_candidates and all(
        handler_file(f) is None for f in project.functions
    )


def has_no_functions(folder: Path) -> bool:
    try:
        return _is_empty(core_project.open_project(folder))
    except WorkbenchError:
        return False
