"""HTTP API (payload 2.0 and 1.0) and function URL routes over real sockets."""

from __future__ import annotations

import base64

from aws_lambda_powertools.utilities.parser.models import (
    APIGatewayProxyEventModel,
    APIGatewayProxyEventV2Model,
    LambdaFunctionUrlModel,
)

from tests.unit.http.conftest import call


def test_v2_event_is_what_http_api_sends(served):
    reply = served.call(
        "GET",
        "/v2/items/7%20x?tag=x&tag=y&q=a%20b",
        headers=[
            ("X-Multi", "first"),
            ("X-Multi", "second"),
            ("Cookie", "session=abc; theme=dark"),
            ("User-Agent", "tests/2"),
        ],
    )
    assert reply.status == 200
    event = reply.event()
    model = APIGatewayProxyEventV2Model(**event)
    assert model.version == "2.0"
    assert model.routeKey == "GET /v2/items/{id}"
    assert model.rawPath == "/v2/items/7 x"  # HTTP APIs decode the path
    assert model.rawQueryString == "tag=x&tag=y&q=a%20b"
    assert model.queryStringParameters == {"tag": "x,y", "q": "a b"}
    assert model.pathParameters == {"id": "7 x"}
    assert model.cookies == ["session=abc", "theme=dark"]
    # Header names lower-cased, repeats comma-joined, cookies only in `cookies`.
    assert model.headers["x-multi"] == "first,second"
    assert "cookie" not in model.headers
    assert model.stageVariables == {"env": "test"}
    context = model.requestContext
    assert context.stage == "$default"
    assert context.routeKey == "GET /v2/items/{id}"
    assert context.http.method == "GET"
    assert context.http.path == "/v2/items/7 x"
    assert str(context.http.sourceIp).startswith("127.0.0.1")
    assert context.http.userAgent == "tests/2"
    assert context.requestId == reply.header("apigw-requestid")
    assert isinstance(event["requestContext"]["timeEpoch"], int)
    assert "body" not in event and model.isBase64Encoded is False


def test_v2_response_cookies_and_cors_headers(served):
    reply = served.call("GET", "/v2/items/1", headers=[("Origin", "https://app.example")])
    assert reply.all("set-cookie") == ["a=1; Path=/", "b=2; Secure"]
    assert reply.header("access-control-allow-origin") == "https://app.example"
    assert reply.header("access-control-expose-headers") == "x-trace"
    other = served.call("GET", "/v2/items/1", headers=[("Origin", "https://evil.example")])
    assert other.header("access-control-allow-origin") is None


def test_v2_preflight(served):
    reply = served.call(
        "OPTIONS",
        "/v2/items/1",
        headers=[
            ("Origin", "https://app.example"),
            ("Access-Control-Request-Method", "POST"),
            ("Access-Control-Request-Headers", "content-type"),
        ],
    )
    assert reply.status == 204
    assert reply.header("access-control-allow-origin") == "https://app.example"
    assert reply.header("access-control-allow-methods") == "GET,POST"
    assert reply.header("access-control-allow-headers") == "content-type"
    assert reply.header("access-control-max-age") == "300"


def test_v2_binary_body_is_base64_both_ways(served):
    data = bytes(range(200))
    reply = served.call(
        "POST", "/v2/bin", headers=[("Content-Type", "application/octet-stream")], body=data
    )
    assert reply.status == 200 and reply.body == data[::-1]


def test_v2_text_body(served):
    reply = served.call(
        "POST", "/v2/items", headers=[("Content-Type", "text/plain; charset=utf-8")], body=b"hi"
    )
    model = APIGatewayProxyEventV2Model(**reply.event())
    assert model.body == "hi" and model.isBase64Encoded is False
    unknown = served.call("POST", "/v2/items", body=b"\x00\x01")
    event = unknown.event()
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == b"\x00\x01"


def test_v2_bare_result_is_a_json_body(served):
    reply = served.call("GET", "/v2/bare")
    assert reply.status == 200
    assert reply.json() == {"hello": "world"}
    assert reply.header("content-type") == "application/json"


def test_payload_1_0_on_an_http_api(served):
    reply = served.call("GET", "/v1/echo?x=1")
    event = reply.event()
    model = APIGatewayProxyEventModel(**event)
    assert event["version"] == "1.0"
    assert model.queryStringParameters == {"x": "1"}
    assert model.requestContext.stage == "$default"


def test_http_api_unknown_route_is_404_when_only_http_apis_listen(served):
    # The main listener has REST routes too, so it answers as REST; the function URL
    # listener takes every path. Check the 404 shape on a listener of HTTP routes only.
    from workbench.core.http.events import HttpRequest
    from workbench.core.http.gateway import Gateway

    spec = served.server.spec
    http_routes = [r for r in spec.routes if r.kind == "http"]
    gateway = Gateway([spec.apis["MyHttp"]], http_routes, served.host)
    reply = gateway.handle(HttpRequest("GET", "/nothing"))
    assert reply.status == 404 and reply.body == b'{"message": "Not Found"}'


def test_function_url_event_and_cors(served):
    port = served.url_port("UrlFunction")
    reply = call(port, "PUT", "/any/a%20b?x=1", headers=[("Origin", "https://site.example")])
    assert reply.status == 200
    event = reply.event()
    model = LambdaFunctionUrlModel(**event)
    assert model.rawPath == "/any/a%20b"  # function URLs keep the encoding
    assert model.routeKey == "$default"
    assert model.requestContext.domainName.endswith(".lambda-url.us-east-1.on.aws")
    assert reply.header("access-control-allow-origin") == "*"
    assert reply.header("access-control-expose-headers") == "x-trace"
    preflight = call(
        port,
        "OPTIONS",
        "/x",
        headers=[("Origin", "https://site.example"), ("Access-Control-Request-Method", "PATCH")],
    )
    assert preflight.status == 204
    assert preflight.header("access-control-allow-methods") == "PATCH"


def test_route_table_lists_every_route_with_its_url(served):
    rows = served.server.route_table()
    by_path = {(r["method"], r["path"]): r for r in rows}
    item = by_path[("GET", "/items/{id}")]
    assert item == {
        "kind": "rest",
        "method": "GET",
        "path": "/items/{id}",
        "function": "EchoFunction",
        "url": f"http://127.0.0.1:{served.port}/items/{{id}}",
    }
    assert by_path[("GET", "/v2/items/{id}")]["kind"] == "http"
    url = [r for r in rows if r["kind"] == "url"]
    assert [r["function"] for r in url] == ["UrlFunction"]
    assert url[0]["url"] == f"http://127.0.0.1:{served.url_port('UrlFunction')}/"
