"""CORS answered from the template: preflights, and the headers HTTP APIs and URLs add."""

from __future__ import annotations

from workbench.core.http.events import HttpRequest
from workbench.core.http.model import REST, Api, Cors
from workbench.core.http.proxy import HttpReply


def is_preflight(request: HttpRequest) -> bool:
    return (
        request.method == "OPTIONS"
        and request.header("origin") is not None
        and request.header("access-control-request-method") is not None
    )


def _allowed_origin(cors: Cors, origin: str | None) -> str | None:
    if origin is None:
        return None
    if "*" in cors.allow_origins:
        return origin if cors.allow_credentials else "*"
    return origin if origin in cors.allow_origins else None


def preflight(api: Api, request: HttpRequest, path_methods: list[str]) -> HttpReply:
    """The answer to an OPTIONS preflight for a path of `api` (which has CORS)."""
    cors = api.cors
    assert cors is not None
    if api.kind == REST:
        # SAM's mock OPTIONS integration: the configured values, sent whatever the origin.
        methods = cors.allow_methods
        if methods == ("*",):
            listed = {"OPTIONS", *(m for m in path_methods if m != "ANY")}
            methods = tuple(sorted(listed)) if "ANY" not in path_methods else ("*",)
        headers = [("Access-Control-Allow-Origin", ",".join(cors.allow_origins))]
        headers.append(("Access-Control-Allow-Methods", ",".join(methods)))
        if cors.allow_headers:
            headers.append(("Access-Control-Allow-Headers", ",".join(cors.allow_headers)))
        if cors.max_age is not None:
            headers.append(("Access-Control-Max-Age", str(cors.max_age)))
        if cors.allow_credentials:
            headers.append(("Access-Control-Allow-Credentials", "true"))
        return HttpReply(200, [*headers, ("Content-Type", "application/json")], b"")
    origin = _allowed_origin(cors, request.header("origin"))
    if origin is None:
        return HttpReply(204, [], b"")
    headers = [("Access-Control-Allow-Origin", origin)]
    requested = request.header("access-control-request-method") or ""
    methods = cors.allow_methods
    headers.append(
        ("Access-Control-Allow-Methods", requested if "*" in methods else ",".join(methods))
    )
    asked = request.header("access-control-request-headers")
    if cors.allow_headers:
        allow = asked if "*" in cors.allow_headers and asked else ",".join(cors.allow_headers)
        headers.append(("Access-Control-Allow-Headers", allow))
    if cors.max_age is not None:
        headers.append(("Access-Control-Max-Age", str(cors.max_age)))
    if cors.allow_credentials:
        headers.append(("Access-Control-Allow-Credentials", "true"))
    return HttpReply(204, headers, b"")


def add_response_headers(api: Api, request: HttpRequest, reply: HttpReply) -> None:
    """HTTP APIs and function URLs put the CORS headers on every response (REST does not)."""
    cors = api.cors
    if cors is None or api.kind == REST:
        return
    origin = _allowed_origin(cors, request.header("origin"))
    if origin is None:
        return
    ours = {"access-control-allow-origin", "access-control-expose-headers"}
    ours.add("access-control-allow-credentials")
    reply.headers = [(k, v) for k, v in reply.headers if k.lower() not in ours]
    reply.headers.append(("Access-Control-Allow-Origin", origin))
    if cors.expose_headers:
        reply.headers.append(("Access-Control-Expose-Headers", ",".join(cors.expose_headers)))
    if cors.allow_credentials:
        reply.headers.append(("Access-Control-Allow-Credentials", "true"))
