"""Tune tab: duration and cost against memory (Docker), a recommendation, and Apply."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.progress import CancelToken, Sink
from workbench.core.settings import Settings
from workbench.core.tune import (
    DEFAULT_STRATEGY,
    MAX_INVOKES,
    STRATEGIES,
    Recommendation,
    SizeResult,
    parse_memory_sizes,
    recommend,
)
from workbench.ui.tune.charts import Chart
from workbench.ui.worker import Task, start_task

COLUMNS = ["memory", "init ms", "p50 ms", "p90 ms", "billed p50", "$/M x86_64", "$/M arm64",
           "max mem", "errors"]  # fmt: skip
PROCESS_REFUSAL = (
    "Tuning needs the Docker runner: only a container limits memory and CPU the way Lambda "
    "does. Choose the Docker runner in Settings (Docker must be running)."
)


class TunePane(QWidget):
    """The same inputs as `lambda-workbench tune`; Apply writes the chosen memory."""

    #: the function's new settings after Apply wrote them into the project
    function_saved = Signal(object)
    #: tuning finished: the Recommendation (also after Stop, over the sizes done)
    tune_finished = Signal(object)
    #: one size measured (SizeResult), from the worker
    _size_done = Signal(object)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.project: Any = None
        self.function: FunctionConfig | None = None
        self.event_provider: Callable[[], bytes | None] = lambda: b"{}"
        self.task: Task | None = None
        self.results: list[SizeResult] = []
        self.recommendation: Recommendation | None = None
        self.charts: dict[str, Chart] = {}
        self._dark = False
        self.sizes = QLineEdit("128,256,512,1024,1769")
        self.invokes = QSpinBox(minimum=1, maximum=MAX_INVOKES, value=10)
        self.strategy = QComboBox()
        self.strategy.addItems(list(STRATEGIES))
        self.strategy.setCurrentText(DEFAULT_STRATEGY)
        self.run_button = QPushButton("Run tuning")
        self.stop_button = QPushButton("Stop")
        self.apply_button = QPushButton("Apply")
        self.apply_button.setToolTip("Write the recommended memory into the function's settings")
        self.status = QLabel(wordWrap=True)
        self.status.setObjectName("tuneStatus")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(22)
        # One row of inputs on top, so the table and the charts get the tab's height.
        inputs = QHBoxLayout()
        for label, widget in (("Memory sizes", self.sizes), ("Warm invokes", self.invokes),
                              ("Strategy", self.strategy)):  # fmt: skip
            inputs.addWidget(QLabel(label))
            inputs.addWidget(widget, 2 if widget is self.sizes else 0)
        for button in (self.run_button, self.stop_button, self.apply_button):
            inputs.addWidget(button)
        self.chart_row = QHBoxLayout()
        results = QHBoxLayout()
        results.addWidget(self.table, 1)
        results.addLayout(self.chart_row, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(inputs)
        layout.addWidget(self.status)
        layout.addLayout(results, 1)
        self.run_button.clicked.connect(self.run)
        self.stop_button.clicked.connect(self.stop)
        self.apply_button.clicked.connect(self.apply)
        self.strategy.currentTextChanged.connect(lambda _s: self._recommend())
        self._size_done.connect(self._on_size_done)
        self._update_buttons()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.ensure_charts()

    def ensure_charts(self) -> None:
        if self.charts:
            return
        self.charts = {
            "duration": Chart("Duration (warm p50)", "memory (MB)", "ms", ["p50"]),
            "cost": Chart("Cost", "memory (MB)", "$ per million", ["x86_64", "arm64"]),
        }
        for chart in self.charts.values():
            chart.apply_theme(self._dark)
            self.chart_row.addWidget(chart.widget, 1)

    def set_function(self, project: Any, function: FunctionConfig | None) -> None:
        self.project, self.function = project, function
        self._update_buttons()

    def run(self) -> Task | None:
        if self.function is None or self.task is not None:
            return None
        if self.settings.get("runner") == "process":
            self.status.setText(PROCESS_REFUSAL)
            return None
        try:
            sizes = parse_memory_sizes(self.sizes.text())
        except WorkbenchError as error:
            self.status.setText(str(error))
            return None
        event = self.event_provider()
        if event is None:
            self.status.setText("The event is not valid JSON; fix it in the Event pane first.")
            return None
        function, invokes, settings = self.function, self.invokes.value(), self.settings
        self.show_results([])
        self.status.setText(f"Tuning {function.name} at {len(sizes)} sizes…")

        def work(cancel: CancelToken, _sink: Sink) -> list[SizeResult]:
            from workbench.core.runtime.host import FunctionHost
            from workbench.core.runtime.runners import resolve_runner
            from workbench.core.tune import tune

            runner = resolve_runner("docker")
            image = settings.get("images").get(function.runtime)
            with FunctionHost(runner, image=image, settings=settings, default_limit=1) as host:
                return tune(host, function, event, sizes, invokes, cancel=cancel,
                            on_size=self._size_done.emit)  # fmt: skip

        self.task = start_task(
            work, on_error=self.status.setText, on_finished=self._on_finished,
            on_cancelled=lambda: self.status.setText("Stopped."),
        )  # fmt: skip
        self._update_buttons()
        return self.task

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def show_results(self, results: list[SizeResult]) -> None:
        """Show measured sizes (the worker's, one by one) and recommend among them."""
        self.results = []
        self.table.setRowCount(0)
        self.ensure_charts()
        for chart in self.charts.values():
            chart.clear()
        for result in results:
            self._on_size_done(result)
        self._recommend()

    def apply(self) -> None:
        """Write the recommended memory into the function's settings (project file/template)."""
        rec, function = self.recommendation, self.function
        if rec is None or rec.memory_mb is None or function is None or self.project is None:
            return
        from workbench.core.project import save_function

        changed = replace(function, memory_mb=rec.memory_mb)
        try:
            notices = save_function(self.project, changed)
        except WorkbenchError as error:
            self.status.setText(str(error))
            return
        self.function = changed
        self.status.setText(
            " ".join([f"{function.name} now has {rec.memory_mb} MB of memory.", *notices])
        )
        self.function_saved.emit(changed)
        self._update_buttons()

    def apply_theme(self, dark: bool) -> None:
        self._dark = dark
        for chart in self.charts.values():
            chart.apply_theme(dark)

    def _on_size_done(self, result: SizeResult) -> None:
        self.results.append(result)
        data = result.to_json_dict()
        per_million = {a: (result.cost_per_invoke(a) or 0.0) * 1e6 for a in ("x86_64", "arm64")}

        def num(value: Any, pattern: str = "{:.2f}") -> str:
            return "-" if value is None else pattern.format(value)

        cells = [
            f"{result.memory_mb} MB", num(data["initDurationMs"]), num(data["p50Ms"]),
            num(data["p90Ms"]), num(data["billedMsP50"], "{} ms"),
            f"{per_million['x86_64']:.4f}", f"{per_million['arm64']:.4f}",
            num(data["maxMemoryUsedMb"], "{} MB"), str(result.errors),
        ]  # fmt: skip
        row = self.table.rowCount()
        self.table.insertRow(row)
        for column, text in enumerate(cells):
            self.table.setItem(row, column, QTableWidgetItem(text))
        self.ensure_charts()
        self.charts["duration"].add(result.memory_mb, {"p50": data["p50Ms"]})
        self.charts["cost"].add(result.memory_mb, per_million)

    def _recommend(self) -> None:
        if not self.results:
            self.recommendation = None
        else:
            self.recommendation = recommend(self.results, self.strategy.currentText())
            self.status.setText(f"Recommended: {self.recommendation.reason}")
        self._update_buttons()

    def _on_finished(self) -> None:
        self.task = None
        self._recommend()
        if self.recommendation is not None:
            self.tune_finished.emit(self.recommendation)
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.task is not None
        rec = self.recommendation
        self.run_button.setEnabled(self.function is not None and not running)
        self.stop_button.setEnabled(running)
        self.apply_button.setEnabled(
            not running and rec is not None and rec.memory_mb is not None
            and self.project is not None
            and (self.function is None or rec.memory_mb != self.function.memory_mb)
        )  # fmt: skip
