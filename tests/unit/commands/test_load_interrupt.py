"""Ctrl+C during `load`: run_load returns only once every worker has stopped using the host."""

from __future__ import annotations

import _thread
import threading
from pathlib import Path

from workbench.core.function import FunctionConfig
from workbench.core.load import run_load
from workbench.core.runtime.host import FunctionHost


def test_ctrl_c_returns_after_the_workers_not_before(tmp_path: Path, monkeypatch) -> None:
    # Found by a new user: Ctrl+C on a fast load sometimes printed a traceback from a
    # worker ("The function host has shut down"): an interrupted Thread.join had let
    # run_load return, and the host closed, while that worker was still counting.
    (tmp_path / "app.py").write_text("def handler(event, context):\n    return 1\n")
    function = FunctionConfig(name="fast", handler="app.handler", code_dir=tmp_path)
    failures: list[BaseException | None] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: failures.append(args.exc_value))
    for _ in range(3):
        with FunctionHost("process", default_limit=2) as host:
            host.add(function, limit=2)
            timer = threading.Timer(1.0, _thread.interrupt_main)
            timer.start()
            summary = run_load(host, "fast", b"{}", 10**7, 2)
            timer.join()
            alive = [t.name for t in threading.enumerate() if t.name.startswith("load-")]
            assert summary.interrupted and summary.requests > 0
            assert alive == []
    assert failures == []
