"""InvocationResult and the cost rule: what one invoke produced, measured by the workbench."""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass, field
from typing import Any

from workbench.core.errors import WorkbenchError

# Lambda refuses a synchronous request over this ("payload is too large for the
# RequestResponse invocation type (limit 6291456 bytes)"; lambda-facts section 9).
MAX_REQUEST_BYTES = 6_291_456

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
        except (ValueError, RecursionError):  # deeply nested: shown as text, never a crash
            return text

    def payload_is_json(self) -> bool:
        """True when the payload is UTF-8 text holding one JSON value (as most handlers give)."""
        if self.payload is None:
            return False
        try:
            json.loads(self.payload.decode("utf-8"), parse_constant=_reject_constant)
        except (ValueError, RecursionError):
            return False
        return True

    def to_json_dict(self) -> dict[str, Any]:
        """The CLI's `--output json` object (keys are a public contract).

        A payload that is not UTF-8 JSON (bytes, plain text) also gets `payloadBase64`,
        its exact bytes, since `payload` can only show it as text.
        """
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
        data = {
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
        if self.payload is not None and not self.payload_is_json():
            data["payloadBase64"] = base64.b64encode(self.payload).decode("ascii")
        return data

    @classmethod
    def from_json_dict(cls, data: dict[str, Any]) -> InvocationResult:
        """Rebuild a result saved with to_json_dict (used by history)."""
        payload = data.get("payload")
        raw = data.get("payloadBase64")
        exact = base64.b64decode(raw, validate=True) if isinstance(raw, str) else None
        return cls(
            request_id=data["requestId"],
            runner=data.get("runner", "process"),
            cold_start=bool(data.get("coldStart")),
            payload=exact
            if exact is not None
            else None
            if payload is None and data.get("error")
            else _encode(payload),
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


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def parse_event(text: str | bytes) -> bytes:
    """Check that an event is JSON as Lambda reads it and return its bytes.

    The error names line and column. NaN and Infinity are refused (they are not JSON and
    Lambda refuses them); so is an event over the request limit or nested too deeply.
    """
    data = text.encode("utf-8") if isinstance(text, str) else text
    if len(data) > MAX_REQUEST_BYTES:
        raise WorkbenchError(
            f"The event is over {MAX_REQUEST_BYTES:,} bytes; Lambda refuses a synchronous "
            "request that large. Make it smaller."
        )
    try:
        source = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise WorkbenchError(
            f"The event is not UTF-8 text (byte {error.start}); save it as UTF-8 JSON."
        ) from None
    try:
        json.loads(source, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        raise WorkbenchError(
            f"The event is not valid JSON: {error.msg} at line {error.lineno} column "
            f"{error.colno}. Fix it and invoke again."
        ) from None
    except ValueError as error:
        raise WorkbenchError(
            f"The event is not valid JSON: {error}; Lambda refuses NaN and Infinity. "
            "Use null or a number."
        ) from None
    except RecursionError:
        raise WorkbenchError(
            "The event is nested too deeply to read as JSON; flatten it and invoke again."
        ) from None
    return data
