"""REST API routes (payload 1.0) over real sockets: events, responses, binary, errors, CORS."""

from __future__ import annotations

import base64
import json
import socket

from aws_lambda_powertools.utilities.parser.models import APIGatewayProxyEventModel

from tests.unit.http.conftest import call


def test_path_parameter_event_is_what_api_gateway_sends(served):
    reply = served.call(
        "GET",
        "/items/a%20b?tag=x&tag=y&one=1",
        headers=[("X-Multi", "first"), ("X-Multi", "second"), ("User-Agent", "tests/1")],
    )
    assert reply.status == 200
    event = reply.event()
    model = APIGatewayProxyEventModel(**event)
    assert model.resource == "/items/{id}"
    assert model.path == "/items/a%20b"  # REST passes the path percent-encoded
    assert model.pathParameters == {"id": "a b"}
    assert model.httpMethod == "GET"
    # Single-value maps keep the last value; the multi-value maps keep them all, in order.
    assert model.queryStringParameters == {"tag": "y", "one": "1"}
    assert model.multiValueQueryStringParameters == {"tag": ["x", "y"], "one": ["1"]}
    assert model.headers["X-Multi"] == "second"
    assert model.multiValueHeaders["X-Multi"] == ["first", "second"]
    assert model.stageVariables == {"color": "blue"}
    context = model.requestContext
    assert context.stage == "dev"
    assert context.resourcePath == "/items/{id}"
    assert context.path == "/dev/items/a%20b"
    assert str(context.identity.sourceIp).startswith("127.0.0.1")
    assert context.identity.userAgent == "tests/1"
    assert context.requestId == reply.header("x-amzn-RequestId")
    assert (
        abs(
            event["requestContext"]["requestTimeEpoch"]
            - context.requestTimeEpoch.timestamp() * 1000
        )
        < 1
    )
    assert model.isBase64Encoded is False and model.body is None


def test_response_headers_multi_value_and_default_content_type(served):
    reply = served.call("GET", "/items/1")
    assert reply.header("x-version") == "one"
    assert reply.all("x-multi") == ["one", "two"]
    assert reply.header("content-type") == "application/json"


def test_greedy_proxy_and_any_method(served):
    reply = served.call("DELETE", "/files/a/b/c.txt")
    assert reply.status == 200
    event = APIGatewayProxyEventModel(**reply.event())
    assert event.resource == "/files/{proxy+}"
    assert event.pathParameters == {"proxy": "a/b/c.txt"}
    assert event.httpMethod == "DELETE"


def test_text_body_is_sent_as_text(served):
    body = json.dumps({"name": "ana", "city": "Köln"}).encode()
    reply = served.call("POST", "/items", headers=[("Content-Type", "application/json")], body=body)
    event = APIGatewayProxyEventModel(**reply.event())
    assert event.isBase64Encoded is False
    assert json.loads(event.body) == {"name": "ana", "city": "Köln"}


def test_binary_media_type_in_and_out(served):
    data = bytes(range(256)) * 4
    reply = served.call(
        "POST",
        "/bin",
        headers=[
            ("Content-Type", "application/octet-stream"),
            ("Accept", "application/octet-stream"),
        ],
        body=data,
    )
    assert reply.status == 200
    assert reply.body == data[::-1]
    assert reply.header("content-type") == "application/octet-stream"


def test_base64_result_decoded_for_a_binary_response_content_type(served):
    # API Gateway decodes isBase64Encoded only for BinaryMediaTypes; the handler's own
    # Content-Type is one here, so it is decoded.
    data = b"\x00\x01abc"
    reply = served.call("POST", "/bin", headers=[("Content-Type", "text/plain")], body=data)
    assert reply.body == data[::-1]


def test_unknown_route_is_missing_authentication_token(served):
    reply = served.call("GET", "/nowhere")
    assert reply.status == 403
    assert reply.json() == {"message": "Missing Authentication Token"}
    # A known path with another method is no route either.
    assert served.call("PUT", "/items/1").status == 403


def test_function_error_is_502(served):
    reply = served.call("GET", "/fail")
    assert reply.status == 502
    assert reply.json() == {"message": "Internal server error"}
    assert served.log[-1].result is not None
    assert served.log[-1].result.error["errorType"] == "RuntimeError"


def test_non_proxy_result_is_502(served):
    reply = served.call("GET", "/malformed")
    assert reply.status == 502
    assert reply.json() == {"message": "Internal server error"}
    assert "malformed" in served.log[-1].problem


def test_integration_timeout_is_504_and_the_server_keeps_serving(served):
    reply = served.call("GET", "/slow?s=4")
    assert reply.status == 504
    assert reply.json() == {"message": "Endpoint request timed out"}
    assert served.call("GET", "/items/1").status == 200


def test_body_over_10_mb_is_413(served):
    reply = served.call("POST", "/items", body=b"x" * (10 * 1024 * 1024 + 1))
    assert reply.status == 413
    assert reply.json() == {"message": "Request Entity Too Large"}
    assert served.call("GET", "/items/1").status == 200


def test_event_over_lambdas_6_mb_is_413(served):
    # Under API Gateway's 10 MB, but the event would be over Lambda's 6 MB request limit.
    reply = served.call("POST", "/items", body=b"x" * (7 * 1024 * 1024))
    assert reply.status == 413
    assert "6 MB" in served.log[-1].problem
    assert served.log[-1].result is None


def test_cors_preflight_from_the_template(served):
    reply = served.call(
        "OPTIONS",
        "/items/1",
        headers=[("Origin", "https://app.example"), ("Access-Control-Request-Method", "GET")],
    )
    assert reply.status == 200
    assert reply.header("access-control-allow-origin") == "https://app.example"
    assert reply.header("access-control-allow-headers") == "content-type,x-key"
    assert reply.header("access-control-max-age") == "600"
    assert set(reply.header("access-control-allow-methods").split(",")) == {"GET", "OPTIONS"}


def test_client_dropping_mid_request_leaves_the_server_serving(served):
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        sock.sendall(b"POST /items HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nonly part")
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as sock:
        sock.sendall(b"GET /items/2 HTTP/1.1\r\nHost: x\r\n")  # headers never finished
    assert served.call("GET", "/items/3").status == 200


def test_head_request_has_no_body(served):
    reply = call(served.port, "HEAD", "/files/x")
    assert reply.status == 200 and reply.body == b""


def test_base64_event_for_binary_request(served):
    data = b"\x89PNG\r\n\x1a\n\x00\xff"
    reply = served.call("POST", "/bin", headers=[("Content-Type", "image/png")], body=data)
    record = json.loads(served.log[-1].event)
    assert record["isBase64Encoded"] is True
    assert base64.b64decode(record["body"]) == data
    assert reply.body == data[::-1]


def test_unicode_and_line_break_header_values_do_not_break_the_response():
    from workbench.core.http.server import _header_text

    assert _header_text("caf\u00e9") == "caf\u00e9"
    assert _header_text("\u2713") == "\u2713".encode().decode("latin-1")
    assert _header_text("a\r\nSet-Cookie: x") == "a  Set-Cookie: x"
