"""The window's file commands: New Function, New File, Rename, Delete and Save As."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from workbench.core import project as core_project
from workbench.core.function import FunctionConfig
from workbench.ui.app.project_commands import has_no_functions


class FileCommands:
    """Mixed into MainWindow; the tree's context menu and the File menu call these."""

    def new_function(self, folder: Path | None = None) -> FunctionConfig | None:
        from workbench.ui.dialogs.new_function_dialog import NewFunctionDialog

        w: Any = self
        if folder is not None:
            project = core_project.open_project(folder)
            if has_no_functions(folder):
                project.functions, project.errors = [], []  # not the placeholder default
        elif w.project is not None:
            project = w.project.project
        else:
            w.show_banner("Open a folder first; the new function is created inside it.")
            return None
        dialog = NewFunctionDialog(project, w)
        dialog.created.connect(lambda config: self._on_function_created(project, config))
        dialog.open()
        w.new_function_dialog = dialog
        return None

    def _on_function_created(self, project: Any, config: FunctionConfig) -> None:
        w: Any = self

        def select() -> None:
            w.select_function(config.name)
            w.status.show_message(f"Created {config.name}; press Ctrl+Enter to invoke it.")

        if w.project is None or w.project.root != project.root:
            task = w.open_path(project.template or project.root)
            task.signals.result.connect(lambda _answer: select())
        else:
            w.reload_project(then=select)

    def new_file(self, folder: Path | None = None, name: str | None = None) -> Path | None:
        w: Any = self
        if folder is None:
            function = w.session.function
            if function is None:
                return None
            folder = function.code_dir
        if name is None:
            name, ok = QInputDialog.getText(w, "New File", f"File name in {folder.name}:")
            if not ok or not name.strip():
                return None
        target = _child(folder, name.strip())
        if target is None:
            w.show_banner(f"{name!r} is not a file name inside {folder}; use a plain name.")
            return None
        if target.exists():
            w.show_banner(f"{target} already exists; choose another name.")
            return None
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.touch(exist_ok=False)
        except OSError as error:
            w.show_banner(f"{target} could not be created ({error.strerror or error}).")
            return None
        w.tree.refresh()
        w.open_file(target)
        return target

    def rename_file(self, path: Path, name: str | None = None) -> Path | None:
        w: Any = self
        if name is None:
            name, ok = QInputDialog.getText(w, "Rename", "New name:", text=path.name)
            if not ok or not name.strip() or name == path.name:
                return None
        target = _child(path.parent, name.strip())
        if target is None or target.exists():
            w.show_banner(f"{path.name} cannot be renamed to {name!r}: that name is taken "
                          "or is not a plain file name.")  # fmt: skip
            return None
        try:
            path.rename(target)
        except OSError as error:
            w.show_banner(f"{path} could not be renamed ({error.strerror or error}).")
            return None
        for editor in w.tabs.editors():
            if editor.path is not None and editor.path == path:
                w.tabs.retarget(editor, target)
        w.tree.refresh()
        return target

    def delete_file(self, path: Path, confirm: bool = True) -> bool:
        w: Any = self
        if confirm:
            answer = QMessageBox.question(
                w, "Delete file", f"Delete {path.name}? It is removed from disk."
            )
            if answer != QMessageBox.StandardButton.Yes:
                return False
        try:
            path.unlink()
        except OSError as error:
            w.show_banner(f"{path} could not be deleted ({error.strerror or error}).")
            return False
        w.tabs.disk_changed(path)  # an open tab keeps its text, marked deleted
        w.tree.refresh()
        return True

    def save_as(self, path: Path | None = None) -> bool:
        w: Any = self
        editor = w.tabs.current_editor()
        if editor is None:
            return False
        if path is None:
            start = str(editor.path) if editor.path else ""
            chosen, _ = QFileDialog.getSaveFileName(w, "Save As", start)
            if not chosen:
                return False
            path = Path(chosen)
        saved = bool(w.tabs.save_as(editor, path))
        if saved:
            w.tree.refresh()
        return saved


def _child(folder: Path, name: str) -> Path | None:
    """`folder/name` when name is a plain relative path that stays inside the folder."""
    if not name or name.startswith(("/", "\\")) or ".." in Path(name).parts:
        return None
    target = (folder / name).resolve()
    return target if target.is_relative_to(folder.resolve()) else None
