"""The sample event catalog: sample_events/index.json plus one template file per event."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.events.render import make_context, render
from workbench.resources import data_path


@dataclass(frozen=True)
class Parameter:
    """One knob of a template; its default's type is the type its values must have."""

    name: str
    default: Any
    description: str = ""
    minimum: float | None = None
    maximum: float | None = None

    @property
    def kind(self) -> str:
        """'text', 'integer', 'number', 'boolean', 'list' or 'object'."""
        return _KINDS.get(type(self.default), "text")

    @property
    def of_objects(self) -> bool:
        """A list whose items must be JSON objects (its default's items all are)."""
        return (
            isinstance(self.default, list)
            and bool(self.default)
            and all(isinstance(item, dict) for item in self.default)
        )


_KINDS = {
    str: "text",
    int: "integer",
    float: "number",
    bool: "boolean",
    list: "list",
    dict: "object",
}


@dataclass(frozen=True)
class TemplateInfo:
    """What the index says about a template.

    `trigger` says what sends the event (for example "S3 event notification to Lambda") and
    `docs` is the AWS documentation page the template follows; `service_title` is the
    service's display name for grouping (for example "Amazon S3"); `sam` lists the SAM CLI
    `generate-event` names ("s3 put") that produce this template.
    """

    name: str
    service: str
    title: str
    description: str
    parameters: list[Parameter] = field(default_factory=list)
    trigger: str = ""
    docs: str = ""
    service_title: str = ""
    sam: tuple[str, ...] = ()

    def parameter(self, name: str) -> Parameter:
        """The named parameter, or a WorkbenchError naming close matches."""
        for param in self.parameters:
            if param.name == name:
                return param
        names = [p.name for p in self.parameters]
        raise WorkbenchError(
            f"Template '{self.name}' has no parameter '{name}'.{_suggest(name, names)}"
            f" Its parameters are: {', '.join(names) or 'none'}."
        )


def _suggest(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=3, cutoff=0.5)
    return f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""


@dataclass(frozen=True)
class ServiceInfo:
    """One group of the catalog: a service id (as in `events list --service`) and its name."""

    id: str
    title: str
    templates: tuple[TemplateInfo, ...]


@lru_cache(maxsize=1)
def _services() -> dict[str, str]:
    return dict(_load_index()["services"])


@lru_cache(maxsize=1)
def _load_index() -> dict[str, Any]:
    path = data_path("sample_events", "index.json")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data["templates"], list) or not isinstance(data["services"], dict):
            raise ValueError("templates must be a list and services an object")
    except (OSError, ValueError, KeyError) as error:
        raise WorkbenchError(
            f"The sample event index {path} could not be read ({error}); reinstall the app."
        ) from error
    return data


@lru_cache(maxsize=1)
def _index() -> dict[str, TemplateInfo]:
    from workbench.core.events.sam import sam_names_by_template

    path = data_path("sample_events", "index.json")
    try:
        entries = _load_index()["templates"]
    except (OSError, ValueError, KeyError) as error:
        raise WorkbenchError(
            f"The sample event index {path} could not be read ({error}); reinstall the app."
        ) from error
    infos: dict[str, TemplateInfo] = {}
    for entry in entries:
        try:
            params = [
                Parameter(
                    p["name"], p["default"], p.get("description", ""), p.get("min"), p.get("max")
                )
                for p in entry.get("parameters", [])
            ]
            infos[entry["name"]] = TemplateInfo(
                entry["name"],
                entry["service"],
                entry["title"],
                entry["description"],
                params,
                trigger=entry.get("trigger", ""),
                docs=entry.get("docs", ""),
                service_title=_services().get(entry["service"], entry["service"]),
                sam=tuple(sam_names_by_template().get(entry["name"], ())),
            )
        except (KeyError, TypeError, AttributeError) as error:
            raise WorkbenchError(
                f"The sample event index {path} has a broken entry ({error!r}); reinstall the app."
            ) from error
    return infos


def list_templates(service: str | None = None) -> list[TemplateInfo]:
    """All templates (optionally of one service), sorted by service then name.

    `service` is one of ours (`s3`, `cloudwatch-logs`, ...) or a SAM CLI service name
    (`alexa-skills-kit`, `lex-v2`, ...), which gives the templates its events map onto.
    """
    from workbench.core.events.sam import sam_services, templates_of_sam_service

    infos = sorted(_index().values(), key=lambda t: (t.service, t.name))
    if service is None:
        return infos
    wanted = service.strip().lower()
    chosen = [t for t in infos if t.service == wanted]
    if not chosen and wanted in sam_services():
        names = templates_of_sam_service(wanted)
        chosen = [t for t in infos if t.name in names]
    if not chosen:
        services = sorted({t.service for t in infos})
        everything = sorted(set(services) | set(sam_services()))
        raise WorkbenchError(
            f"There are no sample events for service '{service}'.{_suggest(wanted, everything)}"
            f" Services: {', '.join(services)} (SAM CLI's service names work too)."
        )
    return chosen


def list_services() -> list[ServiceInfo]:
    """The catalog grouped by service, in display-name order (what the picker's tree shows)."""
    groups: dict[str, list[TemplateInfo]] = {}
    for info in sorted(_index().values(), key=lambda t: (t.title.lower(), t.name)):
        groups.setdefault(info.service, []).append(info)
    titles = _services()
    found = [ServiceInfo(s, titles.get(s, s), tuple(ts)) for s, ts in groups.items()]
    return sorted(found, key=lambda g: g.title.lower())


def search_templates(query: str) -> list[TemplateInfo]:
    """Templates whose name, service, title or description contain every word of the query.

    Best matches first: a word matching the name or service counts more than one
    found only in the description. An empty query returns everything.
    """
    words = query.lower().split()
    scored = []
    for info in list_templates():
        key_text = f"{info.name} {info.service}".lower()
        extra = f"{info.service_title} {info.trigger} {' '.join(info.sam)}"
        all_text = f"{key_text} {info.title} {info.description} {extra}".lower()
        if all(w in all_text for w in words):
            score = sum(2 if w in key_text else 1 for w in words)
            scored.append((-score, info.service, info.name, info))
    return [entry[-1] for entry in sorted(scored, key=lambda e: e[:3])]


def get_template(name: str) -> TemplateInfo:
    """The named template, or a WorkbenchError listing close matches."""
    infos = _index()
    if name in infos:
        return infos[name]
    close = difflib.get_close_matches(name, list(infos), n=3, cutoff=0.6)
    # Also names found by words ("s3 put" finds s3-object-created, whose description says Put).
    words = name.replace("-", " ").replace("_", " ")
    close += [i.name for i in search_templates(words) if i.name not in close]
    hint = f" Did you mean {' or '.join(repr(c) for c in close[:3])}?" if close else ""
    raise WorkbenchError(
        f"There is no sample event named '{name}'.{hint}"
        " Run 'lambda-workbench events list' to see them all."
    )


@cache
def template_body(name: str) -> str:
    """The raw template text (placeholders and all)."""
    get_template(name)
    path = data_path("sample_events", f"{name}.json")
    try:
        return path.read_text(encoding="utf-8")
    except OSError as error:
        raise WorkbenchError(
            f"The sample event file {path} could not be read ({error}); reinstall the app."
        ) from error


def coerce_param(param: Parameter, value: Any) -> Any:
    """A value of the parameter's type; text (from a command line or a form) is converted."""
    kind = param.kind
    if isinstance(value, str) and kind != "text":
        text = value.strip()
        if kind == "boolean" and text.lower() in ("true", "yes", "1", "false", "no", "0"):
            return text.lower() in ("true", "yes", "1")
        try:
            value = json.loads(text)
        except ValueError:
            raise WorkbenchError(
                f"Parameter '{param.name}' must be {_ARTICLE[kind]}, not {value!r}"
                f" (for example {json.dumps(param.default)})."
            ) from None
    if kind == "number" and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    ok = {
        "text": str,
        "integer": int,
        "number": float,
        "boolean": bool,
        "list": list,
        "object": dict,
    }[kind]
    if not isinstance(value, ok) or (kind == "integer" and isinstance(value, bool)):
        raise WorkbenchError(
            f"Parameter '{param.name}' must be {_ARTICLE[kind]}, not {value!r}"
            f" (for example {json.dumps(param.default)})."
        )
    if isinstance(value, list) and param.of_objects and not all(isinstance(i, dict) for i in value):
        raise WorkbenchError(
            f"Parameter '{param.name}' must be a JSON list of objects"
            f" (for example {json.dumps(param.default)})."
        )
    low, high = param.minimum, param.maximum
    number = value if isinstance(value, (int, float)) else None
    if number is not None and (
        (low is not None and number < low) or (high is not None and number > high)
    ):
        bounds = (
            f"between {low:g} and {high:g}"
            if low is not None and high is not None
            else (f"at least {low:g}" if low is not None else f"at most {high:g}")
        )
        raise WorkbenchError(f"Parameter '{param.name}' must be {bounds}, not {value!r}.")
    return value


_ARTICLE = {
    "text": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "list": "a JSON list",
    "object": "a JSON object",
}


def generate_event(
    name: str,
    params: dict[str, Any] | None = None,
    *,
    now: datetime | None = None,
    seed: int | None = None,
) -> Any:
    """A fresh event from template `name` with `params` over the defaults.

    A JSON object, or a list for batched events (AppSync's BatchInvoke).

    Ids, timestamps and encoded payloads are generated each call; `now` and `seed`
    make the result reproducible (tests, previews).
    """
    info = get_template(name)
    values = {p.name: p.default for p in info.parameters}
    for key, value in (params or {}).items():
        values[key] = coerce_param(info.parameter(key), value)
    template = json.loads(template_body(name))
    # The JSON round trip leaves no object shared with the (cached) defaults.
    event = json.loads(json.dumps(render(make_context(values, now, seed), template)))
    if not isinstance(event, (dict, list)):
        raise WorkbenchError(f"Sample event '{name}' is not a JSON object; reinstall the app.")
    return event
