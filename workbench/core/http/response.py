"""Decode a handler result shaped like an API Gateway / ALB / function URL response."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

_HTTP_KEYS = {"headers", "body", "isBase64Encoded", "multiValueHeaders", "cookies"}
_HEX_PREVIEW_BYTES = 4096


@dataclass
class HttpResponse:
    """An API Gateway / ALB / function URL response object, decoded."""

    status: int
    reason: str
    headers: list[tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    body_text: str | None = None  # None when the body is not UTF-8 text
    body_json: Any = None
    is_json: bool = False
    was_base64: bool = False
    problem: str = ""  # e.g. isBase64Encoded with a body that is not base64


def http_response(value: Any) -> HttpResponse | None:
    """Decode a handler result shaped like an HTTP integration response, or None."""
    if not isinstance(value, dict) or "statusCode" not in value:
        return None
    if not _HTTP_KEYS & value.keys():
        return None
    try:
        status = int(value["statusCode"])
    except (TypeError, ValueError):
        return None
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = ""
    response = HttpResponse(status=status, reason=reason)
    headers = value.get("headers") or {}
    if isinstance(headers, dict):
        response.headers.extend((str(k), str(v)) for k, v in headers.items())
    multi = value.get("multiValueHeaders") or {}
    if isinstance(multi, dict):
        for key, values in multi.items():
            for item in values if isinstance(values, list) else [values]:
                response.headers.append((str(key), str(item)))
    cookies = value.get("cookies") or []
    if isinstance(cookies, list):
        response.headers.extend(("Set-Cookie", str(c)) for c in cookies)
    body = value.get("body")
    if body is None:
        raw = b""
    elif isinstance(body, str):
        raw = body.encode("utf-8")
    else:  # a dict body is a handler bug API Gateway rejects; show what was returned
        raw = json.dumps(body).encode("utf-8")
        response.problem = "The body is not a string; API Gateway would answer 502."
    if value.get("isBase64Encoded") and isinstance(body, str):
        try:
            raw = base64.b64decode(body, validate=True)
            response.was_base64 = True
        except (binascii.Error, ValueError):
            response.problem = "isBase64Encoded is true but the body is not valid base64."
    response.body = raw
    try:
        response.body_text = raw.decode("utf-8")
    except UnicodeDecodeError:
        response.body_text = None
    if response.body_text is not None and response.body_text.strip():
        try:
            response.body_json = json.loads(response.body_text)
            response.is_json = True
        except ValueError:
            pass
    return response


def header(response: HttpResponse, name: str) -> str:
    for key, value in response.headers:
        if key.lower() == name.lower():
            return value
    return ""


def hex_dump(data: bytes, limit: int = _HEX_PREVIEW_BYTES) -> str:
    lines = []
    for offset in range(0, min(len(data), limit), 16):
        chunk = data[offset : offset + 16]
        printable = "".join(chr(b) if 32 <= b < 127 else "." for b in chunk)
        lines.append(f"{offset:08x}  {chunk.hex(' '):<47}  {printable}")
    if len(data) > limit:
        lines.append(f"... {len(data) - limit:,} more bytes")
    return "\n".join(lines)


def pretty_text(payload: bytes) -> tuple[str, bool]:
    """(text, is_json) for the Pretty tab of a plain (non-HTTP) payload."""
    text = payload.decode("utf-8", errors="replace")
    try:
        return json.dumps(json.loads(text), indent=2, ensure_ascii=False), True
    except ValueError:
        return text, False
