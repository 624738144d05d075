"""Reading an HTTP/1.1 header block, for the Runtime API server and the engine client."""

from __future__ import annotations

from collections.abc import Callable

MAX_HEADER_LINES = 100
MAX_LINE_BYTES = 65536


def read_headers(readline: Callable[[int], bytes]) -> dict[str, str] | None:
    """Header lines up to the blank line, by lower-cased name; None when there are more
    than MAX_HEADER_LINES (each line is read to at most MAX_LINE_BYTES)."""
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADER_LINES):
        raw = readline(MAX_LINE_BYTES + 1)
        if raw in (b"\r\n", b"\n", b""):
            return headers
        name, _, value = raw.decode("iso-8859-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    return None
