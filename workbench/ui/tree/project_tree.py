"""ProjectTree: the project's functions and their files, on the left of the window."""

from __future__ import annotations

import os
from pathlib import Path

import qtawesome
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from workbench.core.function import FunctionConfig

SKIP_DIRS = {"__pycache__", "node_modules", ".aws-sam", ".git", ".venv", "venv", ".mypy_cache",
             ".pytest_cache", ".ruff_cache", "events"}  # fmt: skip
MAX_FILES = 2000  # a vendored dependency tree should not flood the tree
PATH_ROLE = Qt.ItemDataRole.UserRole
FUNCTION_ROLE = Qt.ItemDataRole.UserRole + 1


class ProjectTree(QTreeWidget):
    """One top-level item per function, its code folder's files beneath it."""

    #: a file was double-clicked or activated (absolute path)
    file_activated = Signal(Path)
    #: a function's item was activated (function name)
    function_activated = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setUniformRowHeights(True)
        self.setIndentation(14)
        self._icon_colour = "#666"
        self.itemActivated.connect(self._on_item_activated)

    def set_icon_colour(self, colour: str) -> None:
        self._icon_colour = colour

    def set_functions(self, functions: list[FunctionConfig], template: Path | None = None) -> None:
        self.clear()
        if template is not None:
            item = QTreeWidgetItem([template.name])
            item.setIcon(0, qtawesome.icon("mdi6.file-cog-outline", color=self._icon_colour))
            item.setData(0, PATH_ROLE, str(template))
            item.setToolTip(0, str(template))
            self.addTopLevelItem(item)
        for function in functions:
            top = QTreeWidgetItem([function.name])
            top.setIcon(0, qtawesome.icon("mdi6.lambda", color=self._icon_colour))
            top.setData(0, FUNCTION_ROLE, function.name)
            top.setToolTip(0, f"{function.handler} · {function.runtime} · {function.memory_mb} MB")
            self.addTopLevelItem(top)
            self._add_files(top, function.code_dir)
            top.setExpanded(True)

    def _add_files(self, parent: QTreeWidgetItem, root: Path) -> None:
        folders: dict[Path, QTreeWidgetItem] = {root: parent}
        count = 0
        for dirpath, dirnames, filenames in os.walk(root):
            dirnames[:] = sorted(
                d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")
            )
            here = Path(dirpath)
            owner = folders[here]
            for name in dirnames:
                item = QTreeWidgetItem(owner, [name])
                item.setIcon(0, qtawesome.icon("mdi6.folder-outline", color=self._icon_colour))
                folders[here / name] = item
            for name in sorted(filenames):
                if name.startswith(".") or name.endswith((".pyc", ".pyo")):
                    continue
                item = QTreeWidgetItem(owner, [name])
                item.setIcon(0, qtawesome.icon(_file_icon(name), color=self._icon_colour))
                item.setData(0, PATH_ROLE, str(here / name))
                item.setToolTip(0, str(here / name))
                count += 1
                if count >= MAX_FILES:
                    QTreeWidgetItem(parent, [f"… more than {MAX_FILES} files, not listed"])
                    return

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

    def _on_item_activated(self, item: QTreeWidgetItem, _column: int) -> None:
        if value := item.data(0, PATH_ROLE):
            self.file_activated.emit(Path(value))
        elif name := item.data(0, FUNCTION_ROLE):
            self.function_activated.emit(name)


def _file_icon(name: str) -> str:
    suffix = Path(name).suffix.lower()
    return {
        ".py": "mdi6.language-python", ".js": "mdi6.language-javascript",
        ".mjs": "mdi6.language-javascript", ".ts": "mdi6.language-typescript",
        ".json": "mdi6.code-json", ".yaml": "mdi6.file-cog-outline",
        ".yml": "mdi6.file-cog-outline", ".txt": "mdi6.file-document-outline",
    }.get(suffix, "mdi6.file-outline")  # fmt: skip
