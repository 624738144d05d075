"""Results pane: Response, Logs and Metrics tabs for the last invoke, fed live while it runs."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QSizePolicy,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from workbench.core.invoke import InvocationResult
from workbench.core.units import describe_bytes, describe_ms
from workbench.ui.results.error_view import ErrorView
from workbench.ui.results.first_run_bar import FirstRunBar, is_image_problem, window_sentence
from workbench.ui.results.logs_view import LogsView
from workbench.ui.results.metrics_view import MetricsView
from workbench.ui.results.response_view import ResponseView

RESPONSE_TAB, LOGS_TAB, METRICS_TAB = 0, 1, 2


class ResultsPane(QWidget):
    """What the last invoke produced; the window calls show_running, append_output, show_result."""

    #: (path as written, 1-based line) when a `File "...", line N` link is clicked in the
    #: logs or the error's stack trace; the window maps /var/task paths to the project
    file_link_activated = Signal(str, int)

    def __init__(self, parent: QWidget | None = None, *, log_line_cap: int | None = None) -> None:
        super().__init__(parent)
        self.headline = QLabel()
        self.headline.setObjectName("resultHeadline")
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)  # indeterminate while the function runs
        self.busy.setMaximumWidth(120)
        self.busy.setMaximumHeight(12)
        # Long sentences wrap or elide; a label never widens the window past the screen.
        self.headline.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.banner = QLabel(wordWrap=True)
        self.banner.setObjectName("resultBanner")
        self.banner.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.first_run = FirstRunBar()
        self.banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.banner.setStyleSheet(
            "background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
            "border-radius: 4px; padding: 6px"
        )
        self.response = ResponseView()
        self.error_view = ErrorView()
        self.response_stack = QStackedWidget()
        self.response_stack.addWidget(self.response)
        self.response_stack.addWidget(self.error_view)
        self.logs = LogsView(line_cap=log_line_cap)
        self.metrics = MetricsView()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.response_stack, "Response")
        self.tabs.addTab(self.logs, "Logs")
        # Scrolls rather than holding the pane tall: at small sizes the editor gets the room.
        metrics_scroll = QScrollArea()
        metrics_scroll.setWidget(self.metrics)
        metrics_scroll.setWidgetResizable(True)
        metrics_scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.tabs.addTab(metrics_scroll, "Metrics")
        # Explicit minimums below the pages' own, so at 1024x700 the editor keeps the room.
        self.tabs.setMinimumHeight(90)
        head = QHBoxLayout()
        head.addWidget(self.headline, 1)
        head.addWidget(self.busy)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addWidget(self.banner)
        layout.addWidget(self.first_run)
        layout.addWidget(self.tabs, 1)
        self.result: InvocationResult | None = None
        self.event_text = ""
        self.logs.file_link_activated.connect(self.file_link_activated)
        self.error_view.file_link_activated.connect(self.file_link_activated)
        self.clear()

    # Contract -----------------------------------------------------------------
    def clear(self) -> None:
        self.result = None
        self.event_text = ""
        self.headline.setText("Invoke the function to see its response, logs and metrics.")
        self.busy.hide()
        self.banner.hide()
        self.first_run.hide()
        self.response.clear()
        self.response_stack.setCurrentWidget(self.response)
        self.logs.clear()
        self.metrics.clear()

    def show_running(self, function_name: str) -> None:
        self.clear()
        self.headline.setText(f"Running {function_name}…")
        self.busy.show()
        if self.tabs.currentIndex() == RESPONSE_TAB:
            self.tabs.setCurrentIndex(LOGS_TAB)  # the response is empty until it ends

    def logs_text(self) -> str:
        """Everything logged so far (also while running)."""
        return self.logs.full_text()

    def append_output(self, text: str) -> None:
        """Live output while the function runs (cheap: batched onto the screen by a timer)."""
        self.logs.append(text)

    def show_result(self, result: InvocationResult, event_text: str) -> None:
        self.result = result
        self.event_text = event_text
        self.busy.hide()
        self.banner.hide()
        self.logs.set_logs(result.logs)
        self.logs.set_truncated_bytes(result.logs_truncated_bytes)
        self.metrics.show_result(result)
        start = "cold start" if result.cold_start else "warm"
        name = result.function_name or "The function"
        if result.succeeded:
            self.response.show_payload(result.payload)
            self.response_stack.setCurrentWidget(self.response)
            size = describe_bytes(len(result.payload or b""))
            self.headline.setText(
                f"<span style='color:#2e7d32'>●</span> {name} succeeded in "
                f"{describe_ms(result.duration_ms)} ({start}), response {size}"
            )
        else:
            error = result.error or {}
            self.error_view.show_error(error, result.hints)
            self.response_stack.setCurrentWidget(self.error_view)
            self.headline.setText(
                f"<span style='color:#c62828'>●</span> {name} failed after "
                f"{describe_ms(result.duration_ms)} ({start}): {error.get('errorType', 'Error')}"
            )
        self.tabs.setCurrentIndex(RESPONSE_TAB)

    def apply_theme(self, dark: bool) -> None:
        """Recolour the parts that do not follow the Qt palette (JSON body, log styles)."""
        self.response.body.apply_theme(dark)
        self.logs.text.apply_theme(dark)

    def show_error(self, sentence: str) -> None:
        """The invoke could not run at all (Docker down, bad handler path...): say why."""
        self.busy.hide()
        image_problem = is_image_problem(sentence)
        self.banner.setText(window_sentence(sentence) if image_problem else sentence)
        self.banner.show()
        self.first_run.setVisible(image_problem)
        self.headline.setText("The invoke did not run.")
