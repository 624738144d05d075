"""Every row of lambda-facts section 2-4, through our bootstrap and through AWS's awslambdaric.

Both runtimes are run against the workbench's Runtime API server and must give
the same errorType and errorMessage (byte for byte), which proves the server
speaks the real protocol and the bootstrap reproduces the real client.
"""

from __future__ import annotations

import json
import re

import pytest

from workbench.core.runtime.api import MAX_RESPONSE_BYTES


def invoke(invoker_for, handler: str, event: object = None, **changes: object):
    invoker = invoker_for(handler, **changes)
    return invoker.invoke(json.dumps({} if event is None else event).encode())


def test_success_payload(invoker_for):
    result = invoke(invoker_for, "app.ok", {"a": 1})
    assert result.succeeded
    assert result.payload_json() == {"echo": {"a": 1}, "answer": 42}


@pytest.mark.parametrize(
    ("handler", "payload"), [("app.plain_string", b'"plain string"'), ("app.none", b"null")]
)
def test_plain_values(invoker_for, handler, payload):
    assert invoke(invoker_for, handler).payload == payload


def test_handler_exception(invoker_for):
    result = invoke(invoker_for, "app.boom")
    assert result.error["errorType"] == "MyErr"
    assert result.error["errorMessage"] == "custom failure"
    trace = result.error["stackTrace"]
    assert any(
        re.match(r'  File ".*app\.py", line \d+, in boom\n    raise MyErr\("custom failure"\)', f)
        for f in trace
    ), trace
    # The runtime logs the error on one line, with \r for newlines.
    error_line = next(ln for ln in result.logs.split("\n") if ln.startswith("[ERROR]"))
    assert error_line.startswith(
        "[ERROR] MyErr: custom failure\rTraceback (most recent call last):\r"
    )


def test_marshal_error(invoker_for):
    result = invoke(invoker_for, "app.returns_set")
    assert result.error == {
        "errorType": "Runtime.MarshalError",
        "errorMessage": "Unable to marshal response: Object of type set is not JSON serializable",
        "stackTrace": [],
    }


@pytest.mark.parametrize(
    ("handler", "error_type", "message"),
    [
        ("app.missing", "Runtime.HandlerNotFound", "Handler 'missing' missing on module 'app'"),
        (
            "app",
            "Runtime.MalformedHandlerName",
            "Bad handler 'app': not enough values to unpack (expected 2, got 1)",
        ),
        (
            "bad_import.handler",
            "Runtime.ImportModuleError",
            "Unable to import module 'bad_import': No module named 'nonexistent_module_xyz'",
        ),
        ("init_crash.handler", "RuntimeError", "cannot start"),
    ],
)
def test_init_errors(invoker_for, handler, error_type, message):
    invoker = invoker_for(handler)
    result = invoker.invoke(b"{}")
    assert result.error["errorType"] == error_type
    assert result.error["errorMessage"] == message
    assert result.cold_start and result.init_duration_ms is not None
    # After an init error the environment is gone: the next invoke is cold again.
    assert invoker.state == "cold"
    assert invoker.invoke(b"{}").cold_start


def test_syntax_error(invoker_for):
    result = invoke(invoker_for, "bad_syntax.handler")
    assert result.error["errorType"] == "Runtime.UserCodeSyntaxError"
    assert result.error["errorMessage"] == (
        "Syntax error in module 'bad_syntax': expected ':' (bad_syntax.py, line 1)"
    )
    [frame] = result.error["stackTrace"]
    assert re.fullmatch(
        r'  File ".*bad_syntax\.py" Line 1\n    def handler\(event, context\)\n', frame
    )


def test_exit_is_runtime_exit_error_and_next_is_cold(invoker_for):
    invoker = invoker_for("app.exits")
    result = invoker.invoke(b"{}")
    assert result.error == {
        "errorType": "Runtime.ExitError",
        "errorMessage": f"RequestId: {result.request_id} Error: Runtime exited with error: "
        "exit status 3",
        "stackTrace": None,
    }
    assert invoker.invoke(b"{}").cold_start


def test_response_too_large(invoker_for):
    result = invoke(invoker_for, "app.big")
    assert result.error["errorType"] == "Function.ResponseSizeTooLarge"
    assert result.error["errorMessage"] == (
        f"Response payload size exceeded maximum allowed payload size ({MAX_RESPONSE_BYTES} bytes)."
    )


def test_timeout_kills_environment(invoker_for):
    invoker = invoker_for("app.hangs", timeout_s=1)
    result = invoker.invoke(b"{}")
    assert result.timed_out
    assert result.error["errorType"] == "Sandbox.Timedout"
    assert result.error["errorMessage"] == (
        f"RequestId: {result.request_id} Error: Task timed out after 1.00 seconds"
    )
    assert "Task timed out after 1.00 seconds" in result.logs
    assert invoker.state == "cold"


def test_warm_reuse_keeps_globals(invoker_for):
    invoker = invoker_for("app.counts")
    first, second = invoker.invoke(b"{}"), invoker.invoke(b"{}")
    assert (first.payload, second.payload) == (b"1", b"2")
    assert first.cold_start and first.init_duration_ms is not None
    assert not second.cold_start and second.init_duration_ms is None
    invoker.reset()
    third = invoker.invoke(b"{}")
    assert third.cold_start and third.payload == b"1"


def test_log_lines(invoker_for):
    result = invoke(invoker_for, "app.logs")
    rid = result.request_id
    lines = result.logs.splitlines()
    assert re.fullmatch(
        rf"\[INFO\]\t\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z\t{rid}\tinfo line", lines[1]
    ), lines
    assert "printed line" in lines
    assert lines[0] == f"START RequestId: {rid} Version: $LATEST"
    assert lines[-2] == f"END RequestId: {rid}"
    assert re.fullmatch(
        rf"REPORT RequestId: {rid}\tDuration: \d+\.\d\d ms\tBilled Duration: \d+ ms\t"
        r"Memory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d\d ms\t",
        lines[-1],
    )


def test_json_log_format(invoker_for):
    result = invoke(invoker_for, "app.logs", environment={"AWS_LAMBDA_LOG_FORMAT": "JSON"})
    records = [json.loads(line) for line in result.logs.splitlines() if line.startswith("{")]
    warn = next(r for r in records if r["message"] == "warn 1")
    assert warn["level"] == "WARNING" and warn["logger"] == "root"
    assert warn["requestId"] == result.request_id
    assert "printed line" in result.logs.splitlines()  # print stays plain text


def test_context_and_environment(invoker_for):
    result = invoke(invoker_for, "app.context_info", memory_mb=256, environment={"MY_VAR": "mine"})
    data = result.payload_json()
    assert data["function_name"] == "conformance"
    assert data["function_version"] == "$LATEST"
    assert data["memory_limit_in_mb"] == "256"
    assert data["invoked_function_arn"] == (
        "arn:aws:lambda:us-east-1:123456789012:function:conformance"
    )
    assert data["aws_request_id"] == result.request_id
    assert data["log_group_name"] == "/aws/lambda/conformance"
    assert re.fullmatch(r"\d{4}/\d\d/\d\d/\[\$LATEST\][0-9a-f]{32}", data["log_stream_name"])
    assert 0 < data["remaining"] <= 3000
    env = data["env"]
    assert env["_HANDLER"] == "app.context_info"
    assert env["AWS_EXECUTION_ENV"] == "AWS_Lambda_python3.12"
    assert env["AWS_LAMBDA_INITIALIZATION_TYPE"] == "on-demand"
    assert env["TZ"] == ":UTC" and env["MY_VAR"] == "mine"
    # Loopback for the process runner; the isolated bridge's gateway for Docker.
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+:\d+", env["AWS_LAMBDA_RUNTIME_API"])
    assert re.fullmatch(
        r"Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0", env["_X_AMZN_TRACE_ID"]
    )


def test_flood_of_output(invoker_for):
    result = invoke(invoker_for, "app.chatty", {"lines": 100000})
    assert result.succeeded
    lines = result.logs.splitlines()
    assert "line 0" in lines and "line 99999" in lines
    # Every printed line lands between START and END, none after.
    assert lines.index("line 99999") < next(
        i for i, line in enumerate(lines) if line.startswith("END RequestId")
    )


def test_bytes_pass_through_exactly(invoker_for):
    # AWS's client posts a handler's bytes as they are (application/unknown); 0x89 must
    # not become U+FFFD anywhere between the handler and the result.
    result = invoke(invoker_for, "app.returns_bytes")
    assert result.succeeded
    assert result.payload == b"\x89PNG\r\n\x1a\n" + bytes(range(256))


def test_decimal_values_are_numbers(invoker_for):
    result = invoke(invoker_for, "app.decimals")
    assert result.error is None, result.error
    assert result.payload_json() == {"half": 1.5, "whole": 2, "list": [-0.25]}
    assert b'"whole": 2' in result.payload or b'"whole":2' in result.payload
