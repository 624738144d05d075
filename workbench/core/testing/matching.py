"""Subset matching of a result against recorded values, with the differences as sentences."""

from __future__ import annotations

import json
import re
from typing import Any

ANY = "<any>"  # an expected value that only asks for the key to be there

# Keys whose values change on every invoke: skipped inside a recorded payload or error
# (compared case-insensitively, without "-" and "_"). An explicit "paths" entry still
# checks them.
VOLATILE_KEYS = frozenset(
    {
        "requestid",
        "awsrequestid",
        "xamznrequestid",
        "xamzntraceid",
        "xamzapigwid",
        "traceid",
        "timestamp",
        "time",
        "date",
        "timeepoch",
        "requesttime",
        "requesttimeepoch",
        "createdat",
        "updatedat",
        "lastmodified",
        "expires",
    }
)

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
_SEGMENT = re.compile(r"""\.?([^.\[\]]+)|\[(\d+)\]|\[["']([^"']*)["']\]""")
_MAX_SHOWN = 80  # characters of a value quoted in a difference


def is_volatile_key(key: str) -> bool:
    return key.lower().replace("-", "").replace("_", "") in VOLATILE_KEYS


def looks_volatile(value: Any) -> bool:
    """A value that differs between runs by its shape: a UUID or an ISO-8601 time."""
    return isinstance(value, str) and bool(_UUID.fullmatch(value) or _ISO_TIME.fullmatch(value))


def decoded(value: Any) -> Any:
    """A string holding a JSON object or array (an API Gateway body), parsed; else the value."""
    if isinstance(value, str) and value[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def snapshot(value: Any) -> Any:
    """What --update records: JSON bodies decoded, volatile keys left out, volatile values <any>."""
    value = decoded(value)
    if isinstance(value, dict):
        return {k: snapshot(v) for k, v in value.items() if not is_volatile_key(str(k))}
    if isinstance(value, list):
        return [snapshot(v) for v in value]
    return ANY if looks_volatile(value) else value


def trim_like(new: Any, old: Any) -> Any:
    """`new` restricted to the keys a person kept in `old`, so an update keeps their trimming."""
    if isinstance(new, dict) and isinstance(old, dict):
        kept = {k: trim_like(new[k], old[k]) for k in old if k in new}
        return kept if kept or not old else new
    if isinstance(new, list) and isinstance(old, list) and len(new) == len(old):
        return [trim_like(n, o) for n, o in zip(new, old, strict=True)]
    if old == ANY:
        return ANY
    return new


def parse_path(path: str) -> list[str | int]:
    """`body.items[0].id`, `$.body.message` or `headers["Content-Type"]` as keys and indexes."""
    text = path[1:] if path.startswith("$") else path
    parts: list[str | int] = []
    position = 0
    while position < len(text):
        found = _SEGMENT.match(text, position)
        if found is None or found.end() == position:
            raise ValueError(f"the path {path!r} cannot be read at character {position + 1}")
        name, index, quoted = found.groups()
        parts.append(int(index) if index is not None else (quoted if quoted is not None else name))
        position = found.end()
    if not parts:
        raise ValueError(f"the path {path!r} names nothing; write e.g. body.message")
    return parts


def resolve(value: Any, parts: list[str | int]) -> tuple[bool, Any]:
    """(found, value) at `parts`, reading JSON strings on the way as objects."""
    for part in parts:
        value = decoded(value)
        in_list = isinstance(part, int) and isinstance(value, list) and 0 <= part < len(value)
        in_object = isinstance(part, str) and isinstance(value, dict) and part in value
        if in_list or in_object:
            value = value[part]
        else:
            return False, None
    return True, value


def show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 3] + "..."


def differences(
    expected: Any,
    actual: Any,
    where: str,
    ignore: frozenset[str] = frozenset(),
    skip_volatile: bool = True,
) -> list[str]:
    """Where `actual` does not contain `expected` (keys missing from `expected` are not checked)."""
    if expected == ANY:
        return []
    if isinstance(expected, (dict, list)):
        actual = decoded(actual)
    if isinstance(expected, dict):
        if not isinstance(actual, dict):
            return [f"{where}: expected an object, got {show(actual)}"]
        found = []
        for key, value in expected.items():
            path = f"{where}.{key}"
            if path in ignore or (skip_volatile and is_volatile_key(str(key))):
                continue
            if key not in actual:
                found.append(f"{path}: missing (expected {show(value)})")
            else:
                found += differences(value, actual[key], path, ignore, skip_volatile)
        return found
    if isinstance(expected, list):
        if not isinstance(actual, list):
            return [f"{where}: expected a list, got {show(actual)}"]
        if len(actual) != len(expected):
            return [f"{where}: expected {len(expected)} items, got {len(actual)}"]
        found = []
        for index, (want, got) in enumerate(zip(expected, actual, strict=True)):
            found += differences(want, got, f"{where}[{index}]", ignore, skip_volatile)
        return found
    # JSON has one number type: 1 and 1.0 are equal, but true is not 1.
    if expected == actual and isinstance(expected, bool) == isinstance(actual, bool):
        return []
    return [f"{where}: expected {show(expected)}, got {show(actual)}"]
