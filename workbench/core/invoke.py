"""InvocationResult and the cost rule: what one invoke produced, measured by the workbench."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from workbench.core.errors import WorkbenchError

# us-east-1 on-demand prices (shared/lambda-facts.md section 6).
PRICE_PER_REQUEST_USD = 0.20 / 1_000_000
PRICE_PER_GB_SECOND_USD = {"x86_64": 0.0000166667, "arm64": 0.0000133334}
# Since 1 August 2025 Lambda bills the INIT phase of on-demand functions for
# every runtime (AWS Compute Blog, "AWS Lambda standardizes billing for INIT
# Phase"), so on a cold start Billed Duration = ceil(Init Duration + Duration).
COST_RULE = (
    "memory (GB) x billed duration (s) x price per GB-second + $0.20 per million requests; "
    "billed duration is the duration rounded up to the next ms, and includes the init "
    "duration on a cold start (Lambda bills INIT since August 2025); us-east-1 prices"
)


def billed_duration_ms(duration_ms: float, init_duration_ms: float | None) -> int:
    total = duration_ms + (init_duration_ms or 0.0)
    return max(1, math.ceil(round(total, 6)))


def invoke_cost_usd(memory_mb: int, billed_ms: int, architecture: str = "x86_64") -> float:
    price = PRICE_PER_GB_SECOND_USD.get(architecture, PRICE_PER_GB_SECOND_USD["x86_64"])
    return (memory_mb / 1024) * (billed_ms / 1000) * price + PRICE_PER_REQUEST_USD


@dataclass
class InvocationResult:
    """The outcome of one invoke: payload or error, logs and the platform's numbers.

    `payload` is the raw response body (bytes) on success; `error` is
    {"errorType", "errorMessage", "stackTrace"} (stackTrace None for errors the
    platform produces: timeout, exit, oversized response); Node.js runtimes give
    "trace" (a list of lines) in place of stackTrace, as Lambda does.
    """

    request_id: str
    runner: str  # "process" or "docker"
    cold_start: bool
    payload: bytes | None
    error: dict[str, Any] | None
    logs: str
    duration_ms: float
    billed_duration_ms: int
    init_duration_ms: float | None
    memory_size_mb: int
    max_memory_used_mb: int | None
    cost_usd: float
    architecture: str = "x86_64"
    function_name: str = ""
    started_at: float = 0.0  # epoch seconds when the event was handed out
    timed_out: bool = False
    logs_truncated_bytes: int = 0
    hints: list[str] = field(default_factory=list)
    paused_ms: float = 0.0  # time a debugger held the function (not in Duration)

    @property
    def succeeded(self) -> bool:
        return self.error is None

    def payload_text(self) -> str:
        if self.payload is None:
            return ""
        return self.payload.decode("utf-8", errors="replace")

    def payload_json(self) -> Any:
        """The response parsed as JSON, or the text when it is not JSON."""
        text = self.payload_text()
        try:
            return json.loads(text)
        except ValueError:
            return text

    def to_json_dict(self) -> dict[str, Any]:
        """The CLI's `--output json` object (keys are a public contract)."""
        error = None
        if self.error is not None:
            error = {
                "errorType": self.error.get("errorType"),
                "errorMessage": self.error.get("errorMessage"),
            }
            # Node.js runtimes answer with "trace" (as Lambda returns it), the others stackTrace.
            if "trace" in self.error:
                error["trace"] = self.error["trace"]
            else:
                error["stackTrace"] = self.error.get("stackTrace")
        return {
            "requestId": self.request_id,
            "runner": self.runner,
            "coldStart": self.cold_start,
            "payload": None if self.payload is None else self.payload_json(),
            "error": error,
            "logs": self.logs,
            "durationMs": round(self.duration_ms, 2),
            "billedDurationMs": self.billed_duration_ms,
            "initDurationMs": (
                None if self.init_duration_ms is None else round(self.init_duration_ms, 2)
            ),
            "memorySizeMb": self.memory_size_mb,
            "maxMemoryUsedMb": self.max_memory_used_mb,
            "costUsd": self.cost_usd,
        }

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> InvocationResult:
        """Rebuild a result saved with to_json_dict (used by history)."""
        payload = data.get("payload")
        return cls(
            request_id=data["requestId"],
            runner=data.get("runner", "process"),
            cold_start=bool(data.get("coldStart")),
            payload=None if payload is None and data.get("error") else _encode(payload),
            error=data.get("error"),
            logs=data.get("logs", ""),
            duration_ms=float(data.get("durationMs", 0.0)),
            billed_duration_ms=int(data.get("billedDurationMs", 0)),
            init_duration_ms=data.get("initDurationMs"),
            memory_size_mb=int(data.get("memorySizeMb", 128)),
            max_memory_used_mb=data.get("maxMemoryUsedMb"),
            cost_usd=float(data.get("costUsd", 0.0)),
        )


def _encode(payload: Any) -> bytes:
    return json.dumps(payload).encode()


def parse_event(text: str) -> bytes:
    """Check that an event is JSON and return its bytes; the error names line and column."""
    try:
        json.loads(text)
    except json.JSONDecodeError as error:
        raise WorkbenchError(
            f"The event is not valid JSON: {error.msg} at line {error.lineno} column "
            f"{error.colno}. Fix it and invoke again."
        ) from None
    return text.encode("utf-8")
