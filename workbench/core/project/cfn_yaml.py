"""Load and dump CloudFormation/SAM templates with ruamel round-trip, short tags included."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from workbench.core.errors import WorkbenchError
from workbench.core.settings import atomic_write_text

# CloudFormation's short tags and the long form each stands for.
SHORT_TAGS = {
    "!Ref": "Ref",
    "!Condition": "Condition",
    **{
        f"!{name}": f"Fn::{name}"
        for name in (
            *("Sub", "GetAtt", "If", "Join", "Select", "Split", "FindInMap", "ImportValue"),
            *("Base64", "Equals", "Not", "And", "Or", "GetAZs", "Cidr", "Transform", "Length"),
            "ToJsonString",
        )
    },
}
LONG_NAMES = {"Ref", "Condition", *SHORT_TAGS.values()}


def _yaml() -> YAML:
    yaml = YAML()  # round-trip: keeps comments, key order, quoting and unknown tags
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap the user's long lines
    return yaml


def read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise WorkbenchError(f"Template {path} could not be read: {error}.") from error


def load(path: Path, text: str | None = None) -> tuple[Any, dict[str, int]]:
    """The parsed template and the indentation it uses; WorkbenchError with line and column."""
    text = read_text(path) if text is None else text
    try:
        data = _yaml().load(text)
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = error.problem or error.context or "invalid YAML"
        raise WorkbenchError(
            f"Template {path.name} is not valid YAML{where}: {problem}. Fix it and open it again."
        ) from error
    except YAMLError as error:
        raise WorkbenchError(f"Template {path.name} is not valid YAML: {error}.") from error
    return data, guess_layout(text)


def guess_layout(text: str) -> dict[str, int]:
    """The template's mapping indent and dash offset, so a rewrite keeps its look."""
    mapping, offset = 0, -1
    previous: tuple[int, str] | None = None
    for raw in text.splitlines():
        stripped = raw.strip()
        if not stripped or stripped.startswith("#"):
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        if previous and previous[1].endswith(":"):
            step = indent - previous[0]
            if stripped.startswith("- ") and offset < 0 and step >= 0:
                offset = step
            elif not stripped.startswith("- ") and step > 0 and not mapping:
                mapping = step
        previous = (indent, stripped.split(" #")[0].rstrip())
        if mapping and offset >= 0:
            break
    mapping = mapping or 2
    offset = 2 if offset < 0 else offset
    return {"mapping": mapping, "sequence": offset + 2, "offset": offset}


def write(path: Path, data: Any, layout: dict[str, int]) -> None:
    """Replace the template atomically (atomic_write_text keeps its permissions)."""
    atomic_write_text(path, dump(data, layout))


def dump(data: Any, layout: dict[str, int]) -> str:
    yaml = _yaml()
    yaml.indent(mapping=layout["mapping"], sequence=layout["sequence"], offset=layout["offset"])
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def intrinsic(node: Any) -> tuple[str, Any] | None:
    """("Ref" | "Fn::Sub" | ..., argument) when `node` is an intrinsic function, else None."""
    tag = getattr(getattr(node, "tag", None), "value", None)
    if tag and tag.startswith("!"):
        name = SHORT_TAGS.get(tag, f"Fn::{tag[1:]}")
        if isinstance(node, TaggedScalar):
            return name, node.value
        if isinstance(node, CommentedSeq):
            return name, list(node)
        if isinstance(node, CommentedMap):
            return name, dict(node)
        return name, node
    if isinstance(node, dict) and len(node) == 1:
        key = next(iter(node))
        if key in LONG_NAMES or (isinstance(key, str) and key.startswith("Fn::")):
            return key, node[key]
    return None


def line_of(mapping: Any, key: Any) -> int | None:
    """1-based line of `key` in a loaded mapping, when known."""
    try:
        return int(mapping.lc.key(key)[0]) + 1
    except (AttributeError, KeyError, TypeError):
        return None
