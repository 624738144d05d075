"""ToolsDockWidget: the Tests view and the Load and Tune tabs, docked under the window's panes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDockWidget, QTabWidget, QWidget

from workbench.core.function import FunctionConfig
from workbench.core.settings import Settings
from workbench.ui.testing.tests_pane import TestsPane
from workbench.ui.tune.load_pane import LoadPane
from workbench.ui.tune.tune_pane import TunePane

TESTS_TAB, LOAD_TAB, TUNE_TAB = 0, 1, 2


class ToolsDockWidget(QDockWidget):
    """Tests, Load and Tune for the open project and the selected function."""

    #: a tab changed the function's settings (Tune's Apply): the new FunctionConfig
    function_saved = Signal(object)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__("Tests, load and tuning", parent)
        self.setObjectName("toolsDock")
        self.tests = TestsPane(settings)
        self.load = LoadPane(settings)
        self.tune = TunePane(settings)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.tests, "Tests")
        self.tabs.addTab(self.load, "Load")
        self.tabs.addTab(self.tune, "Tune")
        self.tabs.setMinimumHeight(300)  # room for a chart and a few table rows
        self.setWidget(self.tabs)
        self.tests.counts_changed.connect(self._on_tests_counts_changed)
        self.tune.function_saved.connect(self.function_saved)

    def set_project(self, project: Any) -> None:
        """The core Project (workbench.core.project.Project) now open."""
        self._project = project
        self.tests.set_project(project)

    def set_function(self, function: FunctionConfig | None) -> None:
        self.load.set_function(function)
        self.tune.set_function(getattr(self, "_project", None), function)

    def set_event_provider(self, provider: Callable[[], bytes | None]) -> None:
        """Where Load and Tune get the event: the Event pane's current text."""
        self.load.event_provider = provider
        self.tune.event_provider = provider

    def apply_theme(self, dark: bool) -> None:
        self.load.apply_theme(dark)
        self.tune.apply_theme(dark)

    def stop_all(self) -> None:
        for part in (self.tests, self.load, self.tune):
            part.stop()

    def _on_tests_counts_changed(self, passed: int, failed: int, errors: int) -> None:
        # The tab title is the count people glance at: "Tests 3 ✓ 1 ✗".
        parts = [f"{passed} ✓"] if passed else []
        if failed or errors:
            parts.append(f"{failed + errors} ✗")
        self.tabs.setTabText(TESTS_TAB, " ".join(["Tests", *parts]))
