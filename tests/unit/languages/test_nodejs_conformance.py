"""The workbench's Node.js runtime client against AWS's aws-lambda-ric, case by case.

Both clients run the same handlers (tests/fixtures/node_conformance) against the
workbench's Runtime API; every case must give the same payload, errorType, errorMessage
and trace: the same first line and the same frames in the user's files, byte for byte
(frames inside the runtime client itself differ by file and line only). Paths of the two
clients are written as <runtime> before comparing.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests.unit.languages.node_support import NODE_CONFORMANCE, make_invoker, peer_package
from workbench.core.runtime.api import MAX_RESPONSE_BYTES
from workbench.core.runtime.nodejs import bootstrap_file

RUNTIME_PATHS: list[str] = []


def _normalise(text: str) -> str:
    if not RUNTIME_PATHS:
        peer = peer_package()
        RUNTIME_PATHS.extend([str(peer / "dist" / "index.mjs"), str(bootstrap_file())])
    for path in RUNTIME_PATHS:
        text = text.replace(path, "<runtime>")
    return text


def outcome(result: Any) -> dict[str, Any]:
    """What must be identical between the two clients."""
    if result.error is None:
        return {"payload": result.payload_json()}
    error = result.error
    trace = error.get("trace")
    summary: dict[str, Any] = {
        "errorType": error["errorType"],
        "errorMessage": _normalise(str(error.get("errorMessage"))),
        "keys": sorted(error),
    }
    if isinstance(trace, list):
        lines = [_normalise(line) for line in trace]
        frames = [line for line in lines if line.startswith("    at ")]
        summary["head"] = [line for line in lines if not line.startswith("    at ")]
        summary["userFrames"] = [f for f in frames if str(NODE_CONFORMANCE) in f]
        summary["framesWellFormed"] = all(re.match(r"    at \S", f) for f in frames)
    return summary


def run_both(handler: str, event: object = None, **changes: object) -> list[Any]:
    results = []
    for runtime in ("workbench", "aws-lambda-ric"):
        invoker = make_invoker(runtime, handler, **changes)
        try:
            results.append(invoker.invoke(json.dumps({} if event is None else event).encode()))
        finally:
            invoker.close()
    return results


SUCCESS = {
    "app.ok": {"echo": {"n": 1}, "answer": 42},
    "app.plainString": "plain string",
    "app.returnsUndefined": None,
    "app.callbackOk": {"via": "callback"},
    "app.succeeds": "succeeded",
    "app.neverCalls": None,
    "app.notWaiting": "delivered",
    "app.waitsForTimer": "after timer",
    "app.nested.deeper.handler": "nested",
    "esm.handler": {"module": "esm", "event": {"n": 1}},
    "src/index.handler": "from src",
    "typemodule/index.handler": True,
    "cjs.handler": "from cjs",
}
# Streamed responses are bytes, not JSON.
STREAMED = {
    "esm.streams": b'hello {"n":1}',
    "esm.httpStream": b'{"statusCode":201}' + bytes(8) + b"created",
}


@pytest.mark.parametrize(("handler", "body"), STREAMED.items(), ids=list(STREAMED))
def test_streamed_response_matches(handler: str, body: bytes) -> None:
    ours, theirs = run_both(handler)
    assert ours.payload == theirs.payload == body


@pytest.mark.parametrize(("handler", "payload"), SUCCESS.items(), ids=list(SUCCESS))
def test_success_matches(handler: str, payload: object) -> None:
    ours, theirs = run_both(handler, {"n": 1})
    assert outcome(ours) == outcome(theirs) == {"payload": payload}


ERRORS = {
    "app.boom": ("MyErr", "custom failure"),
    "app.syncThrow": ("TypeError", "sync failure"),
    "app.throwsString": ("string", "just a string"),
    "app.callbackError": ("Error", "called back"),
    "app.failsWithString": ("string", "failed text"),
    "app.circular": ("Error", "Unable to stringify response body"),
    "esm.boom": ("Error", "esm failure"),
    "app.nope": ("Runtime.HandlerNotFound", "app.nope is undefined or not exported"),
    "app.notAFunction": ("Runtime.HandlerNotFound", "app.notAFunction is not a function"),
    "app": ("Runtime.MalformedHandlerName", "Bad handler"),
    "../app.ok": (
        "Runtime.MalformedHandlerName",
        "'../app.ok' is not a valid handler name. Use absolute paths when specifying root "
        "directories in handler names.",
    ),
    "bad_syntax.handler": ("Runtime.UserCodeSyntaxError", "SyntaxError: Unexpected token ';'"),
    "imports_broken.handler": (
        "Runtime.UserCodeSyntaxError",
        "SyntaxError: Unexpected end of input",
    ),
    "bad_import.handler": (
        "Runtime.ImportModuleError",
        "Error: Cannot find module 'nonexistent-module-xyz'\nRequire stack:\n"
        f"- {NODE_CONFORMANCE}/bad_import.js\n- <runtime>",
    ),
    "bad_import_esm.handler": (
        "Error",
        "Cannot find package 'nonexistent-package-xyz' imported from "
        f"{NODE_CONFORMANCE}/bad_import_esm.mjs",
    ),
    "missing_file.handler": (
        "Runtime.ImportModuleError",
        "Error: Cannot find module 'missing_file'\nRequire stack:\n- <runtime>",
    ),
    "init_crash.handler": ("Error", "cannot start"),
    "app.unhandled": ("Runtime.UnhandledPromiseRejection", "Error: nobody caught me"),
    "app.uncaught": ("RangeError", "thrown from a timer"),
    "esm.streamFails": ("Error", "stream broke"),
}


@pytest.mark.parametrize(("handler", "expected"), ERRORS.items(), ids=list(ERRORS))
def test_error_matches(handler: str, expected: tuple[str, str]) -> None:
    ours, theirs = run_both(handler)
    assert outcome(ours) == outcome(theirs)
    summary = outcome(ours)
    assert (summary["errorType"], summary["errorMessage"]) == expected
    assert summary["keys"] == ["errorMessage", "errorType", "trace"]
    assert summary["framesWellFormed"]
    if expected[0] == "string":  # a thrown string has no stack
        assert summary["head"] == summary["userFrames"] == []
    else:
        assert summary["head"][0].startswith(f"{expected[0]}")


def test_handler_frames_point_at_the_users_line() -> None:
    ours, theirs = run_both("app.boom")
    frames = outcome(ours)["userFrames"]
    assert frames == [f"    at exports.boom [as handler] ({NODE_CONFORMANCE}/app.js:19:9)"], frames
    assert frames == outcome(theirs)["userFrames"]
    esm, _ = run_both("esm.boom")
    assert outcome(esm)["userFrames"] == [
        f"    at Runtime.boom [as handler] (file://{NODE_CONFORMANCE}/esm.mjs:5:9)"
    ]


@pytest.mark.parametrize("runtime", ["workbench", "aws-lambda-ric"])
def test_init_error_then_next_invoke_is_cold(runtime: str) -> None:
    invoker = make_invoker(runtime, "bad_syntax.handler")
    try:
        first = invoker.invoke(b"{}")
        assert first.error["errorType"] == "Runtime.UserCodeSyntaxError"
        assert first.cold_start and invoker.state == "cold"
        assert invoker.invoke(b"{}").error["errorType"] == "Runtime.UserCodeSyntaxError"
    finally:
        invoker.close()


@pytest.mark.parametrize("runtime", ["workbench", "aws-lambda-ric"])
@pytest.mark.parametrize("handler", ["app.unhandled", "app.uncaught"])
def test_unhandled_errors_end_the_environment(runtime: str, handler: str) -> None:
    invoker = make_invoker(runtime, handler)
    try:
        assert invoker.invoke(b"{}").error is not None
        invoker_state_after = invoker.invoke(b"{}")
        assert invoker_state_after.cold_start  # the runtime exited after reporting
    finally:
        invoker.close()


@pytest.mark.parametrize("runtime", ["workbench", "aws-lambda-ric"])
def test_exit_is_runtime_exit_error_and_next_invoke_works(runtime: str) -> None:
    invoker = make_invoker(runtime, "app.exits")
    try:
        result = invoker.invoke(b"{}")
        assert result.error == {
            "errorType": "Runtime.ExitError",
            "errorMessage": f"RequestId: {result.request_id} Error: Runtime exited with error: "
            "exit status 2",
            "stackTrace": None,
        }
        assert invoker.invoke(b"{}").cold_start
    finally:
        invoker.close()


@pytest.mark.parametrize("runtime", ["workbench", "aws-lambda-ric"])
@pytest.mark.parametrize(
    "handler", ["app.busyLoop", "app.hangs", "app.spins", "esm.streamNeverEnds"]
)
def test_busy_or_endless_handlers_time_out(runtime: str, handler: str) -> None:
    invoker = make_invoker(runtime, handler, timeout_s=1)
    try:
        result = invoker.invoke(b"{}")
        assert result.timed_out and result.error["errorType"] == "Sandbox.Timedout"
        assert invoker.state == "cold"
        again = make_invoker(runtime, "app.ok")
        try:
            assert again.invoke(b"{}").succeeded
        finally:
            again.close()
    finally:
        invoker.close()


@pytest.mark.parametrize("runtime", ["workbench", "aws-lambda-ric"])
def test_response_too_large_and_next_invoke_works(runtime: str) -> None:
    invoker = make_invoker(runtime, "app.big")
    try:
        result = invoker.invoke(b"{}")
        assert result.error["errorType"] == "Function.ResponseSizeTooLarge"
        assert result.error["errorMessage"] == (
            "Response payload size exceeded maximum allowed payload size "
            f"({MAX_RESPONSE_BYTES} bytes)."
        )
        assert invoker.invoke(b"{}").error["errorType"] == "Function.ResponseSizeTooLarge"
    finally:
        invoker.close()


@pytest.mark.parametrize("runtime", ["workbench", "aws-lambda-ric"])
def test_warm_reuse_keeps_globals(runtime: str) -> None:
    invoker = make_invoker(runtime, "app.counts")
    try:
        first, second = invoker.invoke(b"{}"), invoker.invoke(b"{}")
        assert (first.payload, second.payload) == (b"1", b"2")
        assert first.cold_start and not second.cold_start
    finally:
        invoker.close()


def _user_part(text: str) -> str:
    """A logged stack up to the runtime client's own frames (which differ by client)."""
    return re.split(r"\s+at Runtime\.handleOnceNonStreaming", text)[0]


def _console_lines(result: Any, cut: bool = True) -> list[str]:
    return [
        _user_part(line) if cut else line
        for line in result.logs.split("\n")
        if not line.startswith(("START ", "END ", "REPORT ", "Executing "))
    ]


def test_console_lines_match() -> None:
    ours, theirs = run_both("app.logs")
    shapes = []
    for result in (ours, theirs):
        rid = result.request_id
        lines = _console_lines(result)
        shapes.append(
            [
                re.sub(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t", "<time>\t", line).replace(
                    rid, "<id>"
                )
                for line in lines
            ]
        )
        assert re.fullmatch(
            rf"\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{{3}}Z\t{rid}\tINFO\tlog line", lines[0]
        )
    ours_lines, theirs_lines = ([_normalise(line) for line in s] for s in shapes)
    assert ours_lines == theirs_lines
    assert ours_lines[:3] == [
        "<time>\t<id>\tINFO\tlog line",
        "<time>\t<id>\tINFO\tinfo { a: 1 }",
        "<time>\t<id>\tWARN\twarn line",
    ]
    assert ours_lines[3] == (
        "<time>\t<id>\tERROR\terror line Error: logged error\r"
        f"    at exports.logs [as handler] ({NODE_CONFORMANCE}/app.js:81:31)"
    )
    assert ours_lines[4:] == ["<time>\t<id>\tDEBUG\tdebug line", "raw stdout", ""]


def test_json_log_format_and_level_match() -> None:
    env = {"AWS_LAMBDA_LOG_FORMAT": "JSON", "AWS_LAMBDA_LOG_LEVEL": "WARN"}
    results = run_both("app.logs", environment=env)
    records = []
    for result in results:
        lines = _console_lines(result, cut=False)
        assert lines[-2:] == ["raw stdout", ""]  # process.stdout.write stays plain text
        parsed = [json.loads(line) for line in lines[:-2]]
        assert [r["level"] for r in parsed] == ["WARN", "ERROR"]  # INFO and DEBUG are off
        assert all(r["requestId"] == result.request_id for r in parsed)
        for record in parsed:
            record.pop("timestamp")
            record.pop("requestId")
            record.pop("stackTrace", None)
            record["message"] = _user_part(record["message"])
        records.append(parsed)
    assert records[0] == records[1]
    assert records[0][0] == {"level": "WARN", "message": "warn line"}
    assert records[0][1]["errorMessage"] == "logged error"


def test_context_matches() -> None:
    ours, theirs = run_both("app.contextInfo", memory_mb=256, environment={"MY_VAR": "mine"})
    data = [r.payload_json() for r in (ours, theirs)]
    for result, item in zip((ours, theirs), data, strict=True):
        assert item["awsRequestId"] == result.request_id
        assert 0 < item.pop("remaining") <= 3000
        item.pop("awsRequestId")
        item["env"].pop("_X_AMZN_TRACE_ID")
        item.pop("logStreamName")
    assert data[0] == data[1]
    assert data[0]["functionName"] == "conformance"
    assert data[0]["memoryLimitInMB"] == "256"
    assert data[0]["invokedFunctionArn"] == (
        "arn:aws:lambda:us-east-1:123456789012:function:conformance"
    )
    assert data[0]["callbackWaitsForEmptyEventLoop"] is True
    assert "getRemainingTimeInMillis" in data[0]["keys"]
    assert data[0]["env"]["MY_VAR"] == "mine" and data[0]["env"]["TZ"] == ":UTC"


def test_flood_of_output_stays_in_its_invoke() -> None:
    invoker = make_invoker("workbench", "app.chatty")
    try:
        result = invoker.invoke(b'{"lines": 100000}')
        lines = result.logs.splitlines()
        end = next(i for i, line in enumerate(lines) if line.startswith("END RequestId"))
        assert lines[end - 1].endswith("\tINFO\tline 99999")
        assert sum(1 for line in lines if "\tINFO\tline " in line) == 100000
    finally:
        invoker.close()
