"""Run history: persistence per project and function, the cap, damaged lines."""

from __future__ import annotations

import json
import os
from pathlib import Path

from workbench.core.history import History, history_file, shorten_logs
from workbench.core.invoke import InvocationResult


def make_result(
    n: int, *, error: bool = False, payload: bytes | None = b'{"ok": 1}'
) -> InvocationResult:
    return InvocationResult(
        request_id=f"req-{n}",
        runner="process",
        cold_start=n == 0,
        payload=None if error else payload,
        error={"errorType": "ValueError", "errorMessage": f"bad {n}", "stackTrace": []}
        if error
        else None,
        logs=f"START RequestId: req-{n} Version: $LATEST\nline {n}\nEND RequestId: req-{n}\n",
        duration_ms=10.5 + n,
        billed_duration_ms=11 + n,
        init_duration_ms=120.25 if n == 0 else None,
        memory_size_mb=256,
        max_memory_used_mb=40 + n,
        cost_usd=0.0000002 + n * 1e-9,
        architecture="arm64",
        function_name="fn",
        started_at=1_700_000_000.0 + n,
        timed_out=False,
        hints=[f"hint {n}"],
    )


def test_runs_survive_a_new_history_object(tmp_path: Path) -> None:
    data = Path(os.environ["LAMBDA_WORKBENCH_DATA_DIR"])
    project = tmp_path / "proj"
    project.mkdir()
    history = History(project, "fn")
    history.add(make_result(0), '{"a": 1}', timestamp=100.0)
    history.add(make_result(1, error=True), '{"a": 2}', timestamp=200.0)

    again = History(project, "fn")
    entries = again.entries()
    assert [e.event_text for e in entries] == ['{"a": 1}', '{"a": 2}']
    assert [e.timestamp for e in entries] == [100.0, 200.0]
    first, second = entries[0].result, entries[1].result
    assert first.payload == b'{"ok": 1}'
    assert first.cold_start and first.init_duration_ms == 120.25
    assert first.architecture == "arm64" and first.hints == ["hint 0"]
    assert first.max_memory_used_mb == 40
    assert second.error is not None and second.error["errorMessage"] == "bad 1"
    assert second.payload is None and not second.succeeded
    assert history.path == history_file(project, "fn")
    assert history.path.is_relative_to(data / "history")


def test_raw_payload_bytes_round_trip_exactly(tmp_path: Path) -> None:
    # Non-JSON and oddly spaced payloads must come back byte for byte.
    History(tmp_path, "fn").add(make_result(2, payload=b"plain  text\x00"), "{}")
    History(tmp_path, "fn").add(make_result(3, payload=b'{ "spaced" :  true }'), "{}")
    payloads = [e.result.payload for e in History(tmp_path, "fn").entries()]
    assert payloads == [b"plain  text\x00", b'{ "spaced" :  true }']


def test_functions_and_projects_are_kept_apart(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    History(tmp_path / "a", "fn").add(make_result(1), "{}")
    History(tmp_path / "a", "other").add(make_result(2), "{}")
    History(tmp_path / "b", "fn").add(make_result(3), "{}")
    assert [e.result.request_id for e in History(tmp_path / "a", "fn").entries()] == ["req-1"]
    assert [e.result.request_id for e in History(tmp_path / "a", "other").entries()] == ["req-2"]
    assert [e.result.request_id for e in History(tmp_path / "b", "fn").entries()] == ["req-3"]


def test_cap_keeps_the_newest_runs_on_disk(tmp_path: Path) -> None:
    history = History(tmp_path, "fn", cap=5)
    for n in range(23):
        history.add(make_result(n), f'{{"n": {n}}}')
    assert [e.result.request_id for e in history.entries()] == [f"req-{n}" for n in range(18, 23)]
    reloaded = History(tmp_path, "fn", cap=5)
    assert [e.result.request_id for e in reloaded.entries()] == [f"req-{n}" for n in range(18, 23)]
    # The file is compacted, so it never grows far past the cap.
    lines = history.path.read_text().splitlines()
    assert len(lines) <= 5 + 10


def test_damaged_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    history = History(tmp_path, "fn")
    history.add(make_result(1), "{}")
    with history.path.open("a", encoding="utf-8") as handle:
        handle.write("this is not json\n")
        handle.write(json.dumps({"timestamp": 1, "event": "{}"}) + "\n")  # no result
        handle.write(
            '{"timestamp": 5, "event": "{}", "result": {"requestId": "cut'
        )  # crash mid-line
    reloaded = History(tmp_path, "fn")
    assert [e.result.request_id for e in reloaded.entries()] == ["req-1"]
    assert reloaded.skipped_lines == 3
    # A new run after a cut-off line is not glued onto it.
    reloaded.add(make_result(2), "{}")
    assert [e.result.request_id for e in History(tmp_path, "fn").entries()] == ["req-1", "req-2"]


def test_huge_logs_keep_head_and_tail(tmp_path: Path) -> None:
    result = make_result(1)
    result.logs = (
        "START RequestId: x\n" + "".join(f"line {i}\n" for i in range(100_000)) + "REPORT end\n"
    )
    History(tmp_path, "fn").add(result, "{}")
    stored = History(tmp_path, "fn").entries()[0].result.logs
    assert stored.startswith("START RequestId: x\n")
    assert stored.endswith("REPORT end\n")
    assert "characters of logs not kept in history" in stored
    assert len(stored) < 110_000
    assert shorten_logs("short") == "short"


def test_clear_removes_the_file(tmp_path: Path) -> None:
    history = History(tmp_path, "fn")
    history.add(make_result(1), "{}")
    history.clear()
    assert not history.path.exists()
    assert History(tmp_path, "fn").entries() == []


def test_one_deeply_nested_line_does_not_hide_the_rest(tmp_path: Path) -> None:
    history = History(tmp_path, "fn")
    history.add(make_result(1), "{}")
    with history.path.open("a", encoding="utf-8") as handle:
        handle.write("[" * 100_000 + "]" * 100_000 + "\n")
    history.add(make_result(2), "{}")
    reloaded = History(tmp_path, "fn")
    assert [e.result.request_id for e in reloaded.entries()] == ["req-1", "req-2"]
    assert reloaded.skipped_lines == 1
