"""SAM CLI's `generate-event SERVICE EVENT --option value` works here for all 68 of its events."""

from __future__ import annotations

import base64
import gzip
import json
import re

import pytest

from tests.unit.events.sam_cli_events import SAM_EVENTS
from tests.unit.events.test_event_templates import check_event
from workbench.core.errors import WorkbenchError
from workbench.core.events import generate_event, get_template, list_templates
from workbench.core.events.sam import (
    apply_partition,
    generate_sam_event,
    resolve_sam,
    sam_events,
    sam_names_by_template,
)

PAIRS = [(service, event) for service, events in SAM_EVENTS.items() for event in events]
OPTIONS = [(s, e, tag, value) for s, e in PAIRS for tag, value in SAM_EVENTS[s][e].items()]


# SAM writes these options after a slash of its own ("path": "/{{{path}}}").
SLASHED = {("apigateway", "aws-proxy", "path")}


def test_the_table_has_exactly_sams_68_events():
    assert len(PAIRS) == 68
    assert {(e.service, e.event) for e in sam_events()} == set(PAIRS)


@pytest.mark.parametrize("service, event", PAIRS)
def test_every_sam_event_gives_a_valid_event_of_its_template(service, event):
    request = resolve_sam(service, event, {})
    generated, notes = generate_sam_event(service, event)
    assert notes == ()
    check_event(request.template, generated)


@pytest.mark.parametrize("service, event", PAIRS)
def test_every_sam_option_is_understood_and_sams_defaults_give_a_valid_event(service, event):
    options = SAM_EVENTS[service][event]
    request = resolve_sam(service, event, options)
    generated, _ = generate_sam_event(service, event, options)
    check_event(request.template, generated)


@pytest.mark.parametrize("service, event, tag, value", OPTIONS)
def test_each_sam_option_lands_in_the_event(service, event, tag, value):
    sam = next(e for e in sam_events() if (e.service, e.event) == (service, event))
    target = sam.options[tag]
    changed = "aws-cn" if tag == "partition" else _changed(value)
    generated, notes = generate_sam_event(service, event, {tag: changed})
    text = json.dumps(generated)
    if target == "@partition":
        assert "arn:aws-cn:" in text and "arn:aws:" not in text
    elif target in ("@generated", "@unused"):
        # Said out loud, never silently dropped.
        assert len(notes) == 1 and f"--{tag}" in notes[0]
    else:
        param, _, how = target.partition(":")
        request = resolve_sam(service, event, {tag: changed})
        expected = {
            "": lambda: changed,
            "list": lambda: [changed],
            "b64list": lambda: [_unb64(changed)],
            "dns": lambda: changed.split(".")[0],
            "arn": lambda: changed.rsplit(":", 1)[1],
        }[how]()
        if (service, event, tag) in SLASHED:
            expected = "/" + expected.lstrip("/")  # SAM renders "/{{{path}}}"
        assert request.params[param] == expected
        # The value is visible in the event (maybe URL- or base64-encoded, as AWS sends it).
        plain = expected[0] if isinstance(expected, list) else expected
        assert _appears(str(plain), generated), (tag, plain)


def _changed(value: str) -> str:
    if value.startswith("arn:aws:s3:::"):
        return "arn:aws:s3:::other-bucket"
    if value.endswith("amazonaws.com"):
        return "eu-west-3." + value.split(".", 1)[1]
    if value.startswith(("H4sI", "SGVs", "NjQu")):  # SAM takes these already base64
        return base64.b64encode(b"changed payload 42").decode()
    if value.startswith("s3://"):
        return "s3://other-bucket/changed"
    if value.isdigit() and len(value) == 12:
        return "210987654321"
    if value.startswith("+"):
        return "+12065550199"
    if value in ("INBOUND", "POST", "GET"):
        return {"INBOUND": "OUTBOUND", "POST": "PUT", "GET": "DELETE"}[value]
    if value in ("us-east-1", "aws"):
        return "eu-west-3"
    return value + "-changed"


def _unb64(text: str) -> str:
    raw = base64.b64decode(text)
    return (gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw).decode()


def _appears(value: str, node: object) -> bool:
    """Does `value` show anywhere in the event, as is or in the forms AWS encodes it?"""
    from urllib.parse import quote_plus

    forms = {value, quote_plus(value, safe="/"), base64.b64encode(value.encode()).decode()}
    if isinstance(node, str):
        return any(f in node for f in forms)
    if isinstance(node, dict):
        return any(_appears(value, k) or _appears(value, v) for k, v in node.items())
    if isinstance(node, list):
        return any(_appears(value, v) for v in node)
    return False


def test_sam_names_show_on_the_templates():
    assert "s3 put" in get_template("s3-object-created").sam
    assert "s3 put" in sam_names_by_template()["s3-object-created"]
    assert get_template("apigateway-http-api").sam == ("apigateway http-api-proxy",)


def test_sam_service_names_list_the_templates_they_map_to():
    assert {t.name for t in list_templates("alexa-skills-kit")} == {
        "alexa-launch",
        "alexa-intent",
        "alexa-session-ended",
    }
    assert {t.name for t in list_templates("lex-v2")} == {"lex-v2"}
    # Our own service names keep meaning what they meant.
    assert {t.service for t in list_templates("cloudwatch")} == {"cloudwatch"}


def test_sam_fixed_values_pick_the_right_variant():
    power = generate_sam_event("alexa-smart-home", "smart-home-control-turn-off-request")[0]
    assert power["directive"]["header"]["name"] == "TurnOff"
    recipe = generate_sam_event("alexa-skills-kit", "intent-recipe")[0]
    assert recipe["request"]["intent"]["name"] == "RecipeIntent"
    car = generate_sam_event("lex-v2", "book-car")[0]
    assert car["sessionState"]["intent"]["name"] == "BookCar"


def test_base64_data_is_decoded_like_sam_takes_it():
    event, _ = generate_sam_event("kinesis", "kinesis-firehose", {"data": "SGVsbG8="})
    assert base64.b64decode(event["records"][0]["data"]) == b"Hello"
    compressed = base64.b64encode(gzip.compress(b'{"a": 1}')).decode()
    event, _ = generate_sam_event("kinesis", "analytics-compressed", {"data": compressed})
    assert base64.b64decode(event["records"][0]["data"]) == b'{"a": 1}'


def test_partition_moves_every_arn():
    event = apply_partition(generate_event("sns-notification"), "aws-us-gov")
    text = json.dumps(event)
    assert "arn:aws-us-gov:sns:" in text and "arn:aws:" not in text


@pytest.mark.parametrize(
    "service, event, options, expected",
    [
        ("s4", "put", {}, "neither a sample event nor a SAM CLI service. Did you mean 's3'"),
        ("s3", "putt", {}, "has no event 'putt'. Did you mean 'put'"),
        ("s3", None, {}, "needs an event name: batch-invocation, delete, put"),
        ("s3", "put", {"buckt": "x"}, "no option --buckt. Did you mean --bucket"),
        ("s3", "put", {"partition": "mars"}, "is not an AWS partition"),
        ("kinesis", "kinesis-firehose", {"data": "not base64!"}, "must be base64"),
        ("alb", "request", {"dns-suffix": "example.com"}, "does not start with a region"),
        ("s3", "batch-invocation", {"bucket-arn": "bucket"}, "is not an ARN"),
    ],
)
def test_bad_sam_input_is_a_sentence(service, event, options, expected):
    with pytest.raises(WorkbenchError, match=re.escape(expected)):
        generate_sam_event(service, event, options)


def test_a_path_alone_is_the_greedy_proxy_route_as_api_gateway_sends_it():
    generated, _ = generate_sam_event("apigateway", "aws-proxy", {"path": "users/7"})
    assert generated["path"] == "/users/7"
    assert generated["resource"] == generated["requestContext"]["resourcePath"] == "/{proxy+}"
    assert generated["pathParameters"] == {"proxy": "users/7"}
    assert generated["requestContext"]["path"] == "/prod/users/7"


def test_a_path_with_its_resource_fills_the_placeholders():
    options = {"path": "/users/7/orders/9", "resource": "/users/{id}/orders/{order}"}
    generated, _ = generate_sam_event("apigateway", "aws-proxy", options)
    assert generated["pathParameters"] == {"id": "7", "order": "9"}
    options = {"path": "/elsewhere", "resource": "/users/{id}"}  # does not fit: none
    generated, _ = generate_sam_event("apigateway", "aws-proxy", options)
    assert generated["pathParameters"] is None
