"""ProjectTree: the project's functions and their files, on the left of the window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import qtawesome
import shiboken6
from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtWidgets import QMenu, QTreeWidget, QTreeWidgetItem, QWidget

from workbench.core.function import FunctionConfig
from workbench.core.progress import CancelToken, Sink
from workbench.ui.tree.listing import MAX_FILES, Listing, list_files
from workbench.ui.worker import Task, start_task

PATH_ROLE = Qt.ItemDataRole.UserRole
FUNCTION_ROLE = Qt.ItemDataRole.UserRole + 1
FOLDER_ROLE = Qt.ItemDataRole.UserRole + 2
FILL_BATCH = 200  # items added per event-loop turn (about 10 ms)


class ProjectTree(QTreeWidget):
    """One top-level item per function, its code folder's files beneath it (walked on a worker)."""

    #: a file was double-clicked or activated (absolute path)
    file_activated = Signal(Path)
    #: a function's item was clicked or activated (function name)
    function_activated = Signal(str)
    #: every function's files are listed (after set_functions or refresh)
    filled = Signal()
    #: context menu: new file in a folder (absolute folder path)
    new_file_requested = Signal(Path)
    #: context menu: rename or delete a file (absolute path)
    rename_requested = Signal(Path)
    delete_requested = Signal(Path)
    #: context menu: File > New Function
    new_function_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("projectTree")
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setIndentation(14)
        self._icon_colour = "#666"
        self._icons: dict[tuple[str, str], object] = {}
        self._functions: list[FunctionConfig] = []
        self._template: Path | None = None
        self._task: Task | None = None
        self._generation = 0
        self.listed = False  # the files of the last refresh are all shown
        self.itemActivated.connect(self._on_item_activated)
        self.itemClicked.connect(self._on_item_clicked)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu_requested)

    def set_icon_colour(self, colour: str) -> None:
        self._icon_colour = colour

    def set_functions(self, functions: list[FunctionConfig], template: Path | None = None) -> None:
        # Another project's folders: its expanded state means nothing here (and walking
        # 2,000 items for it costs the GUI thread a few ms).
        same = {f.code_dir for f in functions} == {f.code_dir for f in self._functions}
        self._functions, self._template = list(functions), template
        self.refresh(keep_expanded=same)

    def refresh(self, keep_expanded: bool = True) -> None:
        """Re-list the files (after a change on disk); expanded state is kept by path."""
        expanded = self._expanded_paths() if keep_expanded else set()
        self.listed = False
        self.clear()
        if self._template is not None:
            item = QTreeWidgetItem([self._template.name])
            item.setIcon(0, self._icon("mdi6.file-cog-outline"))
            item.setData(0, PATH_ROLE, str(self._template))
            item.setToolTip(0, str(self._template))
            self.addTopLevelItem(item)
        tops = []
        for function in self._functions:
            top = QTreeWidgetItem([function.name])
            top.setIcon(0, self._icon("mdi6.lambda"))
            top.setData(0, FUNCTION_ROLE, function.name)
            top.setData(0, FOLDER_ROLE, str(function.code_dir))
            top.setToolTip(0, f"{function.handler} · {function.runtime} · {function.memory_mb} MB")
            self.addTopLevelItem(top)
            top.setExpanded(True)
            tops.append((top, function.code_dir))
        self._generation += 1
        generation = self._generation
        roots = [root for _top, root in tops]

        def walk(cancel: CancelToken, _sink: Sink) -> list[Listing]:
            out = []
            for root in roots:
                if cancel.cancelled:
                    break
                out.append(list_files(root))
            return out

        def fill(listings: list[Listing]) -> None:
            if not shiboken6.isValid(self) or generation != self._generation:
                return  # a newer refresh is under way
            steps = (
                step
                for (top, _root), listing in zip(tops, listings, strict=False)
                for step in self._fill_steps(top, listing, expanded)
            )
            self._fill_in_turns(steps, generation)

        if self._task is not None:
            self._task.cancel()
        self._task = start_task(walk, on_result=fill, on_error=lambda _s: self._on_walk_failed())

    def _on_walk_failed(self) -> None:
        if not shiboken6.isValid(self):
            return
        self.listed = True
        self.filled.emit()

    def _fill_in_turns(self, steps: Iterator[None], generation: int) -> None:
        """Add items FILL_BATCH at a time, one batch per event-loop turn (no long stall)."""
        if not shiboken6.isValid(self) or generation != self._generation:
            return
        for _ in range(FILL_BATCH):
            if next(steps, StopIteration) is StopIteration:
                self.listed = True
                self.filled.emit()
                return
        QTimer.singleShot(0, lambda: self._fill_in_turns(steps, generation))

    def _fill(self, top: QTreeWidgetItem, listing: Listing, expanded: set[str]) -> None:
        for _ in self._fill_steps(top, listing, expanded):
            pass

    def _fill_steps(
        self, top: QTreeWidgetItem, listing: Listing, expanded: set[str]
    ) -> Iterator[None]:
        folders: dict[Path, QTreeWidgetItem] = {Path("."): top}
        for folder in listing.folders:
            parent = folders.get(folder.parent, top)
            item = QTreeWidgetItem(parent, [folder.name])
            item.setIcon(0, self._icon("mdi6.folder-outline"))
            item.setData(0, FOLDER_ROLE, str(listing.root / folder))
            item.setExpanded(str(listing.root / folder) in expanded)
            folders[folder] = item
            yield
        for file in listing.files:
            parent = folders.get(file.parent, top)
            item = QTreeWidgetItem(parent, [file.name])
            item.setIcon(0, self._icon(_file_icon(file.name)))
            item.setData(0, PATH_ROLE, str(listing.root / file))
            item.setToolTip(0, str(listing.root / file))
            yield
        if listing.truncated:
            QTreeWidgetItem(top, [f"… more than {MAX_FILES} files, not listed"])
        if listing.problem:
            QTreeWidgetItem(top, [listing.problem])

    def _expanded_paths(self) -> set[str]:
        out = set()
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            if item.isExpanded() and (folder := item.data(0, FOLDER_ROLE)):
                out.add(folder)
            stack.extend(item.child(i) for i in range(item.childCount()))
        return out

    def file_items(self) -> list[Path]:
        """Every file shown (used by tests and the Open action)."""
        paths = []
        stack = [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            if value := item.data(0, PATH_ROLE):
                paths.append(Path(value))
            stack.extend(item.child(i) for i in range(item.childCount()))
        return sorted(paths)

    def select_function(self, name: str) -> None:
        for i in range(self.topLevelItemCount()):
            item = self.topLevelItem(i)
            if item is not None and item.data(0, FUNCTION_ROLE) == name:
                self.setCurrentItem(item)
                return

    def _icon(self, name: str):
        # Drawing an icon from the font costs ~0.4 ms; 2,000 files would stall the window.
        key = (name, self._icon_colour)
        if key not in self._icons:
            self._icons[key] = qtawesome.icon(name, color=self._icon_colour)
        return self._icons[key]

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if value := item.data(0, PATH_ROLE):
            self.file_activated.emit(Path(value))
        elif name := item.data(0, FUNCTION_ROLE):
            self.function_activated.emit(name)

    def _on_item_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        # A click on a function makes it the one Invoke runs (files open on activation).
        if name := item.data(0, FUNCTION_ROLE):
            self.function_activated.emit(name)

    def _on_context_menu_requested(self, point: QPoint) -> None:
        item = self.itemAt(point)
        menu = QMenu(self)
        path = Path(item.data(0, PATH_ROLE)) if item and item.data(0, PATH_ROLE) else None
        folder = item.data(0, FOLDER_ROLE) if item else None
        if folder is None and path is not None:
            folder = str(path.parent)
        if folder is not None:
            target = Path(folder)
            menu.addAction("New File…", lambda: self.new_file_requested.emit(target))
        if path is not None:
            menu.addAction("Rename…", lambda: self.rename_requested.emit(path))
            menu.addAction("Delete", lambda: self.delete_requested.emit(path))
        menu.addSeparator()
        menu.addAction("New Function…", self.new_function_requested.emit)
        menu.popup(self.viewport().mapToGlobal(point))


def _file_icon(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return {
        ".py": "mdi6.language-python", ".js": "mdi6.language-javascript",
        ".mjs": "mdi6.language-javascript", ".ts": "mdi6.language-typescript",
        ".json": "mdi6.code-json", ".yaml": "mdi6.file-cog-outline",
        ".yml": "mdi6.file-cog-outline", ".txt": "mdi6.file-document-outline",
    }.get(suffix, "mdi6.file-outline")  # fmt: skip
