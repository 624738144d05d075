"""Line charts for the Load and Tune tabs, on pyqtgraph (imported only when a chart is made)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# One colour per series, readable on light and dark backgrounds.
SERIES = ["#1e88e5", "#e53935", "#43a047", "#fb8c00", "#8e24aa"]
MAX_POINTS = 2000  # a live chart keeps the last points only: bounded for any run length


class Chart:
    """A titled plot with named line series; `widget` goes into a layout."""

    def __init__(self, title: str, x_label: str, y_label: str, series: list[str]) -> None:
        import pyqtgraph as pg  # ~1 s to import: only once a chart is shown

        self._pg = pg
        self.widget: Any = pg.PlotWidget()  # a QWidget
        self.plot: Any = self.widget.getPlotItem()
        self.plot.setTitle(title)
        self.plot.setLabel("bottom", x_label)
        self.plot.setLabel("left", y_label)
        self.plot.showGrid(x=True, y=True, alpha=0.25)
        self.plot.addLegend(offset=(10, 10))
        self.names = list(series)
        self.x: list[float] = []
        self.y: dict[str, list[float]] = {name: [] for name in series}
        self.curves = {
            name: self.plot.plot(
                [],
                [],
                name=name,
                pen=pg.mkPen(SERIES[i % len(SERIES)], width=2),
                symbol="o" if x_label == "memory (MB)" else None,
                symbolSize=6,
                symbolBrush=SERIES[i % len(SERIES)],
            )  # fmt: skip
            for i, name in enumerate(series)
        }

    def clear(self) -> None:
        self.x.clear()
        for values in self.y.values():
            values.clear()
        self._redraw()

    def add(self, x: float, values: Mapping[str, float | None]) -> None:
        """One point per series at `x` (a missing value repeats the last, or 0)."""
        self.x.append(x)
        for name in self.names:
            value = values.get(name)
            if value is None:
                value = self.y[name][-1] if self.y[name] else 0.0
            self.y[name].append(float(value))
        if len(self.x) > MAX_POINTS:
            del self.x[0]
            for series in self.y.values():
                del series[0]
        self._redraw()

    def points(self, name: str) -> list[tuple[float, float]]:
        return list(zip(self.x, self.y[name], strict=True))

    def _redraw(self) -> None:
        for name, curve in self.curves.items():
            curve.setData(self.x, self.y[name])
        # All zeros (no errors yet) would give an empty axis scaled to 0.001s: show 0..1.
        if any(any(values) for values in self.y.values()):
            self.plot.enableAutoRange(axis="y")
        else:
            self.plot.setYRange(0, 1)

    def apply_theme(self, dark: bool) -> None:
        self.widget.setBackground("#1e1e1e" if dark else "w")
        colour = "#dddddd" if dark else "#333333"
        for axis in ("left", "bottom"):
            self.plot.getAxis(axis).setPen(colour)
            self.plot.getAxis(axis).setTextPen(colour)
