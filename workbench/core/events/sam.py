"""SAM CLI's `generate-event SERVICE EVENT --option value` names, mapped onto our templates.

sample_events/sam.json lists every event `sam local generate-event` offers, the template it
becomes, parameters it fixes (`set`) and how each of SAM's options maps onto ours:

- ``"bucket"``: the value goes to our parameter ``bucket`` as given;
- ``"records:list"``: a list of one item; ``"records:b64list"``: SAM takes this one already
  base64 (gzip allowed), so it is decoded to text first; ``"region:dns"``: the region is read
  off a DNS suffix (``us-east-1.amazonaws.com``); ``"bucket:arn"``: the name off a bucket ARN;
- ``"@partition"``: every ``arn:aws:`` in the event gets that partition;
- ``"@generated"``: we generate this value fresh on every event; a given value is not used
  and the caller is told so; ``"@unused"``: the template has no such field (told likewise).
"""

from __future__ import annotations

import base64
import binascii
import difflib
import gzip
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.events.route_params import ROUTE_PARAMETERS, consistent_route
from workbench.resources import data_path


@dataclass(frozen=True)
class SamEvent:
    """One `sam local generate-event SERVICE EVENT`."""

    service: str
    event: str
    template: str
    set: dict[str, Any]
    options: dict[str, str]

    @property
    def name(self) -> str:
        return f"{self.service} {self.event}"


@dataclass(frozen=True)
class SamRequest:
    """What a SAM-style command line becomes: our template, its parameters and extras."""

    template: str
    params: dict[str, Any]
    partition: str | None = None
    notes: tuple[str, ...] = ()


@lru_cache(maxsize=1)
def _table() -> dict[str, dict[str, SamEvent]]:
    path = data_path("sample_events", "sam.json")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))["events"]
        return {
            service: {
                event: SamEvent(
                    service, event, entry["template"], entry.get("set", {}), entry["options"]
                )
                for event, entry in events.items()
            }
            for service, events in raw.items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise WorkbenchError(
            f"The SAM name table {path} could not be read ({error!r}); reinstall the app."
        ) from error


def sam_services() -> list[str]:
    """SAM CLI's service names, sorted."""
    return sorted(_table())


def sam_events() -> list[SamEvent]:
    """Every SAM `generate-event` event, sorted by service then event."""
    return [e for s in sam_services() for e in sorted(_table()[s].values(), key=_by_event)]


def _by_event(event: SamEvent) -> str:
    return event.event


def templates_of_sam_service(service: str) -> set[str]:
    return {e.template for e in _table().get(service, {}).values()}


@lru_cache(maxsize=1)
def sam_names_by_template() -> dict[str, list[str]]:
    """Template name -> the SAM names ("s3 put") that give it."""
    found: dict[str, list[str]] = {}
    for event in sam_events():
        found.setdefault(event.template, []).append(event.name)
    return found


def find_sam_event(service: str, event: str | None) -> SamEvent:
    """The SAM event `service event`, or a WorkbenchError naming what exists."""
    table = _table()
    wanted = service.strip().lower()
    if wanted not in table:
        close = difflib.get_close_matches(wanted, list(table), n=3, cutoff=0.5)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise WorkbenchError(
            f"'{service}' is neither a sample event nor a SAM CLI service.{hint}"
            " Run 'lambda-workbench events list' to see the templates."
        )
    events = table[wanted]
    if event is None:
        raise WorkbenchError(
            f"SAM's service '{wanted}' needs an event name: {', '.join(sorted(events))}"
            f" (for example 'lambda-workbench events show {wanted} {sorted(events)[0]}')."
        )
    if event not in events:
        close = difflib.get_close_matches(event, list(events), n=3, cutoff=0.5)
        hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
        raise WorkbenchError(
            f"SAM's service '{wanted}' has no event '{event}'.{hint}"
            f" Its events are: {', '.join(sorted(events))}."
        )
    return events[event]


def resolve_sam(service: str, event: str | None, options: dict[str, str]) -> SamRequest:
    """Our template and parameters for `sam local generate-event SERVICE EVENT --opt v ...`."""
    sam = find_sam_event(service, event)
    params: dict[str, Any] = dict(sam.set)
    partition = None
    notes = []
    for option, value in options.items():
        key = option.lstrip("-")
        if key not in sam.options:
            known = sorted(sam.options)
            close = difflib.get_close_matches(key, known, n=2, cutoff=0.5)
            hint = f" Did you mean {' or '.join('--' + c for c in close)}?" if close else ""
            raise WorkbenchError(
                f"SAM's '{sam.name}' has no option --{key}.{hint}"
                f" Its options are: {', '.join('--' + k for k in known) or 'none'}."
            )
        target = sam.options[key]
        if target == "@partition":
            partition = _check_partition(value)
        elif target == "@generated":
            notes.append(
                f"--{key} is generated fresh for every event here; the value given was not used."
            )
        elif target == "@unused":
            notes.append(
                f"--{key} has no counterpart in template '{sam.template}'; the value was not used."
            )
        else:
            param, _, how = target.partition(":")
            params[param] = _convert(key, value, how)
    _route_like_sam(sam.template, params)
    return SamRequest(sam.template, params, partition, tuple(notes))


def _route_like_sam(template: str, params: dict[str, Any]) -> None:
    """SAM's --path alone means the greedy /{proxy+} route: resource and pathParameters
    follow the path instead of keeping the template's /orders/{id} (route_params.py)."""
    from workbench.core.events.catalog import get_template

    if "path" not in params:
        return
    values = {p.name: p.default for p in get_template(template).parameters}
    if not values.keys() >= ROUTE_PARAMETERS:
        return
    given = set(params)
    values.update(params)
    consistent_route(values, given)
    params.update({key: values[key] for key in ROUTE_PARAMETERS})


def _check_partition(value: str) -> str:
    if not re.fullmatch(r"aws(-[a-z]+)*", value):
        raise WorkbenchError(
            f"--partition {value!r} is not an AWS partition; use aws, aws-cn or aws-us-gov."
        )
    return value


def _convert(option: str, value: str, how: str) -> Any:
    if how == "":
        return value
    if how == "list":
        return [value]
    if how == "b64list":
        return [_unbase64(option, value)]
    if how == "dns":
        # us-east-1.amazonaws.com, us-east-2.elb.amazonaws.com -> the region
        match = re.match(r"([a-z]{2}(?:-[a-z]+)+-\d+)\.", value)
        if not match:
            raise WorkbenchError(
                f"--{option} {value!r} does not start with a region; write for example"
                " us-east-1.amazonaws.com."
            )
        return match.group(1)
    if how == "arn":
        if not value.startswith("arn:") or value.count(":") < 5:
            raise WorkbenchError(
                f"--{option} {value!r} is not an ARN; write for example arn:aws:s3:::my-bucket."
            )
        return value.rsplit(":", 1)[1]
    raise WorkbenchError(f"The SAM name table has an unknown conversion '{how}'; reinstall.")


def _unbase64(option: str, value: str) -> str:
    # SAM's own apachelog default carries one '=' too many; SAM accepts it, so do we.
    text = value.strip().rstrip("=")
    text += "=" * (-len(text) % 4)
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise WorkbenchError(
            f"--{option} must be base64 (as SAM CLI takes it), for example"
            f" {base64.b64encode(b'Hello').decode()}."
        ) from None
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError):
            raise WorkbenchError(f"--{option} looks gzip-compressed but is damaged.") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise WorkbenchError(f"--{option} must decode to UTF-8 text.") from None


def apply_partition(node: Any, partition: str) -> Any:
    """The event with every `arn:aws:` ARN moved to `partition` (aws-cn, aws-us-gov, ...)."""
    if isinstance(node, str):
        return re.sub(r"\barn:aws:", f"arn:{partition}:", node)
    if isinstance(node, list):
        return [apply_partition(item, partition) for item in node]
    if isinstance(node, dict):
        return {key: apply_partition(value, partition) for key, value in node.items()}
    return node


def generate_sam_event(
    service: str, event: str | None, options: dict[str, str] | None = None
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The event `sam local generate-event SERVICE EVENT --opt v` stands for, and any notes."""
    from workbench.core.events.catalog import generate_event

    request = resolve_sam(service, event, options or {})
    generated = generate_event(request.template, request.params)
    if request.partition:
        generated = apply_partition(generated, request.partition)
    return generated, request.notes
