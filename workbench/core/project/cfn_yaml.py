"""Load and dump CloudFormation/SAM templates with ruamel round-trip, short tags included."""

from __future__ import annotations

import io
import re
import warnings as _warnings
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

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


# A template bigger than this is not a SAM template someone wrote (CloudFormation takes 1 MB).
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
# Nodes after expanding every alias: real templates have a few thousand; an alias bomb
# (a billion laughs) has billions and would eat all memory while being resolved.
MAX_EXPANDED_NODES = 500_000


def read_text(path: Path) -> str:
    """The template's text; bounded, and only from a regular file (a FIFO would hang)."""
    try:
        if not path.is_file():
            raise WorkbenchError(f"Template {path} is not a regular file; open a real template.")
        with path.open("rb") as handle:
            data = handle.read(MAX_TEMPLATE_BYTES + 1)
    except OSError as error:
        raise WorkbenchError(f"Template {path} could not be read: {error.strerror}.") from error
    if len(data) > MAX_TEMPLATE_BYTES:
        raise WorkbenchError(
            f"Template {path.name} is over {MAX_TEMPLATE_BYTES // (1024 * 1024)} MB, far more "
            "than any SAM template needs (CloudFormation accepts 1 MB); it is not opened."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise WorkbenchError(
            f"Template {path.name} is not UTF-8 text (byte {error.start}); save it as UTF-8."
        ) from error


def load(
    path: Path, text: str | None = None, warnings: list[str] | None = None
) -> tuple[Any, dict[str, int]]:
    """The parsed template and the indentation it uses; WorkbenchError with file:line:column.

    Parsed the way SAM CLI reads templates: a duplicate key is a warning (added to
    `warnings`) and the last one wins; a block scalar whose first line is blank but
    holds a few spaces is accepted. Alias expansion and document size are capped.
    """
    text = read_text(path) if text is None else text
    found: list[str] = []
    try:
        data = _load(path, text, found)
    except MarkedYAMLError as error:
        if "more indented follow up line" not in str(error):
            raise _syntax_error(path, error) from None
        # PyYAML (SAM CLI's parser) takes whitespace-only lines in a block scalar as empty.
        try:
            data = _load(path, _BLANK_LINES.sub("", text), found)
        except MarkedYAMLError:
            raise _syntax_error(path, error) from None
    if warnings is not None:
        warnings.extend(found)
    return data, guess_layout(text)


_BLANK_LINES = re.compile(r"(?m)^[ \t]+$")


def _syntax_error(path: Path, error: MarkedYAMLError) -> WorkbenchError:
    mark = error.problem_mark or error.context_mark
    where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
    problem = error.problem or error.context or "invalid YAML"
    return WorkbenchError(
        f"{path.name}{where}: the template is not valid YAML ({problem}). Fix it and open it again."
    )


def _load(path: Path, text: str, warnings: list[str]) -> Any:
    yaml = _yaml()
    constructor, parser = yaml.get_constructor_parser(text)
    try:
        with _warnings.catch_warnings():
            _warnings.simplefilter("ignore")  # ruamel warns about reused anchors on stderr
            node = constructor.composer.get_single_node()
            if node is None:
                return None
            _check_node_graph(path, node, warnings)
            return constructor.construct_document(node)
    except RecursionError:
        raise WorkbenchError(
            f"Template {path.name} is nested too deeply to read; no real template is."
        ) from None
    except MarkedYAMLError:
        raise
    except YAMLError as error:
        raise WorkbenchError(f"{path.name}: the template is not valid YAML ({error}).") from None
    finally:
        parser.dispose()
        for part in ("reader", "scanner"):
            reset = getattr(getattr(yaml, "_" + part, None), f"reset_{part}", None)
            if reset:
                reset()


def _check_node_graph(path: Path, root: Node, warnings: list[str]) -> None:
    """Refuse alias bombs and self-referring aliases; drop earlier duplicate keys (warned)."""
    sizes: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            active.discard(key)
            children = _children(node)
            sizes[key] = 1 + sum(sizes[id(c)] for c in children)
            if sizes[key] > MAX_EXPANDED_NODES:
                raise WorkbenchError(
                    f"Template {path.name} expands its YAML aliases to over "
                    f"{MAX_EXPANDED_NODES:,} values (an alias bomb?); it is not opened. "
                    "Use fewer nested aliases (*name)."
                )
            continue
        if key in sizes:
            continue
        if key in active:
            mark = node.start_mark
            raise WorkbenchError(
                f"{path.name}:{mark.line + 1}:{mark.column + 1}: a YAML alias refers to the "
                "value that contains it, which has no end; remove that alias."
            )
        if isinstance(node, MappingNode):
            _drop_duplicates(path, node, warnings)
        active.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in _children(node) if id(child) not in sizes)


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _key(node: Node) -> tuple[str, str] | None:
    """What makes two mapping keys the same (merge keys `<<` may repeat)."""
    if not isinstance(node, ScalarNode) or node.value == "<<":
        return None
    return str(getattr(node.tag, "value", node.tag)), str(node.value)


def _drop_duplicates(path: Path, node: MappingNode, warnings: list[str]) -> None:
    last = {_key(k): index for index, (k, _v) in enumerate(node.value)}
    last.pop(None, None)
    if len(last) == sum(1 for k, _v in node.value if _key(k) is not None):
        return
    kept = []
    for index, (key, value) in enumerate(node.value):
        ident = _key(key)
        if ident is not None and last[ident] != index:
            mark, later = key.start_mark, node.value[last[ident]][0].start_mark
            warnings.append(
                f"{path.name}:{mark.line + 1}:{mark.column + 1}: duplicate key {key.value!r} "
                f"(again at line {later.line + 1}); the last one is used, as SAM CLI does."
            )
            continue
        kept.append((key, value))
    node.value = kept


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
