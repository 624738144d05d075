"""Logs pane under a 100,000-line flood: the longest GUI event-loop stall, by a QTimer probe.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/gui_logs.py [--rounds N]
Goal (issue 6): while a handler prints 100,000 lines, no event-loop stall over 50 ms.

Two loads, each repeated --rounds times on a shown ResultsPane (900x600):
  synthetic  100,000 lines pushed through append_output in 1,000 chunks of 100
             lines, 5 chunks per 1 ms feeder tick (as fast as a worker can emit),
             then show_result with the same 100,003-line logs;
  real       a handler printing 100,000 lines run by the process Invoker on the
             worker pool (start_task), its output streamed into append_output,
             then show_result with the real InvocationResult.
The probe is a 5 ms QTimer; a stall is the gap between two probe ticks minus 5 ms.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from workbench.core.function import FunctionConfig  # noqa: E402
from workbench.core.invoke import InvocationResult  # noqa: E402
from workbench.core.runtime.invoker import Invoker  # noqa: E402
from workbench.ui.results.results_pane import LOGS_TAB, ResultsPane  # noqa: E402
from workbench.ui.worker import start_task  # noqa: E402

LINES = 100_000
PROBE_MS = 5
FLOOD = (
    "def handler(event, context):\n    for i in range(100000):\n        print('flood line', i)\n"
)


class Probe:
    """Records gaps between ticks of a fast timer: the event loop's stalls."""

    def __init__(self) -> None:
        self.clock = QElapsedTimer()
        self.timer = QTimer(interval=PROBE_MS)
        self.timer.timeout.connect(self._tick)
        self.gaps: list[float] = []
        self._last = 0.0

    def start(self) -> None:
        self.gaps = []
        self.clock.start()
        self._last = 0.0
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return [max(0.0, gap - PROBE_MS) for gap in self.gaps]

    def _tick(self) -> None:
        now = self.clock.nsecsElapsed() / 1e6
        self.gaps.append(now - self._last)
        self._last = now


def wait_until(condition, timeout_ms: int = 120_000) -> None:
    loop = QEventLoop()
    check = QTimer(interval=2)
    check.timeout.connect(lambda: condition() and loop.quit())
    check.start()
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    check.stop()
    if not condition():
        raise SystemExit("timed out waiting for the logs pane")


def synthetic_round(pane: ResultsPane, probe: Probe, result: InvocationResult) -> list[float]:
    lines = [f"[INFO]\t2026-11-23T11:02:09.068Z\treq\tflood line {i}\n" for i in range(LINES)]
    chunks = ["".join(lines[i : i + 100]) for i in range(0, LINES, 100)]
    feed = iter(chunks)
    done = []
    feeder = QTimer(interval=1)

    def push() -> None:
        for _ in range(5):
            chunk = next(feed, None)
            if chunk is None:
                feeder.stop()
                done.append(True)
                return
            pane.append_output(chunk)

    feeder.timeout.connect(push)
    pane.show_running("bench")
    probe.start()
    feeder.start()
    wait_until(lambda: bool(done) and pane.logs.is_drained())
    pane.show_result(result, "{}")
    wait_until(pane.logs.is_drained)
    return probe.stop()


def real_round(pane: ResultsPane, probe: Probe, invoker: Invoker) -> list[float]:
    results: list[InvocationResult] = []
    pane.show_running("bench")
    probe.start()
    start_task(
        lambda cancel, sink: invoker.invoke(b"{}", cancel=cancel, sink=sink),
        on_output=pane.append_output,
        on_result=results.append,
        on_error=lambda sentence: sys.exit(f"invoke failed: {sentence}"),
    )
    wait_until(lambda: bool(results))
    pane.show_result(results[0], "{}")
    wait_until(pane.logs.is_drained)
    gaps = probe.stop()
    if pane.logs.text.lines()[-3] != "flood line 99999":
        raise SystemExit("the logs pane did not end with the last printed line")
    return gaps


def report(name: str, rounds: list[list[float]]) -> None:
    worst = [max(gaps) for gaps in rounds]
    every = [gap for gaps in rounds for gap in gaps]
    print(
        f"{name}: longest stall per round {', '.join(f'{w:.1f}' for w in worst)} ms; "
        f"median of those {statistics.median(worst):.1f} ms, max {max(worst):.1f} ms; "
        f"median stall over all {len(every):,} probe ticks {statistics.median(every):.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    pane = ResultsPane(log_line_cap=20_000)
    pane.resize(900, 600)
    pane.show()
    pane.tabs.setCurrentIndex(LOGS_TAB)
    app.processEvents()
    probe = Probe()
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "app.py").write_text(FLOOD)
        function = FunctionConfig(
            name="bench", handler="app.handler", code_dir=Path(folder), timeout_s=120
        )
        invoker = Invoker(function, "process")
        try:
            real = [real_round(pane, probe, invoker) for _ in range(args.rounds)]
            last = invoker.invoke(b"{}")
        finally:
            invoker.close()
    synthetic = [synthetic_round(pane, probe, last) for _ in range(args.rounds)]
    print(f"{LINES:,} lines per round, log_line_cap 20,000, probe every {PROBE_MS} ms")
    report("synthetic append_output flood + show_result", synthetic)
    report("real handler via Invoker + worker + show_result", real)
    worst = max(max(g) for g in synthetic + real)
    verdict = "met" if worst < 50 else "NOT met"
    print(f"goal: longest stall under 50 ms -> {verdict} ({worst:.1f} ms)")


if __name__ == "__main__":
    main()
