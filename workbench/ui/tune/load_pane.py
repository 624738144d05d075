"""Load tab: N invokes, C in flight, on a worker; environments, latency and errors charted live."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.core.function import FunctionConfig, validate_limits
from workbench.core.load import MAX_CONCURRENCY, MAX_REQUESTS, LoadSummary
from workbench.core.progress import CancelToken, Sink
from workbench.core.settings import Settings
from workbench.ui.tune.charts import Chart
from workbench.ui.worker import Task, start_task

REPORTS_PER_S = 10  # live chart updates; the worker drops the reports in between


class LoadPane(QWidget):
    """The same inputs as `lambda-workbench load`; the charts build on first show."""

    #: the finished run's summary dict (the `load --output json` object), also after Stop
    run_finished = Signal(object)
    #: a snapshot of the run (dict) at most REPORTS_PER_S times a second, from the worker
    _report = Signal(object)

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.function: FunctionConfig | None = None
        self.event_provider: Callable[[], bytes | None] = lambda: b"{}"
        self.task: Task | None = None
        self.charts: dict[str, Chart] = {}
        self._dark = False
        self.last_summary: dict[str, Any] | None = None
        self.requests = QSpinBox(minimum=1, maximum=MAX_REQUESTS, value=200)
        self.concurrency = QSpinBox(minimum=1, maximum=MAX_CONCURRENCY, value=8)
        self.memory = QSpinBox(minimum=0, maximum=10_240, value=0, suffix=" MB")
        self.memory.setSpecialValueText("function's")
        self.run_button = QPushButton("Run load")
        self.stop_button = QPushButton("Stop")
        self.progress = QProgressBar()
        self.status = QLabel(wordWrap=True)
        self.status.setObjectName("loadStatus")
        form = QFormLayout()
        form.addRow("Requests", self.requests)
        form.addRow("Concurrency", self.concurrency)
        form.addRow("Memory", self.memory)
        controls = QVBoxLayout()
        controls.addLayout(form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.run_button)
        buttons.addWidget(self.stop_button)
        controls.addLayout(buttons)
        controls.addWidget(self.progress)
        controls.addWidget(self.status, 1)
        self.chart_row = QHBoxLayout()
        layout = QHBoxLayout(self)
        layout.addLayout(controls)
        layout.addLayout(self.chart_row, 1)
        self.run_button.clicked.connect(self.run)
        self.stop_button.clicked.connect(self.stop)
        self._report.connect(self._on_report)
        self._update_buttons()

    def showEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        self.ensure_charts()

    def ensure_charts(self) -> None:
        if self.charts:
            return
        self.charts = {
            "environments": Chart(
                "Environments", "time (s)", "count", ["in flight", "environments"]
            ),
            "latency": Chart("Duration", "time (s)", "ms", ["p50", "p90", "p99"]),
            "errors": Chart("Errors", "time (s)", "count", ["errors", "throttles"]),
        }
        for chart in self.charts.values():
            chart.apply_theme(self._dark)
            self.chart_row.addWidget(chart.widget, 1)

    def set_function(self, function: FunctionConfig | None) -> None:
        self.function = function
        self._update_buttons()

    def run(self) -> Task | None:
        if self.function is None or self.task is not None:
            return None
        function = self.function
        if self.memory.value():
            function = replace(function, memory_mb=self.memory.value())
            problems = validate_limits(function)
            if problems:
                self.status.setText(" ".join(problems))
                return None
        event = self.event_provider()
        if event is None:
            self.status.setText("The event is not valid JSON; fix it in the Event pane first.")
            return None
        requests, concurrency = self.requests.value(), self.concurrency.value()
        self.ensure_charts()
        for chart in self.charts.values():
            chart.clear()
        self.progress.setRange(0, requests)
        self.progress.setValue(0)
        self.status.setText(f"Sending {requests:,} requests, {concurrency} at a time…")
        settings, report = self.settings, self._report

        def work(cancel: CancelToken, _sink: Sink) -> LoadSummary:
            from workbench.core.load import run_load
            from workbench.core.runtime.host import FunctionHost
            from workbench.core.runtime.runners import resolve_runner

            runner = resolve_runner(settings.get("runner"))
            image = settings.get("images").get(function.runtime)
            reserved = function.reserved_concurrency
            limit = min(concurrency, reserved) if reserved else concurrency
            started = time.monotonic()
            last = [0.0]

            def on_progress(summary: LoadSummary, in_flight: int) -> None:
                now = time.monotonic()
                if now - last[0] >= 1 / REPORTS_PER_S or summary.requests == requests:
                    last[0] = now
                    report.emit(snapshot(summary, in_flight, now - started))

            with FunctionHost(runner, image=image, settings=settings, default_limit=limit) as host:
                host.add(function, limit=limit)
                summary = run_load(
                    host, function.name, event, requests, concurrency,
                    reserved=reserved, cancel=cancel, on_progress=on_progress,
                )  # fmt: skip
            report.emit(snapshot(summary, 0, time.monotonic() - started))
            return summary

        self.task = start_task(
            work, on_result=self._on_result, on_error=self.status.setText,
            on_finished=self._on_finished,
        )  # fmt: skip
        self._update_buttons()
        return self.task

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()

    def apply_theme(self, dark: bool) -> None:
        self._dark = dark
        for chart in self.charts.values():
            chart.apply_theme(dark)

    def _on_report(self, data: dict[str, Any]) -> None:
        self.progress.setValue(min(self.progress.maximum(), data["done"]))
        t = data["t"]
        self.charts["environments"].add(
            t, {"in flight": data["in_flight"], "environments": data["environments"]}
        )
        self.charts["latency"].add(t, {"p50": data["p50"], "p90": data["p90"], "p99": data["p99"]})
        self.charts["errors"].add(t, {"errors": data["errors"], "throttles": data["throttles"]})

    def _on_result(self, summary: LoadSummary) -> None:
        data = summary.to_json_dict()
        self.last_summary = data
        stopped = " (stopped)" if summary.interrupted else ""
        self.status.setText(
            f"{data['requests']:,} requests{stopped} in {data['wallS']:.2f} s "
            f"({data['throughputPerS']:.1f}/s): {data['environments']} environments, "
            f"{data['coldStarts']} cold starts, {data['errors']} errors, {data['throttles']} "
            f"throttles; p50 {data['p50Ms']} ms, p90 {data['p90Ms']} ms, p99 {data['p99Ms']} ms; "
            f"${data['costPerMillionUsd']:.2f} per million"
            + (f". First error: {summary.first_error}" if summary.first_error else "")
        )
        self.run_finished.emit(data)

    def _on_finished(self) -> None:
        self.task = None
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.run_button.setEnabled(self.function is not None and self.task is None)
        self.stop_button.setEnabled(self.task is not None)


def snapshot(summary: LoadSummary, in_flight: int, t: float) -> dict[str, Any]:
    latency = summary.latency
    return {
        "t": round(t, 3),
        "done": summary.requests,
        "in_flight": in_flight,
        "environments": summary.environments,
        "p50": latency.percentile(0.5),
        "p90": latency.percentile(0.9),
        "p99": latency.percentile(0.99),
        "errors": summary.errors,
        "throttles": summary.throttles,
    }
