"""Parameters change what they should and nothing else (property tests with hypothesis)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from workbench.core.errors import WorkbenchError
from workbench.core.events import (
    coerce_param,
    generate_event,
    get_template,
    list_templates,
    template_body,
)
from workbench.core.events.render import TOKEN

NOW = datetime(2026, 3, 4, 5, 6, 7, 891000, tzinfo=timezone.utc)
PAIRS = [(t.name, p.name) for t in list_templates() for p in t.parameters]


def _refs(text: str, param: str) -> bool:
    """Does a template string use `param` (directly, dotted, or as a filler's argument)?"""
    for token in TOKEN.findall(text):
        body = token.lstrip("$").split("@")[0]
        names = body.split(":")[1:] if token.startswith("$") else [body]
        if any(n == param or n.startswith(param + ".") for n in names):
            return True
    return False


def allowed_paths(node: Any, param: str, path: str = "") -> set[str]:
    """Where in the event a change of `param` may show, read off the raw template."""
    if isinstance(node, str):
        return {path} if _refs(node, param) else set()
    if isinstance(node, list):
        return set().union(*(allowed_paths(n, param, f"{path}[*]") for n in node))
    if not isinstance(node, dict):
        return set()
    if "$each" in node:
        if node["$each"] == param:
            return {path}
        return allowed_paths(node["do"], param, f"{path}[*]")
    if "$encode" in node:
        inner = node.get("json", node.get("text"))
        return {path} if allowed_paths(inner, param, path) else set()
    if "$if" in node:
        if node["$if"] == param:
            return {path}
        return allowed_paths(node.get("then"), param, path) | allowed_paths(
            node.get("else"), param, path
        )
    if "$let" in node:
        # A name bound to a value that uses the parameter stands for the parameter.
        aliases = [k for k, v in node["$let"].items() if allowed_paths(v, param, path)]
        found = allowed_paths(node["in"], param, path)
        for alias in aliases:
            found |= allowed_paths(node["in"], alias, path)
        return found
    if "$merge" in node:
        return set().union(*(allowed_paths(n, param, path) for n in node["$merge"]))
    found: set[str] = set()
    for key, value in node.items():
        if _refs(key, param):
            found.add(path)  # a key made from the parameter: the whole object may change
        # A key built from parameters renders to something else: match any key there.
        segment = "{*}" if TOKEN.search(key) else key
        found |= allowed_paths(value, param, f"{path}.{segment}")
    return found


def changed_paths(a: Any, b: Any, path: str = "") -> set[str]:
    """Paths (list indices as [*]) where two events differ."""
    if type(a) is not type(b):
        return {path}
    if isinstance(a, dict):
        found: set[str] = set()
        for key in a.keys() | b.keys():
            if key not in a or key not in b:
                found.add(path)
            else:
                found |= changed_paths(a[key], b[key], f"{path}.{key}")
        return found
    if isinstance(a, list):
        if len(a) != len(b):
            return {path}
        return set().union(*(changed_paths(x, y, f"{path}[*]") for x, y in zip(a, b, strict=True)))
    return set() if a == b else {path}


def _within(path: str, allowed: set[str]) -> bool:
    for prefix in allowed:
        pattern = re.escape(prefix).replace(re.escape("{*}"), ".+?")
        if re.fullmatch(rf"{pattern}(?:[.\[].*)?", path):
            return True
    return False


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=12)


def values_for(param: Any) -> st.SearchStrategy[Any]:
    kind = param.kind
    if param.of_objects:
        return st.lists(st.dictionaries(TEXT, TEXT, min_size=1, max_size=3), min_size=1, max_size=3)
    if kind == "integer" and (param.minimum is not None or param.maximum is not None):
        return st.integers(min_value=int(param.minimum), max_value=int(param.maximum))
    return {
        "text": TEXT,
        "integer": st.integers(min_value=0, max_value=10**12),
        "number": st.floats(allow_nan=False, allow_infinity=False, width=32),
        "boolean": st.booleans(),
        "list": st.lists(TEXT, min_size=1, max_size=4),
        "object": st.dictionaries(TEXT, TEXT, min_size=1, max_size=3),
    }[kind]


@pytest.mark.parametrize("name, param_name", PAIRS)
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data(), seed=st.integers(0, 2**32))
def test_a_parameter_changes_its_own_fields_and_nothing_else(name, param_name, data, seed):
    param = get_template(name).parameter(param_name)
    value = data.draw(values_for(param), label=param_name)
    assume(value != param.default)
    before = generate_event(name, seed=seed, now=NOW)
    after = generate_event(name, {param_name: value}, seed=seed, now=NOW)
    allowed = allowed_paths(json.loads(template_body(name)), param_name)
    changed = changed_paths(before, after)
    assert changed, f"{param_name}={value!r} changed nothing in {name}"
    stray = {p for p in changed if not _within(p, allowed)}
    assert not stray, f"{param_name} also changed {stray} (allowed: {allowed})"


def _bound_names(node: Any) -> set[str]:
    """Names a template binds itself ($each's "as", $let's keys)."""
    if isinstance(node, list):
        return set().union(*(_bound_names(n) for n in node))
    if not isinstance(node, dict):
        return set()
    names = set(node.get("$let", {}))
    if "$each" in node:
        names.add(node.get("as", "item"))
    return names.union(*(_bound_names(v) for v in node.values()))


@pytest.mark.parametrize("name", [t.name for t in list_templates()])
def test_template_uses_exactly_its_declared_parameters(name):
    declared = {p.name for p in get_template(name).parameters}
    body = template_body(name)
    bound = _bound_names(json.loads(body)) | {"index"}
    used = set()
    for token in TOKEN.findall(body):
        if token.startswith("$"):
            used |= {a.split(".")[0] for a in token.split("@")[0].split(":")[1:]}
        else:
            used.add(token.split(".")[0])
    used |= set(re.findall(r'"\$(?:each|if)":\s*"(\w+)"', body))
    used = {u for u in used if not re.fullmatch(r"-?[\d.]+|[a-z_]+_str|iso\w*|epoch\w*", u)}
    used -= {"apigw", "http", "rfc2822", "date", "rmq"}
    assert used - bound <= declared, f"undeclared: {used - bound - declared}"
    assert not declared - used, f"declared but unused: {declared - used}"


@pytest.mark.parametrize(
    "name, params, expected",
    [
        ("documentdb-change-stream", {"documents": '["not an object"]'}, "list of objects"),
        ("eventbridge-s3-restore-completed", {"days": "9999999"}, "between 1 and 30000"),
        ("eventbridge-s3-restore-completed", {"days": "0"}, "between 1 and 30000"),
    ],
)
def test_values_out_of_shape_or_bounds_are_refused_with_a_sentence(name, params, expected):
    with pytest.raises(WorkbenchError, match=expected):
        generate_event(name, params)


def test_unknown_parameter_names_close_matches():
    with pytest.raises(WorkbenchError, match="no parameter 'buckt'.*Did you mean 'bucket'"):
        generate_event("s3-object-created", {"buckt": "x"})


@pytest.mark.parametrize(
    "kind_default, text, expected",
    [
        (1, "42", 42),
        (False, "yes", True),
        (False, "false", False),
        ([], '["a", 2]', ["a", 2]),
        ({}, '{"k": 1}', {"k": 1}),
        ("x", "42", "42"),
        (1.5, "2", 2.0),
    ],
)
def test_text_from_a_command_line_is_converted_to_the_parameter_type(kind_default, text, expected):
    from workbench.core.events import Parameter

    assert coerce_param(Parameter("p", kind_default), text) == expected


@pytest.mark.parametrize(
    "default, value", [(1, "one"), (1, True), (1, "1.5"), ([], "{}"), ({}, "[1]"), ("x", 3)]
)
def test_values_of_the_wrong_type_are_refused_with_a_sentence(default, value):
    from workbench.core.events import Parameter

    with pytest.raises(WorkbenchError, match="Parameter 'p' must be"):
        coerce_param(Parameter("p", default), value)
