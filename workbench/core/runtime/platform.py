"""Lambda's platform output, produced once for every runner: log lines, error shapes, results."""

from __future__ import annotations

import time
from typing import Any

from workbench.core.function import FunctionConfig
from workbench.core.invoke import InvocationResult, billed_duration_ms, invoke_cost_usd
from workbench.core.languages import find_family
from workbench.core.runtime import ids
from workbench.core.runtime.environment import ExitInfo


def utc_stamp() -> str:
    now = time.time()
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(now)) + f".{int(now % 1 * 1000):03d}Z"


def trace_id() -> str:
    return f"Root=1-{int(time.time()):08x}-{ids.token_hex(12)};Parent={ids.token_hex(8)};Sampled=0"


def timeout_error(request_id: str, timeout_s: float) -> dict[str, Any]:
    return {
        "errorType": "Sandbox.Timedout",
        "errorMessage": f"RequestId: {request_id} Error: Task timed out after "
        f"{timeout_s:.2f} seconds",
        "stackTrace": None,
    }


def init_timeout_error(request_id: str, limit_s: float) -> dict[str, Any]:
    return {
        "errorType": "Sandbox.Timedout",
        "errorMessage": f"RequestId: {request_id} Error: Init timed out after "
        f"{limit_s:.2f} seconds",
        "stackTrace": None,
    }


def exit_error(request_id: str, info: ExitInfo | None) -> dict[str, Any]:
    return {
        "errorType": "Runtime.ExitError",
        "errorMessage": f"RequestId: {request_id} Error: Runtime exited with error: "
        f"{(info or ExitInfo(code=1)).describe()}",
        "stackTrace": None,
    }


def request_too_large(size: int, limit: int) -> str:
    return (
        f"The event is {size:,} bytes; Lambda accepts at most {limit:,} bytes (6 MB) for a "
        f"synchronous invoke (payload is too large for the RequestResponse invocation type "
        f"(limit {limit} bytes)). Make it smaller."
    )


def report_line(
    request_id: str,
    duration_ms: float,
    billed_ms: int,
    memory_mb: int,
    max_used_mb: int | None,
    init_ms: float | None,
) -> str:
    """Lambda's REPORT line; Init Duration comes last and only on a cold start."""
    return (
        f"REPORT RequestId: {request_id}\tDuration: {duration_ms:.2f} ms\t"
        f"Billed Duration: {billed_ms} ms\tMemory Size: {memory_mb} MB\t"
        + (f"Max Memory Used: {max_used_mb} MB\t" if max_used_mb is not None else "")
        + (f"Init Duration: {init_ms:.2f} ms\t" if init_ms is not None else "")
    )


def build_result(
    *,
    function: FunctionConfig,
    runner: str,
    request_id: str,
    kind: str | None,
    response: bytes | None,
    error: dict[str, Any] | None,
    cold: bool,
    init_ms: float | None,
    duration_ms: float,
    before: tuple[str, int],
    during: tuple[str, int],
    started_wall: float,
    timed_out: bool,
    max_used_mb: int | None,
    log_cap_bytes: int,
    paused_s: float = 0.0,
) -> InvocationResult:
    """One InvocationResult with START/END/REPORT around what the function printed."""
    init = init_ms if cold else None
    billed = billed_duration_ms(duration_ms, init)
    report = report_line(request_id, duration_ms, billed, function.memory_mb, max_used_mb, init)
    body = during[0]
    if body and not body.endswith("\n"):
        body += "\n"
    dropped = before[1] + during[1]
    if dropped:
        body += f"[workbench] {dropped:,} bytes of output not kept (limit {log_cap_bytes:,})\n"
    lines = [
        before[0],
        f"START RequestId: {request_id} Version: $LATEST\n",
        body,
        f"END RequestId: {request_id}\n",
        report + "\n",
    ]
    if timed_out:
        lines.append(
            f"{utc_stamp()} {request_id} Task timed out after {function.timeout_s:.2f} seconds\n"
        )
    failed = error if kind != "response" else None
    hints = []
    if failed and "signal: killed" in str(failed.get("errorMessage")) and runner == "docker":
        hints.append(
            f"The function was killed, most likely for using all of its {function.memory_mb} MB; "
            "raise Memory Size or use less memory."
        )
    if failed:
        family = find_family(function.runtime)
        if family is not None:
            hints += family.error_hints(failed, function)
    if paused_s >= 0.05:  # shorter is a stop the debugger moved on from at once
        hints.append(
            f"The debugger held the function for {paused_s:.1f} s; that time is not counted "
            "against the timeout or in Duration."
        )
    return InvocationResult(
        request_id=request_id,
        runner=runner,
        cold_start=cold,
        payload=response if kind == "response" else None,
        error=failed,
        logs="".join(lines),
        duration_ms=duration_ms,
        billed_duration_ms=billed,
        init_duration_ms=init,
        memory_size_mb=function.memory_mb,
        max_memory_used_mb=max_used_mb,
        cost_usd=invoke_cost_usd(function.memory_mb, billed, function.architecture),
        architecture=function.architecture,
        function_name=function.function_name,
        started_at=started_wall,
        timed_out=timed_out,
        logs_truncated_bytes=dropped,
        hints=hints,
        paused_ms=paused_s * 1000,
    )
