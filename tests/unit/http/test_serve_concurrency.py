"""Concurrent requests: more environments up to the function's limit, then throttling."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

from tests.unit.http.conftest import Reply


def wait_for_started(served, count: int) -> None:
    deadline = time.monotonic() + 30
    while len(list(served.gate_dir.glob("started-*"))) < count:
        assert time.monotonic() < deadline, "the gate function did not start"
        time.sleep(0.02)


def in_thread(served, path: str) -> tuple[threading.Thread, list[Reply]]:
    replies: list[Reply] = []
    thread = threading.Thread(target=lambda: replies.append(served.call("GET", path)))
    thread.start()
    return thread, replies


def clear_gate(served) -> None:
    for found in served.gate_dir.glob("started-*"):
        found.unlink()


def test_reserved_concurrency_throttles_like_lambda(served):
    clear_gate(served)
    gate = served.gate_dir / "gate"
    gate.write_text("closed")
    thread, replies = in_thread(served, "/gate")
    try:
        wait_for_started(served, 1)
        # ReservedConcurrentExecutions: 1 and its one environment is busy.
        rest = served.call("GET", "/gate")
        assert rest.status == 429 and rest.json() == {"message": "Too Many Requests"}
        http = served.call("GET", "/v2/gate")
        assert http.status == 503 and http.json() == {"message": "Service Unavailable"}
    finally:
        gate.unlink()
        thread.join(timeout=60)
    assert replies[0].status == 200 and replies[0].body == b"through"
    assert served.call("GET", "/gate").status == 200


def test_concurrent_requests_get_more_environments(served):
    clear_gate(served)
    config = served.host.function("GateFunction")
    served.host.update(replace(config), limit=3)
    gate = served.gate_dir / "gate"
    gate.write_text("closed")
    threads = [in_thread(served, "/gate") for _ in range(3)]
    try:
        # Three invokes held at once: only three environments can do that.
        wait_for_started(served, 3)
        state = served.host.state("GateFunction")
        assert state.busy == 3 and state.limit == 3
        assert served.call("GET", "/gate").status == 429
    finally:
        gate.unlink()
        for thread, _ in threads:
            thread.join(timeout=60)
        served.host.update(replace(config), limit=1)
    assert [r[0].status for _, r in threads] == [200, 200, 200]
