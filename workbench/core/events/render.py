"""Turns a template (JSON with placeholders) into an event: parameters, fresh ids, encodings."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import random
import re
import string
import urllib.parse
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from typing import Any

from workbench.core.errors import WorkbenchError

TOKEN = re.compile(r"\{\{\s*(\$?[A-Za-z_][\w.\-]*(?::[^{}@]*)?(?:@\w+)?)\s*\}\}")

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


@dataclass
class Context:
    """Everything one generation needs: bound names, the clock, and the seed."""

    values: dict[str, Any]
    now: datetime
    seed: int
    memo: dict[str, Any] = field(default_factory=dict)
    scope: str = ""

    def rng(self, where: str) -> random.Random:
        # One generator per location, so changing one parameter (for example the
        # length of a list) never shifts the random values anywhere else.
        digest = hashlib.sha256(f"{self.seed}|{where}".encode()).digest()
        return random.Random(int.from_bytes(digest[:8], "big"))

    def bind(self, scope: str, **names: Any) -> Context:
        """A child context (one list item): its own names and its own labelled values."""
        return Context({**self.values, **names}, self.now, self.seed, dict(self.memo), scope)


def _text(ctx: Context, name: str) -> str:
    value = _lookup(ctx, name)
    return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))


def _lookup(ctx: Context, name: str) -> Any:
    head, *rest = name.split(".")
    if head not in ctx.values:
        raise WorkbenchError(f"The template refers to an unknown parameter '{head}'.")
    value = ctx.values[head]
    for part in rest:
        # A header the user removed from `headers` becomes null, not a crash.
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _now(ctx: Context, style: str = "iso", offset_s: str = "0") -> Any:
    moment = ctx.now + timedelta(seconds=float(offset_s))
    epoch = moment.timestamp()
    styles: dict[str, Callable[[], Any]] = {
        "iso": lambda: moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z",
        "iso_offset": lambda: (
            moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}+0000"
        ),
        "iso_s": lambda: moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "iso_us": lambda: moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "epoch_s": lambda: int(epoch),
        "epoch_float": lambda: round(epoch, 3),
        "epoch_ms": lambda: int(epoch * 1000),
        "epoch_ms_str": lambda: str(int(epoch * 1000)),
        # API Gateway's requestTime, e.g. 23/Nov/2026:12:00:00 +0000
        "apigw": lambda: f"{moment:%d}/{_MONTHS[moment.month - 1]}/{moment:%Y:%H:%M:%S} +0000",
        "http": lambda: format_datetime(moment, usegmt=True),
        "rfc2822": lambda: format_datetime(moment),
        "date": lambda: moment.strftime("%Y-%m-%d"),
        "epoch_us_str": lambda: str(int(epoch * 1_000_000)),
        # RabbitMQ basicProperties.timestamp as Lambda shows it, e.g. Nov 23, 2026, 1:05:09 PM
        "rmq": lambda: (
            f"{_MONTHS[moment.month - 1]} {moment.day}, {moment:%Y}, "
            f"{moment.hour % 12 or 12}:{moment:%M:%S} {'PM' if moment.hour >= 12 else 'AM'}"
        ),
    }
    if style not in styles:
        raise WorkbenchError(f"Unknown time style '{style}' in a template.")
    return styles[style]()


def _random_text(alphabet: str) -> Callable[..., str]:
    def make(ctx: Context, where: str, length: str = "16") -> str:
        rng = ctx.rng(where)
        return "".join(rng.choice(alphabet) for _ in range(int(length)))

    return make


def _uuid(ctx: Context, where: str) -> str:
    return str(uuid.UUID(int=ctx.rng(where).getrandbits(128), version=4))


def _random_b64(ctx: Context, where: str, length: str = "32") -> str:
    return base64.b64encode(ctx.rng(where).randbytes(int(length))).decode()


# Fillers that draw random values get (ctx, where, *args); the rest get (ctx, *args).
RANDOM_FILLERS: dict[str, Callable[..., Any]] = {
    "uuid": _uuid,
    "hex": _random_text("0123456789abcdef"),
    "HEX": _random_text("0123456789ABCDEF"),
    "digits": _random_text(string.digits),
    "alnum": _random_text(string.ascii_letters + string.digits),
    "upper": _random_text(string.ascii_uppercase + string.digits),
    "lower": _random_text(string.ascii_lowercase + string.digits),
    "random_b64": _random_b64,
}

FILLERS: dict[str, Callable[..., Any]] = {
    "now": _now,
    "md5": lambda ctx, name: hashlib.md5(_text(ctx, name).encode()).hexdigest(),
    "sha256": lambda ctx, name: hashlib.sha256(_text(ctx, name).encode()).hexdigest(),
    "base64": lambda ctx, name: base64.b64encode(_text(ctx, name).encode()).decode(),
    "len": lambda ctx, name: len(_text(ctx, name).encode()),
    # S3 notifications carry keys URL-encoded with spaces as '+'.
    "urlkey": lambda ctx, name: urllib.parse.quote_plus(_text(ctx, name), safe="/"),
    "urlencode": lambda ctx, name: urllib.parse.quote(_text(ctx, name), safe=""),
    "json": lambda ctx, name: json.dumps(_lookup(ctx, name), separators=(",", ":")),
    "nodash": lambda ctx, name: _text(ctx, name).replace("-", ""),
    "or_null": lambda ctx, name: _lookup(ctx, name) or None,
    # API Gateway's multiValueHeaders / multiValueQueryStringParameters.
    "multi": lambda ctx, name: {k: [v] for k, v in _lookup(ctx, name).items()} or None,
    "querystring": lambda ctx, name: urllib.parse.urlencode(_lookup(ctx, name)),
    "cookie_list": lambda ctx, name: [f"{k}={v}" for k, v in _lookup(ctx, name).items()],
    "ddb": lambda ctx, name: {k: _ddb(v) for k, v in _lookup(ctx, name).items()},
    # An item's key: its first attribute, in attribute-value form.
    "ddb_key": lambda ctx, name: {k: _ddb(v) for k, v in list(_lookup(ctx, name).items())[:1]},
    # CloudFront's headers: lower-case name -> [{key, value}].
    "cf_headers": lambda ctx, name: {
        k.lower(): [{"key": k, "value": v}] for k, v in _lookup(ctx, name).items()
    },
    # AppSync Events: a channel path's segments ("/default/orders" -> ["default", "orders"]).
    "segments": lambda ctx, name: [s for s in _text(ctx, name).split("/") if s],
    "segment0": lambda ctx, name: next((s for s in _text(ctx, name).split("/") if s), ""),
    # S3's restore-expiry-time: now plus a number of days.
    "days_ahead": lambda ctx, name: _now(ctx, "iso", str(86400 * float(_lookup(ctx, name)))),
    # CloudWatch composite alarm rule over child alarms.
    "alarm_rule": lambda ctx, name: " OR ".join(f"ALARM({a})" for a in _lookup(ctx, name)),
    "alexa_slots": lambda ctx, name: _slots(ctx, name, _alexa_slot),
    "lex_slot_details": lambda ctx, name: _slots(ctx, name, _lex_slot_detail),
    "lexv2_slots": lambda ctx, name: _slots(ctx, name, _lexv2_slot),
    "words": lambda ctx, name: " ".join(str(v) for v in _lookup(ctx, name)),
    "bytes": lambda ctx, name: list(_text(ctx, name).encode()),
    # Bedrock agents' parameters: [{name, type, value-as-text}].
    "typed_props": lambda ctx, name: [
        {"name": k, "type": _json_type(v), "value": v if isinstance(v, str) else json.dumps(v)}
        for k, v in _lookup(ctx, name).items()
    ],
}


def _slots(ctx: Context, name: str, shape: Callable[[str, Any], Any]) -> dict[str, Any]:
    """Plain {slot: value} in a bot's own slot shape."""
    return {k: shape(k, v) for k, v in _lookup(ctx, name).items()}


def _alexa_slot(name: str, value: Any) -> dict[str, Any]:
    return {"name": name, "value": value, "confirmationStatus": "NONE"}


def _lex_slot_detail(name: str, value: Any) -> dict[str, Any]:
    # Lex V1's slotDetails
    return {"resolutions": [{"value": value}], "originalValue": value}


def _lexv2_slot(name: str, value: Any) -> dict[str, Any]:
    return {
        "shape": "Scalar",
        "value": {"originalValue": value, "interpretedValue": value, "resolvedValues": [value]},
    }


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else "string"


def _ddb(value: Any) -> dict[str, Any]:
    """Plain JSON to DynamoDB's attribute-value form, as streams carry it."""
    if isinstance(value, bool):
        return {"BOOL": value}
    if isinstance(value, (int, float)):
        return {"N": str(value)}
    if value is None:
        return {"NULL": True}
    if isinstance(value, list):
        return {"L": [_ddb(v) for v in value]}
    if isinstance(value, dict):
        return {"M": {k: _ddb(v) for k, v in value.items()}}
    return {"S": str(value)}


def _token(ctx: Context, token: str, where: str) -> Any:
    if not token.startswith("$"):
        return _lookup(ctx, token)
    if token in ctx.memo:
        return ctx.memo[token]
    body, _, label = token[1:].partition("@")
    name, *args = body.split(":")
    if name in RANDOM_FILLERS:
        value = RANDOM_FILLERS[name](ctx, f"{ctx.scope}@{label}" if label else where, *args)
    elif name in FILLERS:
        value = FILLERS[name](ctx, *args)
    else:
        raise WorkbenchError(f"Unknown filler '${name}' in a template.")
    if label:
        ctx.memo[token] = value
    return value


def _string(ctx: Context, text: str, where: str) -> Any:
    whole = TOKEN.fullmatch(text)
    if whole:
        return _token(ctx, whole.group(1), where)
    counter = iter(range(1_000_000))

    def replace(match: re.Match[str]) -> str:
        value = _token(ctx, match.group(1), f"{where}#{next(counter)}")
        return value if isinstance(value, str) else json.dumps(value, separators=(",", ":"))

    return TOKEN.sub(replace, text)


def _encode(ctx: Context, node: dict[str, Any], where: str) -> str:
    if "json" in node:
        raw = json.dumps(render(ctx, node["json"], where), separators=(",", ":")).encode()
    else:
        raw = str(render(ctx, node.get("text", ""), where)).encode()
    how = node["$encode"]
    if how == "text":
        return raw.decode()
    if how == "gzip+base64":
        # mtime=0 keeps the bytes reproducible for a given seed.
        raw = gzip.compress(raw, mtime=0)
    elif how != "base64":
        raise WorkbenchError(f"Unknown encoding '{how}' in a template.")
    return base64.b64encode(raw).decode()


def render(ctx: Context, node: Any, where: str = "") -> Any:
    """The value of one template node.

    Template language, kept deliberately small:

    - ``"{{name}}"`` inserts a parameter (a string that is only the placeholder keeps the
      parameter's type, so numbers stay numbers); ``"arn:aws:s3:::{{bucket}}"`` interpolates.
    - ``"{{$filler:arg}}"`` inserts a generated value (see FILLERS); ``"{{$uuid@req}}"``
      with an ``@label`` gives the same value everywhere the same token appears.
    - ``{"$each": "param", "as": "item", "do": <node>}`` becomes one ``<node>`` per element
      of a list parameter, with ``item`` and ``index`` bound.
    - ``{"$encode": "base64" | "gzip+base64" | "text", "text": "..."}`` or ``"json": <node>``
      renders the inner value and encodes it ("text" gives the JSON text itself), so encoded
      payloads always come from readable values.
    - ``{"$merge": [<node>, ...]}`` is the union of several objects.
    - ``{"$let": {"name": <node>}, "in": <node>}`` names computed values for use inside.
    - ``{"$if": "param", "then": <node>, "else": <node>}`` picks by truthiness.
    - Times come from one clock per event (``{{$now:iso}}``, ``{{$now:epoch_ms:-2}}`` two
      seconds earlier); random values come from the seed and their place in the template,
      so changing one parameter never changes another field.
    """
    if isinstance(node, str):
        return _string(ctx, node, where)
    if isinstance(node, list):
        return [render(ctx, item, f"{where}[{i}]") for i, item in enumerate(node)]
    if not isinstance(node, dict):
        return node
    if "$each" in node:
        items = _lookup(ctx, node["$each"])
        if not isinstance(items, list):
            raise WorkbenchError(f"Parameter '{node['$each']}' must be a list.")
        name = node.get("as", "item")
        return [
            render(
                ctx.bind(f"{where}[{i}]", **{name: item, "index": i}), node["do"], f"{where}[{i}]"
            )
            for i, item in enumerate(items)
        ]
    if "$encode" in node:
        return _encode(ctx, node, where)
    if "$merge" in node:
        merged: dict[str, Any] = {}
        for i, part in enumerate(node["$merge"]):
            value = render(ctx, part, f"{where}+{i}")
            if not isinstance(value, dict):
                raise WorkbenchError("Only JSON objects can be merged in a template.")
            merged.update(value)
        return merged
    if "$let" in node:
        # Names for computed values, e.g. a body that is itself JSON, so that fields
        # such as md5OfBody can be derived from it.
        bound = {k: render(ctx, v, f"{where}<{k}>") for k, v in node["$let"].items()}
        return render(ctx.bind(ctx.scope, **bound), node["in"], where)
    if "$if" in node:
        branch = "then" if _lookup(ctx, node["$if"]) else "else"
        return render(ctx, node.get(branch), where)
    return {
        _string(ctx, key, f"{where}.{key}") if "{{" in key else key: render(
            ctx, value, f"{where}.{key}"
        )
        for key, value in node.items()
    }


def make_context(values: dict[str, Any], now: datetime | None, seed: int | None) -> Context:
    """A fresh context: the current time (UTC) and a random seed unless given."""
    moment = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    return Context(dict(values), moment, random.randrange(2**63) if seed is None else seed)
