"""An HTTP request as the event API Gateway (payload 1.0 / 2.0) or a function URL sends."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, unquote

from workbench.core.http.model import URL, Api, Route

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
# HTTP API and function URLs send these bodies as text; anything else is base64.
_TEXT_TYPES = (
    "application/json",
    "application/javascript",
    "application/xml",
    "application/yaml",
    "application/x-yaml",
    "application/x-www-form-urlencoded",
    "application/graphql",
)


@dataclass
class HttpRequest:
    """One request as it arrived: raw (percent-encoded) path and query, headers in order."""

    method: str
    raw_path: str
    raw_query: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    source_ip: str = "127.0.0.1"
    protocol: str = "HTTP/1.1"
    epoch_ms: int = field(default_factory=lambda: int(time.time() * 1000))

    def header(self, name: str) -> str | None:
        found = [v for k, v in self.headers if k.lower() == name.lower()]
        return found[-1] if found else None

    def query_pairs(self) -> list[tuple[str, str]]:
        return parse_qsl(self.raw_query, keep_blank_values=True)

    def cookies(self) -> list[str]:
        found = []
        for key, value in self.headers:
            if key.lower() == "cookie":
                found += [c.strip() for c in value.split(";") if c.strip()]
        return found


def api_id_for(api: Api) -> str:
    """A stable id like API Gateway's (10 characters) or a function URL's (32), from the name."""
    digest = hashlib.sha256(api.id.encode()).digest()
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
    return "".join(alphabet[b % 36] for b in digest[: 32 if api.kind == URL else 10])


def domain_for(api: Api) -> str:
    if api.kind == URL:
        return f"{api_id_for(api)}.lambda-url.{REGION}.on.aws"
    return f"{api_id_for(api)}.execute-api.{REGION}.amazonaws.com"


def request_time(epoch_ms: int) -> str:
    return time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(epoch_ms / 1000))


def media_matches(content_type: str | None, patterns: tuple[str, ...]) -> bool:
    """Whether a Content-Type / Accept type matches one of BinaryMediaTypes (wildcards too)."""
    if not content_type or not patterns:
        return False
    kind = content_type.split(";")[0].strip().lower()
    major = kind.split("/")[0]
    for pattern in patterns:
        pattern = pattern.strip().lower()
        if pattern in (kind, "*/*") or pattern == f"{major}/*":
            return True
    return False


def is_text_type(content_type: str | None) -> bool:
    if not content_type:
        return False
    kind = content_type.split(";")[0].strip().lower()
    return (
        kind.startswith("text/")
        or kind in _TEXT_TYPES
        or kind.endswith("+json")
        or kind.endswith("+xml")
    )


def _event_path(request: HttpRequest, api: Api) -> str:
    # REST APIs and function URLs pass the path still percent-encoded; HTTP APIs decode it
    # (payload 1.0 `path` and 2.0 `rawPath` alike). Path parameters are always decoded.
    return unquote(request.raw_path) if api.kind == "http" else request.raw_path


def _v1_body(request: HttpRequest, api: Api) -> tuple[str | None, bool]:
    if not request.body:
        return None, False
    if media_matches(request.header("content-type"), api.binary_media_types):
        return base64.b64encode(request.body).decode(), True
    return request.body.decode("utf-8", errors="replace"), False


def _v2_body(request: HttpRequest) -> tuple[str | None, bool]:
    if not request.body:
        return None, False
    if is_text_type(request.header("content-type")):
        try:
            return request.body.decode("utf-8"), False
        except UnicodeDecodeError:
            pass
    return base64.b64encode(request.body).decode(), True


def rest_event(
    request: HttpRequest,
    api: Api,
    route: Route,
    path_parameters: dict[str, str],
    request_id: str,
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Payload format 1.0: REST API proxy integration (and HTTP API with version 1.0)."""
    headers: dict[str, str] = {}
    multi_headers: dict[str, list[str]] = {}
    for key, value in request.headers:
        headers[key] = value
        multi_headers.setdefault(key, []).append(value)
    query: dict[str, str] = {}
    multi_query: dict[str, list[str]] = {}
    for key, value in request.query_pairs():
        query[key] = value
        multi_query.setdefault(key, []).append(value)
    body, encoded = _v1_body(request, api)
    path = _event_path(request, api)
    resource = "/$default" if route.path == "$default" else route.path
    context: dict[str, Any] = {
        "accountId": ACCOUNT_ID,
        "apiId": api_id_for(api),
        "domainName": domain_for(api),
        "domainPrefix": api_id_for(api),
        "extendedRequestId": base64.b64encode(secrets.token_bytes(12)).decode(),
        "httpMethod": request.method,
        "identity": {
            "accessKey": None,
            "accountId": None,
            "caller": None,
            "cognitoAuthenticationProvider": None,
            "cognitoAuthenticationType": None,
            "cognitoIdentityId": None,
            "cognitoIdentityPoolId": None,
            "principalOrgId": None,
            "sourceIp": request.source_ip,
            "user": None,
            "userAgent": request.header("user-agent"),
            "userArn": None,
        },
        "path": f"/{api.stage}{path}" if api.kind == "rest" else path,
        "protocol": request.protocol,
        "requestId": request_id,
        "requestTime": request_time(request.epoch_ms),
        "requestTimeEpoch": request.epoch_ms,
        "resourceId": hashlib.sha256(resource.encode()).hexdigest()[:6],
        "resourcePath": resource,
        "stage": api.stage,
    }
    if authorizer is not None:
        context["authorizer"] = authorizer
    event: dict[str, Any] = {
        "resource": resource,
        "path": path,
        "httpMethod": request.method,
        "headers": headers,
        "multiValueHeaders": multi_headers,
        "queryStringParameters": query or None,
        "multiValueQueryStringParameters": multi_query or None,
        "pathParameters": path_parameters or None,
        "stageVariables": api.stage_variables or None,
        "requestContext": context,
        "body": body,
        "isBase64Encoded": encoded,
    }
    if api.kind != "rest":
        event["version"] = "1.0"
        context["routeKey"] = route.route_key
    return event


def http_event(
    request: HttpRequest,
    api: Api,
    route: Route,
    path_parameters: dict[str, str],
    request_id: str,
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Payload format 2.0: HTTP API and function URLs."""
    headers: dict[str, str] = {}
    for key, value in request.headers:
        name = key.lower()
        if name == "cookie":
            continue  # 2.0 sends cookies in their own list
        headers[name] = f"{headers[name]},{value}" if name in headers else value
    query: dict[str, str] = {}
    for key, value in request.query_pairs():
        query[key] = f"{query[key]},{value}" if key in query else value
    body, encoded = _v2_body(request)
    raw_path = _event_path(request, api)
    route_key = "$default" if api.kind == URL else route.route_key
    context: dict[str, Any] = {
        "accountId": ACCOUNT_ID if api.kind != URL else "anonymous",
        "apiId": api_id_for(api),
        "domainName": domain_for(api),
        "domainPrefix": domain_for(api).split(".")[0],
        "http": {
            "method": request.method,
            "path": raw_path,
            "protocol": request.protocol,
            "sourceIp": request.source_ip,
            "userAgent": request.header("user-agent") or "",
        },
        "requestId": request_id,
        "routeKey": route_key,
        "stage": api.stage,
        "time": request_time(request.epoch_ms),
        "timeEpoch": request.epoch_ms,
    }
    if authorizer is not None:
        context["authorizer"] = authorizer
    event: dict[str, Any] = {
        "version": "2.0",
        "routeKey": route_key,
        "rawPath": raw_path,
        "rawQueryString": request.raw_query,
        "headers": headers,
    }
    cookies = request.cookies()
    if cookies:
        event["cookies"] = cookies
    if query:
        event["queryStringParameters"] = query
    if path_parameters:
        event["pathParameters"] = path_parameters
    if api.stage_variables:
        event["stageVariables"] = api.stage_variables
    event["requestContext"] = context
    if body is not None:
        event["body"] = body
    event["isBase64Encoded"] = encoded
    return event


def new_request_id(api: Api) -> str:
    if api.kind == "http":
        # HTTP API request ids look like "JKJaXmPLvHcESHA=".
        return base64.b64encode(secrets.token_bytes(10)).decode()
    return str(uuid.uuid4())


def event_for(
    request: HttpRequest,
    api: Api,
    route: Route,
    path_parameters: dict[str, str],
    request_id: str,
    authorizer: dict[str, Any] | None = None,
) -> dict[str, Any]:
    build = http_event if route.payload == "2.0" else rest_event
    return build(request, api, route, path_parameters, request_id, authorizer)
