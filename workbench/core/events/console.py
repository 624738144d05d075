"""The Lambda console's shareable test events, to and from saved events (events/<fn>/<name>.json).

The console keeps a function's shareable test events in the EventBridge schema registry
`lambda-testevent-schemas` as one OpenAPI 3 document named `_<function>-schema`; each event is
`components.examples.<name>.value`. We read that document, or what
`aws schemas describe-schema` prints (the document as text under "Content"), and write the
document back so it can be uploaded with `aws schemas create-schema|update-schema`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.events.saved import SavedEvents

REGISTRY = "lambda-testevent-schemas"
MAX_EVENT_BYTES = 6_291_556  # Lambda's synchronous request payload limit
MAX_FILE_BYTES = 64 * 1024 * 1024
# The console accepts up to 25 letters, digits, '.', '-' and '_' as a test event name.
CONSOLE_NAME = re.compile(r"[A-Za-z0-9._-]{1,25}")


@dataclass(frozen=True)
class ConsoleEvents:
    """The events of one shareable-events document, and whose they are if it says."""

    events: dict[str, Any]
    function: str | None = None


def schema_name(function: str) -> str:
    """The registry's schema name for a function's shareable events."""
    return f"_{function}-schema"


def read_console_file(path: Path) -> ConsoleEvents:
    """Parse a file holding a shareable-events document (bounded read)."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise WorkbenchError(
                f"{path} is {size:,} bytes, more than a test-event document can be"
                f" ({MAX_FILE_BYTES:,}); pick the exported schema file."
            )
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise WorkbenchError(f"There is no file {path}; check the path.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise WorkbenchError(f"{path} could not be read: {error}.") from error
    return parse_console_events(text, str(path))


def parse_console_events(text: str, where: str = "The document") -> ConsoleEvents:
    """The named events of a shareable-events document (or a describe-schema response)."""
    data = _json(text, where)
    function = None
    if isinstance(data, dict) and isinstance(data.get("Content"), str):
        # `aws schemas describe-schema` output: the document is a string inside.
        match = re.fullmatch(r"_(.+)-schema", str(data.get("SchemaName", "")))
        function = match.group(1) if match else None
        data = _json(data["Content"], f"{where} (its Content)")
    components = data.get("components") if isinstance(data, dict) else None
    if not isinstance(components, dict):
        raise WorkbenchError(
            f"{where} is not a Lambda shareable test-event document: it has no"
            ' "components" object. Export it from the EventBridge schema registry'
            f" '{REGISTRY}' (schema _<function>-schema)."
        )
    examples = components.get("examples", {})
    if not isinstance(examples, dict) or not examples:
        raise WorkbenchError(f"{where} holds no test events (components.examples is empty).")
    events: dict[str, Any] = {}
    for name, example in examples.items():
        if not isinstance(example, dict) or "value" not in example:
            raise WorkbenchError(
                f'Test event {name!r} in {where} has no "value"; the document is damaged.'
            )
        events[name] = example["value"]
    return ConsoleEvents(events, function)


def _json(text: str, where: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as error:
        line = getattr(error, "lineno", "?")
        column = getattr(error, "colno", "?")
        message = getattr(error, "msg", str(error))
        raise WorkbenchError(
            f"{where} is not valid JSON ({message} at line {line} column {column})."
        ) from None


def import_console_events(
    project_root: Path,
    function: str,
    document: ConsoleEvents,
    names: list[str] | None = None,
    overwrite: bool = False,
) -> list[Path]:
    """Save the document's events (or the `names` among them) as events/<function>/<name>.json.

    Refuses, before writing anything, to replace a saved event unless `overwrite`.
    """
    saved = SavedEvents(project_root, function)
    chosen = _pick(document.events, names, "the document")
    for name in chosen:
        SavedEvents._check_name(name)
        if saved.exists(name) and not overwrite:
            raise WorkbenchError(
                f"A saved event '{name}' already exists for {function} ({saved.path(name)});"
                " nothing was imported. Give --force to replace it, or --name to pick others."
            )
    return [saved.save(n, json.dumps(document.events[n], indent=2) + "\n") for n in chosen]


def export_console_events(
    project_root: Path, function: str, names: list[str] | None = None
) -> dict[str, Any]:
    """The shareable-events document of the function's saved events (or of `names`)."""
    saved = SavedEvents(project_root, function)
    available = saved.list()
    if not available:
        raise WorkbenchError(f"{function} has no saved events in {saved.folder}; save one first.")
    events: dict[str, Any] = {}
    for name in _pick(dict.fromkeys(available), names, f"{function}'s saved events"):
        if not CONSOLE_NAME.fullmatch(name):
            raise WorkbenchError(
                f"Saved event '{name}' cannot go to the console: its names are 1 to 25"
                " letters, digits, '.', '-' or '_'. Rename it first."
            )
        value = _json(saved.load(name), f"Saved event {saved.path(name)}")
        size = len(json.dumps(value).encode())
        if size > MAX_EVENT_BYTES:
            raise WorkbenchError(
                f"Saved event '{name}' is {size:,} bytes; Lambda takes at most {MAX_EVENT_BYTES:,}."
            )
        events[name] = value
    return console_document(events)


def write_console_file(path: Path, document: dict[str, Any]) -> None:
    """Write a shareable-events document (atomically: a crash leaves the old file or the new)."""
    from workbench.core.settings import atomic_write_text

    try:
        atomic_write_text(path, json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    except OSError as error:
        raise WorkbenchError(
            f"{path} could not be written ({error}); pick another folder or free some space."
        ) from error


def console_document(events: dict[str, Any]) -> dict[str, Any]:
    """An OpenAPI 3 document as the console stores it: a schema of the events plus examples."""
    first = next(iter(events.values()))
    return {
        "openapi": "3.0.0",
        "info": {"version": "1.0.0", "title": "Event"},
        "paths": {},
        "components": {
            "schemas": {"Event": _schema_of(first)},
            "examples": {name: {"value": value} for name, value in events.items()},
        },
    }


def _schema_of(value: Any) -> dict[str, Any]:
    """A plain JSON Schema of a value (the registry wants one next to the examples)."""
    if isinstance(value, bool):
        return {"type": "boolean"}
    if isinstance(value, int):
        return {"type": "integer"}
    if isinstance(value, float):
        return {"type": "number"}
    if isinstance(value, str):
        return {"type": "string"}
    if isinstance(value, list):
        return {"type": "array", "items": _schema_of(value[0]) if value else {}}
    if isinstance(value, dict):
        return {
            "type": "object",
            "required": sorted(value),
            "properties": {k: _schema_of(v) for k, v in value.items()},
        }
    return {}


def _pick(events: dict[str, Any], names: list[str] | None, where: str) -> list[str]:
    if not names:
        return list(events)
    missing = [n for n in names if n not in events]
    if missing:
        raise WorkbenchError(
            f"{', '.join(repr(n) for n in missing)} not found in {where}; it has:"
            f" {', '.join(events)}."
        )
    return list(dict.fromkeys(names))
