"""Invoke the deployed function (LogType=Tail) and set the cloud's numbers beside a local run."""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from typing import Any

from workbench.core.deploy.aws import AwsConnection, call
from workbench.core.invoke import InvocationResult

_REPORT_FIELDS = {
    "Duration": "duration_ms",
    "Billed Duration": "billed_duration_ms",
    "Memory Size": "memory_size_mb",
    "Max Memory Used": "max_memory_used_mb",
    "Init Duration": "init_duration_ms",
}
_FIELD_RE = re.compile(r"(Duration|Billed Duration|Memory Size|Max Memory Used|Init Duration):"
                       r"\s*([0-9.]+)\s*(ms|MB)")  # fmt: skip


@dataclass
class ReportNumbers:
    """The numbers of the platform's REPORT line."""

    request_id: str | None = None
    duration_ms: float | None = None
    billed_duration_ms: float | None = None
    memory_size_mb: float | None = None
    max_memory_used_mb: float | None = None
    init_duration_ms: float | None = None


def parse_report(logs: str) -> ReportNumbers | None:
    """Numbers from the last `REPORT RequestId: ...` line in the logs, or None."""
    lines = [line for line in logs.splitlines() if line.startswith("REPORT RequestId:")]
    if not lines:
        return None
    line = lines[-1]
    report = ReportNumbers()
    match = re.match(r"REPORT RequestId:\s*(\S+)", line)
    if match:
        report.request_id = match.group(1)
    for name, value, _unit in _FIELD_RE.findall(line):
        setattr(report, _REPORT_FIELDS[name], float(value))
    return report


@dataclass
class RemoteInvocation:
    """What Lambda answered to invoke(LogType='Tail')."""

    status_code: int
    payload: bytes
    function_error: str | None  # "Unhandled" on a handler error
    logs: str  # the last 4 KB of the log
    report: ReportNumbers | None
    executed_version: str | None = None
    request_id: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.function_error is None

    def payload_text(self) -> str:
        return self.payload.decode("utf-8", errors="replace")


def parse_invoke_response(response: dict[str, Any]) -> RemoteInvocation:
    """Turn boto3's invoke response (Payload stream, base64 LogResult) into a RemoteInvocation."""
    body: Any = response.get("Payload")
    payload: bytes = body.read() if hasattr(body, "read") else (body or b"")
    log_b64 = response.get("LogResult") or ""
    logs = base64.b64decode(log_b64).decode("utf-8", errors="replace") if log_b64 else ""
    meta = response.get("ResponseMetadata", {})
    return RemoteInvocation(
        status_code=int(response.get("StatusCode", 0)),
        payload=payload,
        function_error=response.get("FunctionError"),
        logs=logs,
        report=parse_report(logs),
        executed_version=response.get("ExecutedVersion"),
        request_id=meta.get("RequestId"),
    )


def invoke_remote(
    conn: AwsConnection, function_name: str, event: bytes, qualifier: str | None = None
) -> RemoteInvocation:
    """Invoke the function on AWS synchronously with the given event."""
    lam = conn.client("lambda")
    kwargs: dict[str, Any] = {"FunctionName": function_name, "Payload": event, "LogType": "Tail"}
    if qualifier:
        kwargs["Qualifier"] = qualifier
    response = call(f"invoke {function_name}", lam.invoke, **kwargs)
    return parse_invoke_response(response)


@dataclass
class ComparisonRow:
    label: str
    local: float | None
    cloud: float | None
    unit: str

    @property
    def ratio(self) -> float | None:
        """cloud / local, None when either side is missing or local is zero."""
        if self.local is None or self.cloud is None or self.local == 0:
            return None
        return self.cloud / self.local


@dataclass
class Comparison:
    rows: list[ComparisonRow] = field(default_factory=list)
    local_succeeded: bool | None = None
    cloud_succeeded: bool = True
    same_payload: bool | None = None


def compare(local: InvocationResult | None, remote: RemoteInvocation) -> Comparison:
    """Local vs cloud, row by row (local values None when there is no local run)."""
    report = remote.report or ReportNumbers()
    pairs: list[tuple[str, str, str]] = [
        ("Duration", "duration_ms", "ms"),
        ("Billed Duration", "billed_duration_ms", "ms"),
        ("Init Duration", "init_duration_ms", "ms"),
        ("Memory Size", "memory_size_mb", "MB"),
        ("Max Memory Used", "max_memory_used_mb", "MB"),
    ]
    rows = []
    for label, attr, unit in pairs:
        local_value = getattr(local, attr) if local is not None else None
        rows.append(ComparisonRow(
            label, None if local_value is None else float(local_value),
            getattr(report, attr), unit,
        ))  # fmt: skip
    same = None
    if local is not None and local.payload is not None and remote.succeeded:
        same = local.payload.strip() == remote.payload.strip()
    return Comparison(
        rows=rows,
        local_succeeded=None if local is None else local.succeeded,
        cloud_succeeded=remote.succeeded,
        same_payload=same,
    )
