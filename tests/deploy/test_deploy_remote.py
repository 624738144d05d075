"""Remote invoke: parsing Lambda's invoke answer (LogType=Tail) and the local-vs-cloud comparison.

moto cannot execute Lambda code here (it would need Docker images from the internet), so the
cloud's answer is reproduced: a real-shaped boto3 response, and a tiny HTTP endpoint that
answers the Invoke API with the headers AWS sends, so real boto3 parses it end to end.
"""

from __future__ import annotations

import base64
import io

import pytest
from botocore.response import StreamingBody

from tests.deploy.moto_helpers import ERROR_LOG, REQUEST_ID, FakeLambda
from workbench.core.deploy.aws import connect
from workbench.core.deploy.remote import compare, invoke_remote, parse_invoke_response, parse_report
from workbench.core.errors import WorkbenchError
from workbench.core.invoke import InvocationResult

COLD_LOG = (
    f"START RequestId: {REQUEST_ID} Version: $LATEST\n"
    f"[INFO]\t2026-11-23T11:02:09.068Z\t{REQUEST_ID}\tgreeting world\n"
    f"END RequestId: {REQUEST_ID}\n"
    f"REPORT RequestId: {REQUEST_ID}\tDuration: 12.34 ms\tBilled Duration: 196 ms\t"
    "Memory Size: 128 MB\tMax Memory Used: 41 MB\tInit Duration: 182.91 ms\t\n"
)


def _response(payload: bytes, log: str, error: str | None = None) -> dict:
    response = {
        "StatusCode": 200,
        "LogResult": base64.b64encode(log.encode()).decode(),
        "ExecutedVersion": "$LATEST",
        "Payload": StreamingBody(io.BytesIO(payload), len(payload)),
        "ResponseMetadata": {"RequestId": REQUEST_ID, "HTTPStatusCode": 200},
    }
    if error:
        response["FunctionError"] = error
    return response


def test_report_line_cold_and_warm() -> None:
    cold = parse_report(COLD_LOG)
    assert cold is not None
    assert (cold.request_id, cold.duration_ms, cold.billed_duration_ms) == (REQUEST_ID, 12.34, 196)
    assert (cold.memory_size_mb, cold.max_memory_used_mb, cold.init_duration_ms) == (
        128,
        41,
        182.91,
    )
    warm = parse_report(ERROR_LOG)
    assert warm is not None and warm.init_duration_ms is None and warm.memory_size_mb == 256
    assert parse_report("no report here") is None


def test_handler_error_response() -> None:
    body = b'{"errorMessage": "custom failure", "errorType": "MyErr", "stackTrace": []}'
    remote = parse_invoke_response(_response(body, ERROR_LOG, "Unhandled"))
    assert not remote.succeeded and remote.function_error == "Unhandled"
    assert remote.logs == ERROR_LOG
    assert remote.payload == body
    assert remote.report is not None and remote.report.duration_ms == 3.01


def _local(payload: bytes) -> InvocationResult:
    return InvocationResult(
        request_id="local-1", runner="process", cold_start=True, payload=payload, error=None,
        logs="", duration_ms=4.0, billed_duration_ms=109, init_duration_ms=105.0,
        memory_size_mb=128, max_memory_used_mb=30, cost_usd=0.0,
    )  # fmt: skip


def test_local_vs_cloud_side_by_side() -> None:
    remote = parse_invoke_response(_response(b'{"ok": true}', COLD_LOG))
    table = compare(_local(b'{"ok": true}\n'), remote)
    rows = {row.label: (row.local, row.cloud, row.unit) for row in table.rows}
    assert rows == {
        "Duration": (4.0, 12.34, "ms"),
        "Billed Duration": (109.0, 196.0, "ms"),
        "Init Duration": (105.0, 182.91, "ms"),
        "Memory Size": (128.0, 128.0, "MB"),
        "Max Memory Used": (30.0, 41.0, "MB"),
    }
    assert table.rows[0].ratio == pytest.approx(12.34 / 4.0)
    assert table.same_payload is True and table.cloud_succeeded
    different = compare(_local(b'{"ok": false}'), remote)
    assert different.same_payload is False
    alone = compare(None, remote)
    assert all(row.local is None and row.ratio is None for row in alone.rows)


def test_invoke_remote_through_boto3(moto_url: str, fake_lambda: str) -> None:
    conn = connect(endpoint_url=moto_url, region="us-east-1")  # STS answered by moto
    conn.endpoint_url = fake_lambda  # the Invoke call goes to the stand-in for the cloud
    remote = invoke_remote(conn, "hello", b'{"name": "cloud"}', qualifier="3")
    path, headers, body = FakeLambda.seen[-1]
    assert path == "/2015-03-31/functions/hello/invocations?Qualifier=3"
    assert headers["X-Amz-Log-Type"] == "Tail" and body == b'{"name": "cloud"}'
    assert remote.function_error == "Unhandled" and remote.logs == ERROR_LOG
    assert remote.report is not None and remote.report.billed_duration_ms == 4
    assert remote.request_id == REQUEST_ID


def test_invoke_missing_function_is_a_sentence(moto_url: str) -> None:
    conn = connect(endpoint_url=moto_url, region="us-east-1")
    with pytest.raises(WorkbenchError, match=r"could not invoke ghost: .*ResourceNotFound"):
        invoke_remote(conn, "ghost", b"{}")
