"""The Runtime API server's endpoints, headers and status codes (lambda-facts section 1)."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import urllib.parse

import pytest

from workbench.core.runtime.api import (
    MAX_RESPONSE_BYTES,
    TOKEN_HEADER,
    Invocation,
    RuntimeApi,
    header_value,
)


@pytest.fixture
def api():
    server = RuntimeApi()
    yield server
    server.close()


def request(api, method, path, body=None, headers=None):
    conn = http.client.HTTPConnection(api.address, timeout=10)
    conn.request(method, "/2018-06-01/runtime" + path, body, headers or {})
    response = conn.getresponse()
    data = response.read()
    conn.close()
    return response.status, dict(response.getheaders()), data


def submit(api, request_id="req-1", body=b'{"k": 1}'):
    invocation = Invocation(request_id, body, 1234, "arn:aws:lambda:r:1:function:f", "Root=1-x")
    api.submit(invocation)
    return invocation


def test_listens_on_loopback_only(api):
    assert api.address.startswith("127.0.0.1:")
    assert api._server.server_address[0] == "127.0.0.1"


def test_next_long_polls_and_returns_headers(api):
    got = {}
    thread = threading.Thread(target=lambda: got.update(r=request(api, "GET", "/invocation/next")))
    thread.start()
    assert api.ready.wait(5)
    thread.join(0.3)
    assert thread.is_alive(), "next must block until an event is submitted"
    submit(api)
    thread.join(5)
    status, headers, body = got["r"]
    assert status == 200 and body == b'{"k": 1}'
    assert headers["Lambda-Runtime-Aws-Request-Id"] == "req-1"
    assert headers["Lambda-Runtime-Deadline-Ms"] == "1234"
    assert headers["Lambda-Runtime-Invoked-Function-Arn"] == "arn:aws:lambda:r:1:function:f"
    assert headers["Lambda-Runtime-Trace-Id"] == "Root=1-x"


def test_response_then_finished_id_is_400(api):
    invocation = submit(api)
    assert request(api, "GET", "/invocation/next")[0] == 200
    assert request(api, "POST", "/invocation/req-1/response", b'"ok"')[0] == 202
    assert invocation.response == b'"ok"' and invocation.kind == "response"
    status, _, body = request(api, "POST", "/invocation/req-1/response", b'"again"')
    assert status == 400 and json.loads(body)["errorType"] == "InvalidRequestID"
    assert request(api, "POST", "/invocation/unknown/error", b"{}")[0] == 400


def test_error_with_xray_cause_header(api):
    invocation = submit(api)
    request(api, "GET", "/invocation/next")
    status, _, _ = request(
        api,
        "POST",
        "/invocation/req-1/error",
        json.dumps({"errorMessage": "m", "errorType": "T", "stackTrace": ["s"]}),
        {
            "Lambda-Runtime-Function-Error-Type": "Unhandled",
            "Lambda-Runtime-Function-XRay-Error-Cause": '{"working_directory": "/var/task"}',
        },
    )
    assert status == 202
    assert invocation.error == {"errorType": "T", "errorMessage": "m", "stackTrace": ["s"]}


def test_oversized_response_is_413(api):
    invocation = submit(api)
    request(api, "GET", "/invocation/next")
    status, _, _ = request(
        api, "POST", "/invocation/req-1/response", b"x" * (MAX_RESPONSE_BYTES + 1)
    )
    assert status == 413
    assert invocation.error["errorType"] == "Function.ResponseSizeTooLarge"


def test_response_at_the_limit_is_accepted(api):
    invocation = submit(api)
    request(api, "GET", "/invocation/next")
    status, _, _ = request(api, "POST", "/invocation/req-1/response", b"x" * MAX_RESPONSE_BYTES)
    assert status == 202 and len(invocation.response) == MAX_RESPONSE_BYTES


def test_init_error_is_kept(api):
    status, _, _ = request(
        api,
        "POST",
        "/init/error",
        json.dumps({"errorMessage": "boom", "errorType": "Runtime.ImportModuleError"}),
        {"Lambda-Runtime-Function-Error-Type": "Runtime.ImportModuleError"},
    )
    assert status == 202
    assert api.init_error_event.is_set()
    assert api.init_error["errorType"] == "Runtime.ImportModuleError"


def test_streamed_response_with_error_trailer(api):
    invocation = submit(api)
    request(api, "GET", "/invocation/next")
    conn = http.client.HTTPConnection(api.address, timeout=10)
    conn.putrequest("POST", "/2018-06-01/runtime/invocation/req-1/response")
    conn.putheader("Lambda-Runtime-Function-Response-Mode", "streaming")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.putheader("Trailer", "Lambda-Runtime-Function-Error-Type")
    conn.endheaders()
    conn.send(b"5\r\nhello\r\n0\r\nLambda-Runtime-Function-Error-Type: Stream.Broken\r\n\r\n")
    assert conn.getresponse().status == 202
    assert invocation.error["errorType"] == "Stream.Broken"


def test_streamed_response_chunks_are_joined(api):
    invocation = submit(api)
    request(api, "GET", "/invocation/next")
    conn = http.client.HTTPConnection(api.address, timeout=10)
    conn.request(
        "POST",
        "/2018-06-01/runtime/invocation/req-1/response",
        body=iter([b"hel", b"lo"]),
        headers={"Lambda-Runtime-Function-Response-Mode": "streaming"},
        encode_chunked=True,
    )
    assert conn.getresponse().status == 202
    assert invocation.response == b"hello"


def test_unknown_path_is_404(api):
    assert request(api, "GET", "/nothing")[0] == 404


def test_close_returns_at_once_and_ends_every_thread():
    server = RuntimeApi()
    conn = http.client.HTTPConnection(server.address, timeout=10)
    conn.request("GET", "/2018-06-01/runtime/invocation/next")  # a long-poll in flight
    assert server.ready.wait(5)
    before = {t for t in threading.enumerate() if t.is_alive()}
    server.close()
    # No poll interval: the accept loop has ended by the time close() returns, and the
    # long-polling request thread is woken and its connection cut.
    assert not server._server._thread.is_alive()
    for thread in before - {threading.current_thread()}:
        if "process_request_thread" in thread.name:
            thread.join(5)
            assert not thread.is_alive()
    with pytest.raises(OSError):
        http.client.HTTPConnection(server.address, timeout=2).connect()
    conn.close()


def test_token_is_required_once_set(api):
    token = api.require_token()
    status, _, body = request(api, "GET", "/invocation/next")
    assert status == 403 and json.loads(body)["errorType"] == "AccessDeniedException"
    status, _, _ = request(api, "POST", "/invocation/x/response", b"{}", {TOKEN_HEADER: "wrong"})
    assert status == 403 and api.refused == 2
    submit(api)
    assert request(api, "GET", "/invocation/next", headers={TOKEN_HEADER: token})[0] == 200


def test_only_the_allowed_peer_is_served(api):
    api.allow_peer("10.99.0.2")
    assert request(api, "GET", "/invocation/next")[0] == 403
    assert not api.ready.is_set()


def test_requests_wait_until_the_peer_is_known(api):
    api.restrict_peer()
    submit(api)
    got = {}
    thread = threading.Thread(target=lambda: got.update(r=request(api, "GET", "/invocation/next")))
    thread.start()
    thread.join(0.2)
    assert thread.is_alive() and not api.ready.is_set()
    api.allow_peer("127.0.0.1")
    thread.join(10)
    assert got["r"][0] == 200


def test_non_ascii_function_arn_is_percent_encoded(api):
    invocation = Invocation("req-1", b"{}", 1, "arn:aws:lambda:r:1:function:función-函数", "t")
    api.submit(invocation)
    status, headers, _ = request(api, "GET", "/invocation/next")
    assert status == 200
    arn = headers["Lambda-Runtime-Invoked-Function-Arn"]
    assert arn.isascii() and urllib.parse.unquote(arn).endswith("función-函数")
    assert "\n" not in header_value("a\r\nInjected: 1")


def test_an_exception_inside_the_server_fails_the_invocation_with_a_sentence(api):
    invocation = Invocation("req-1", object(), 1, "arn", "t")  # type: ignore[arg-type]
    api.submit(invocation)
    status, _, _ = request(api, "GET", "/invocation/next")
    assert status == 500
    assert invocation.done.is_set() and invocation.kind == "platform"
    assert invocation.error["errorType"] == "Runtime.ApiError"
    assert "TypeError" in invocation.error["errorMessage"]
    assert "instead of waiting for its timeout" in invocation.error["errorMessage"]


def test_a_malformed_response_fails_the_invocation_instead_of_timing_out(api):
    invocation = submit(api)
    request(api, "GET", "/invocation/next")
    conn = http.client.HTTPConnection(api.address, timeout=10)
    conn.putrequest("POST", "/2018-06-01/runtime/invocation/req-1/response")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    conn.send(b"zz\r\nhello\r\n0\r\n\r\n")
    assert conn.getresponse().status == 500
    assert invocation.kind == "platform" and invocation.error["errorType"] == "Runtime.ApiError"


def test_non_ascii_function_name_invokes_in_the_process_runner(tmp_path):
    from workbench.core.function import FunctionConfig
    from workbench.core.runtime.invoker import Invoker

    (tmp_path / "app.py").write_text(
        "def handler(event, context):\n    return context.invoked_function_arn\n"
    )
    function = FunctionConfig("función-函数", "app.handler", tmp_path, timeout_s=30)
    invoker = Invoker(function, "process")
    try:
        result = invoker.invoke(b"{}")
    finally:
        invoker.close()
    assert result.succeeded and not result.timed_out, result.logs
    assert result.payload_json().isascii()


def test_expect_100_continue_is_answered_before_the_body(api):
    import socket

    invocation = submit(api)
    request(api, "GET", "/invocation/next")
    host, port = api.address.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(
            b"POST /2018-06-01/runtime/invocation/req-1/response HTTP/1.1\r\nHost: x\r\n"
            b"Content-Length: 2\r\nExpect: 100-continue\r\n\r\n"
        )
        assert sock.recv(64).startswith(b"HTTP/1.1 100 Continue")
        sock.sendall(b'"x"'[:2])
        assert b"202" in sock.recv(256)
    assert invocation.response == b'"x'


def test_header_names_are_case_insensitive(api):
    token = api.require_token()
    submit(api)
    status, _, _ = request(api, "GET", "/invocation/next", headers={TOKEN_HEADER.lower(): token})
    assert status == 200


def raw_exchange(api, data: bytes) -> bytes:
    """Send raw bytes, read until the server closes the connection (bounded by a timeout)."""
    host, port = api.address.split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(data)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    return reply


def test_a_malformed_request_line_gets_a_json_400_and_the_connection_closes(api):
    reply = raw_exchange(api, b"NONSENSE\r\n\r\n")
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 ")
    assert b"Connection: close" in head
    assert json.loads(body)["errorMessage"] == "Bad request line"


def test_an_overlong_request_line_is_refused_not_buffered(api):
    reply = raw_exchange(api, b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 414 ")


def test_an_unknown_method_is_answered_405(api):
    reply = raw_exchange(api, b"DELETE /2018-06-01/runtime/invocation/next HTTP/1.1\r\n\r\n")
    assert reply.startswith(b"HTTP/1.1 405 ")


def test_too_many_headers_are_refused(api):
    headers = b"".join(b"X-%d: 1\r\n" % i for i in range(150))
    reply = raw_exchange(api, b"GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\n" + headers)
    assert reply.startswith(b"HTTP/1.1 431 ")


def test_the_token_pipe_variable_is_the_bootstraps(api):
    from pathlib import Path

    from workbench.core.runtime import bootstrap, process_env

    assert process_env.TOKEN_FD_VARIABLE == bootstrap.TOKEN_FD_VARIABLE
    node = Path(bootstrap.__file__).with_name("nodejs") / "bootstrap.mjs"
    assert f'TOKEN_FD_VARIABLE = "{process_env.TOKEN_FD_VARIABLE}"' in node.read_text()
