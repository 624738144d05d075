"""Workspace: the window's panes arranged in splitters whose sizes persist in config_dir()."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from workbench.core.settings import config_dir
from workbench.ui.app.banner import Banner
from workbench.ui.editor.disk_bar import DiskChangeBar
from workbench.ui.editor.editor_tabs import EditorTabs
from workbench.ui.editor.find_bar import FindBar
from workbench.ui.events.event_pane import EventPane
from workbench.ui.history.history_pane import HistoryPane
from workbench.ui.results.results_pane import ResultsPane
from workbench.ui.tree.project_tree import ProjectTree

# name -> default sizes; outer: tree | rest, vertical: top / results,
# top: editor | right, right: event / history
SPLITTERS = {"outer": [220, 1180], "vertical": [540, 290], "top": [780, 400], "right": [360, 140]}
# The same split as fractions of what the window really has at first show (no saved layout).
FRACTIONS = {"outer": 0.17, "vertical": 0.64, "top": 0.64, "right": 0.7}
# Stretch factors (first, second): growing or shrinking the window keeps the split's
# proportions, so at small sizes the editor keeps the largest share.
STRETCH = {"outer": (1, 5), "vertical": (2, 1), "top": (2, 1), "right": (2, 1)}


class Workspace(QWidget):
    """Project tree left, editor tabs centre, event and history right, results below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.tree = ProjectTree()
        self.tabs = EditorTabs()
        self.find_bar = FindBar(self.tabs.current_editor)
        self.event_pane = EventPane()
        self.results_pane = ResultsPane()
        self.history_pane = HistoryPane()
        self.banner = Banner()
        self.disk_bar = DiskChangeBar(self.tabs)
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        centre_layout.addWidget(self.disk_bar)
        centre_layout.addWidget(self.tabs, 1)
        centre_layout.addWidget(self.find_bar)
        self.splitters = {name: QSplitter() for name in SPLITTERS}
        outer, vertical, top, right = self.splitters.values()
        right.setOrientation(Qt.Orientation.Vertical)
        right.addWidget(titled("Event", self.event_pane))
        right.addWidget(titled("History", self.history_pane))
        top.addWidget(centre)
        top.addWidget(right)
        vertical.setOrientation(Qt.Orientation.Vertical)
        vertical.addWidget(top)
        vertical.addWidget(titled("Result", self.results_pane))
        outer.addWidget(titled("Project", self.tree))
        outer.addWidget(vertical)
        for name, splitter in self.splitters.items():
            splitter.setObjectName(f"{name}Splitter")
            splitter.setSizes(SPLITTERS[name])
            splitter.setChildrenCollapsible(False)
            for index, factor in enumerate(STRETCH[name]):
                splitter.setStretchFactor(index, factor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        layout.addWidget(outer, 1)

    def restore(self, store: QSettings) -> None:
        for name, splitter in self.splitters.items():
            state = store.value(f"splitter/{name}")
            if state is not None:
                splitter.restoreState(state)
                continue
            total = sum(splitter.sizes())
            first = int(total * FRACTIONS[name])
            splitter.setSizes([first, total - first])

    def save(self, store: QSettings) -> None:
        for name, splitter in self.splitters.items():
            store.setValue(f"splitter/{name}", splitter.saveState())


def layout_store() -> QSettings:
    """Window geometry and splitter sizes (Qt's own format, next to settings.json)."""
    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


def titled(title: str, widget: QWidget) -> QWidget:
    label = QLabel(title.upper())
    label.setObjectName("paneTitle")
    return _column(label, widget)


def _column(first: QWidget, second: QWidget) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(first, 0 if isinstance(first, QLabel) else 1)
    layout.addWidget(second, 1 if isinstance(first, QLabel) else 0)
    return box
