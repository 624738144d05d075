"""A function's result as the HTTP response API Gateway or a function URL sends, and its errors."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from typing import Any

from workbench.core.http.events import media_matches
from workbench.core.http.model import HTTP, REST, URL, Api

# Headers the gateway owns; a function's values for them are dropped (the server sets them).
_HOP_BY_HOP = {"content-length", "transfer-encoding", "connection", "keep-alive"}
_V1_KEYS = {"statusCode", "headers", "multiValueHeaders", "body", "isBase64Encoded", "cookies"}


@dataclass
class HttpReply:
    """What goes back to the client."""

    status: int
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    problem: str = ""  # why the gateway answered an error instead of the function's response

    def header(self, name: str) -> str | None:
        found = [v for k, v in self.headers if k.lower() == name.lower()]
        return found[-1] if found else None


class Malformed(ValueError):
    """The function returned something the gateway cannot turn into a response (502)."""


# Errors the gateway itself answers: (status, body, x-amzn-ErrorType) per kind of API.
_ERRORS: dict[str, dict[str, tuple[int, Any, str]]] = {
    "internal": {
        REST: (502, {"message": "Internal server error"}, "InternalServerErrorException"),
        HTTP: (502, {"message": "Internal server error"}, "InternalServerErrorException"),
        URL: (502, {"message": "Internal server error"}, "InternalServerErrorException"),
    },
    "not_found": {
        REST: (
            403,
            {"message": "Missing Authentication Token"},
            "MissingAuthenticationTokenException",
        ),
        HTTP: (404, {"message": "Not Found"}, "NotFoundException"),
        URL: (404, {"message": "Not Found"}, "NotFoundException"),
    },
    "timeout": {
        kind: (504, {"message": "Endpoint request timed out"}, "IntegrationTimeout")
        for kind in (REST, HTTP, URL)
    },
    "too_large": {
        kind: (413, {"message": "Request Entity Too Large"}, "RequestEntityTooLargeException")
        for kind in (REST, HTTP, URL)
    },
    # Lambda's TooManyRequestsException as each front door passes it on.
    "throttled": {
        REST: (429, {"message": "Too Many Requests"}, "TooManyRequestsException"),
        HTTP: (503, {"message": "Service Unavailable"}, "ServiceUnavailableException"),
        URL: (429, {"message": "Too Many Requests"}, "TooManyRequestsException"),
    },
    "unauthorized": {
        kind: (401, {"message": "Unauthorized"}, "UnauthorizedException")
        for kind in (REST, HTTP, URL)
    },
    "denied": {
        REST: (
            403,
            {"Message": "User is not authorized to access this resource with an explicit deny"},
            "AccessDeniedException",
        ),
        HTTP: (403, {"message": "Forbidden"}, "AccessDeniedException"),
        URL: (403, {"message": "Forbidden"}, "AccessDeniedException"),
    },
    "not_allowed": {
        REST: (
            403,
            {"Message": "User is not authorized to access this resource"},
            "AccessDeniedException",
        ),
        HTTP: (403, {"message": "Forbidden"}, "AccessDeniedException"),
        URL: (403, {"message": "Forbidden"}, "AccessDeniedException"),
    },
    "authorizer_failed": {
        REST: (500, {"message": None}, "AuthorizerConfigurationException"),
        HTTP: (500, {"message": "Internal Server Error"}, "AuthorizerConfigurationException"),
        URL: (500, {"message": "Internal Server Error"}, "AuthorizerConfigurationException"),
    },
}


def gateway_error(what: str, kind: str, request_id: str = "", problem: str = "") -> HttpReply:
    status, body, error_type = _ERRORS[what][kind]
    headers = [("Content-Type", "application/json"), ("x-amzn-ErrorType", error_type)]
    if request_id:
        headers.append(("x-amzn-RequestId", request_id))
    return HttpReply(status, headers, json.dumps(body).encode(), problem=problem)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _decode_body(body: Any, encoded: Any) -> bytes:
    if body is None:
        return b""
    if not isinstance(body, str):
        raise Malformed("the body is not a string")
    if encoded is True:
        try:
            return base64.b64decode(body, validate=True)
        except (binascii.Error, ValueError):
            raise Malformed("isBase64Encoded is true but the body is not base64") from None
    return body.encode("utf-8")


def _status(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise Malformed("statusCode is not a number")
    try:
        status = int(value)
    except ValueError:
        raise Malformed("statusCode is not a number") from None
    if not 100 <= status <= 599:
        raise Malformed(f"statusCode {status} is not an HTTP status")
    return status


def _headers(value: Any, multi: Any) -> list[tuple[str, str]]:
    if value is not None and not isinstance(value, dict):
        raise Malformed("headers is not an object")
    if multi is not None and not isinstance(multi, dict):
        raise Malformed("multiValueHeaders is not an object")
    found: list[tuple[str, str]] = []
    single = {str(k): v for k, v in (value or {}).items()}
    for key, values in (multi or {}).items():
        if not isinstance(values, list):
            raise Malformed(f"multiValueHeaders[{key!r}] is not a list")
        # API Gateway merges both; a header in both keeps the multi-value list.
        single.pop(str(key), None)
        found += [(str(key), _text(v)) for v in values]
    found = [(k, _text(v)) for k, v in single.items() if v is not None] + found
    return [(k, v) for k, v in found if k.lower() not in _HOP_BY_HOP]


def v1_reply(payload: bytes, api: Api, accept: str | None) -> HttpReply:
    """Payload format 1.0 result -> response; raises Malformed as API Gateway would 502."""
    try:
        value = json.loads(payload)
    except ValueError:
        raise Malformed("the result is not JSON") from None
    if not isinstance(value, dict):
        raise Malformed("the result is not an object with statusCode")
    unknown = set(value) - _V1_KEYS
    if unknown:
        raise Malformed(f"the result has keys a proxy response may not have: {sorted(unknown)}")
    if "statusCode" not in value:
        raise Malformed("the result has no statusCode")
    status = _status(value["statusCode"])
    headers = _headers(value.get("headers"), value.get("multiValueHeaders"))
    body = value.get("body")
    encoded = value.get("isBase64Encoded", False)
    if api.kind == REST and encoded is True:
        # REST APIs turn base64 back into bytes only for BinaryMediaTypes (the request's
        # Accept, or the response's own Content-Type); otherwise the text goes out as is.
        content_type = next((v for k, v in headers if k.lower() == "content-type"), None)
        first_accept = (accept or "").split(",")[0]
        patterns = api.binary_media_types
        if not (media_matches(first_accept, patterns) or media_matches(content_type, patterns)):
            encoded = False
    data = _decode_body(body, encoded)
    if not any(k.lower() == "content-type" for k, _ in headers):
        headers.append(("Content-Type", "application/json"))
    return HttpReply(status, headers, data)


def v2_reply(payload: bytes) -> HttpReply:
    """Payload format 2.0 result -> response (a bare value is a 200 JSON body)."""
    try:
        value = json.loads(payload)
    except ValueError:
        raise Malformed("the result is not JSON") from None
    if not isinstance(value, dict) or "statusCode" not in value:
        return HttpReply(200, [("Content-Type", "application/json")], payload)
    status = _status(value["statusCode"])
    headers = _headers(value.get("headers"), None)
    cookies = value.get("cookies") or []
    if not isinstance(cookies, list):
        raise Malformed("cookies is not a list")
    headers += [("Set-Cookie", _text(c)) for c in cookies]
    data = _decode_body(value.get("body"), value.get("isBase64Encoded", False))
    if not any(k.lower() == "content-type" for k, _ in headers):
        headers.append(("Content-Type", "application/json"))
    return HttpReply(status, headers, data)


def function_reply(payload: bytes, api: Api, payload_version: str, accept: str | None) -> HttpReply:
    if payload_version == "2.0":
        return v2_reply(payload)
    return v1_reply(payload, api, accept)
