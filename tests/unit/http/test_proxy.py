"""Results to responses as API Gateway reads them (payload 1.0 and 2.0)."""

from __future__ import annotations

import base64
import json

import pytest

from workbench.core.http.model import HTTP, REST, Api
from workbench.core.http.proxy import Malformed, v1_reply, v2_reply

REST_API = Api("R", REST, binary_media_types=("image/png",))
HTTP_API = Api("H", HTTP)


def payload(value) -> bytes:
    return json.dumps(value).encode()


def test_v1_headers_merge_and_values_become_text():
    reply = v1_reply(
        payload(
            {
                "statusCode": "201",
                "headers": {"X-One": 1, "X-Flag": True, "X-Both": "single"},
                "multiValueHeaders": {"X-Both": ["a", "b"], "Set-Cookie": ["c=1", "d=2"]},
                "body": "made",
            }
        ),
        REST_API,
        None,
    )
    assert reply.status == 201 and reply.body == b"made"
    assert ("X-One", "1") in reply.headers and ("X-Flag", "true") in reply.headers
    assert [v for k, v in reply.headers if k == "X-Both"] == ["a", "b"]
    assert [v for k, v in reply.headers if k == "Set-Cookie"] == ["c=1", "d=2"]
    assert reply.header("content-type") == "application/json"


@pytest.mark.parametrize(
    "value",
    [
        {"body": "no status"},
        {"statusCode": 200, "body": {"not": "a string"}},
        {"statusCode": "abc"},
        {"statusCode": 700},
        {"statusCode": 200, "extra": 1},
        {"statusCode": 200, "headers": ["x"]},
        ["a list"],
        "a string",
    ],
)
def test_v1_shapes_api_gateway_refuses(value):
    with pytest.raises(Malformed):
        v1_reply(payload(value), REST_API, None)


def test_v1_base64_decoded_only_for_binary_media_types():
    encoded = base64.b64encode(b"\x89PNG").decode()
    result = {"statusCode": 200, "body": encoded, "isBase64Encoded": True}
    assert v1_reply(payload(result), REST_API, "image/png, */*").body == b"\x89PNG"
    assert v1_reply(payload(result), REST_API, "text/html").body == encoded.encode()
    # An HTTP API with payload 1.0 always decodes.
    assert v1_reply(payload(result), HTTP_API, None).body == b"\x89PNG"


def test_v2_bare_values_and_cookies():
    assert v2_reply(payload("hello")).body == b'"hello"'
    assert v2_reply(payload([1, 2])).status == 200
    reply = v2_reply(
        payload({"statusCode": 302, "headers": {"location": "/x"}, "cookies": ["a=1"]})
    )
    assert reply.status == 302 and reply.header("location") == "/x"
    assert reply.header("set-cookie") == "a=1"
    with pytest.raises(Malformed):
        v2_reply(b"not json")
    with pytest.raises(Malformed):
        v2_reply(payload({"statusCode": 200, "cookies": "a=1"}))
    with pytest.raises(Malformed):
        v2_reply(payload({"statusCode": 200, "body": "%%%", "isBase64Encoded": True}))
