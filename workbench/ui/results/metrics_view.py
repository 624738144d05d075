"""Metrics view: durations, memory used against memory size, cold/warm and cost of an invoke."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QProgressBar, QVBoxLayout, QWidget

from workbench.core.invoke import COST_RULE, InvocationResult
from workbench.core.units import describe_ms, describe_usd

_ROWS = (
    ("duration", "Duration"),
    ("billed", "Billed duration"),
    ("init", "Init duration"),
    ("start", "Start"),
    ("memory", "Max memory used"),
    ("cost", "Cost per invoke"),
    ("cost_million", "Cost per million invokes"),
    ("runner", "Environment"),
)


class MetricsView(QWidget):
    """The platform's numbers for one invoke, as the Lambda console's execution result shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        for key, title in _ROWS:
            label = QLabel()
            label.setObjectName(f"metric_{key}")
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = label
            if key == "memory":
                self.memory_bar = QProgressBar()
                self.memory_bar.setTextVisible(False)
                self.memory_bar.setMaximumHeight(10)
                box = QWidget()
                box_layout = QVBoxLayout(box)
                box_layout.setContentsMargins(0, 0, 0, 0)
                box_layout.setSpacing(2)
                box_layout.addWidget(label)
                box_layout.addWidget(self.memory_bar)
                form.addRow(title, box)
            else:
                form.addRow(title, label)
        for key in ("cost", "cost_million", "billed"):
            self.values[key].setToolTip(COST_RULE)
        self.hints = QLabel(wordWrap=True)
        self.hints.setObjectName("metricHints")
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.hints)
        layout.addStretch(1)
        self.clear()

    def clear(self) -> None:
        for label in self.values.values():
            label.setText("—")
        self.memory_bar.setRange(0, 1)
        self.memory_bar.setValue(0)
        self.hints.clear()

    def show_result(self, result: InvocationResult) -> None:
        v = self.values
        v["duration"].setText(describe_ms(result.duration_ms))
        v["billed"].setText(f"{result.billed_duration_ms:,} ms")
        v["init"].setText(
            describe_ms(result.init_duration_ms)
            if result.init_duration_ms is not None
            else "— (warm start: no init)"
        )
        v["start"].setText("Cold start" if result.cold_start else "Warm start")
        size = max(1, result.memory_size_mb)
        used = result.max_memory_used_mb
        self.memory_bar.setRange(0, size)
        if used is None:
            v["memory"].setText(f"not measured, of {size:,} MB")
            self.memory_bar.setValue(0)
        else:
            share = used / size
            v["memory"].setText(f"{used:,} MB of {size:,} MB ({share:.0%})")
            self.memory_bar.setValue(min(used, size))
            colour = "#c62828" if share > 0.9 else "#b26a00" if share > 0.7 else "#2e7d32"
            self.memory_bar.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}")
        v["cost"].setText(describe_usd(result.cost_usd))
        v["cost_million"].setText(describe_usd(result.cost_usd * 1_000_000))
        v["runner"].setText(f"{result.runner} ({result.architecture})")
        notes = list(result.hints)
        if result.timed_out:
            notes.insert(0, "The invoke timed out.")
        self.hints.setText("\n".join(f"• {n}" for n in notes))
