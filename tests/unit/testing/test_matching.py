"""Subset matching, snapshots and paths: what a person can delete and what still counts."""

from __future__ import annotations

import json

import pytest

from workbench.core.testing.matching import (
    ANY,
    differences,
    parse_path,
    resolve,
    snapshot,
    trim_like,
)

RESPONSE = {
    "statusCode": 200,
    "headers": {"Content-Type": "application/json", "Date": "Tue, 01 Dec 2026 09:00:00 GMT"},
    "body": json.dumps({"message": "hi", "items": [{"id": 1}, {"id": 2}], "requestId": "r-1"}),
}


def test_deleting_keys_asserts_less():
    assert differences({"statusCode": 200}, RESPONSE, "payload") == []
    assert differences({"body": {"items": [{}, {"id": 2}]}}, RESPONSE, "payload") == []


def test_first_difference_names_the_path_and_both_values():
    found = differences({"statusCode": 201, "body": {"message": "ho"}}, RESPONSE, "payload")
    assert found == [
        "payload.statusCode: expected 201, got 200",
        'payload.body.message: expected "ho", got "hi"',
    ]


def test_missing_keys_lists_and_types_are_differences():
    assert differences({"nope": 1}, RESPONSE, "payload") == ["payload.nope: missing (expected 1)"]
    assert differences({"body": {"items": [{}]}}, RESPONSE, "payload") == [
        "payload.body.items: expected 1 items, got 2"
    ]
    assert differences({"statusCode": "200"}, RESPONSE, "payload")
    assert differences(True, 1, "payload") and differences(1, True, "payload")
    assert differences(1, 1.0, "payload") == []


def test_volatile_keys_are_skipped_unless_asked_by_path():
    assert differences({"body": {"requestId": "other"}}, RESPONSE, "payload") == []
    assert differences({"headers": {"Date": "yesterday"}}, RESPONSE, "payload") == []
    assert differences({"x": "other"}, {"x": "y"}, "p", skip_volatile=False)


def test_any_and_ignore():
    assert differences({"statusCode": ANY}, RESPONSE, "payload") == []
    missing = differences({"gone": ANY}, RESPONSE, "payload")
    assert missing == ['payload.gone: missing (expected "<any>")']
    ignored = frozenset({"payload.statusCode"})
    assert differences({"statusCode": 500}, RESPONSE, "payload", ignored) == []


def test_snapshot_decodes_bodies_drops_volatile_keys_and_marks_volatile_values():
    recorded = snapshot(
        {**RESPONSE, "id": "123e4567-e89b-12d3-a456-426614174000", "at": "2026-12-01T09:00:00Z"}
    )
    assert recorded["body"] == {"message": "hi", "items": [{"id": 1}, {"id": 2}]}
    assert "Date" not in recorded["headers"]
    assert recorded["id"] == ANY and recorded["at"] == ANY
    assert differences(recorded, RESPONSE | {"id": "x", "at": "y"}, "payload") == []


def test_trim_like_keeps_what_a_person_kept():
    new = {"statusCode": 500, "body": {"message": "new", "extra": 1}}
    assert trim_like(new, {"statusCode": 200}) == {"statusCode": 500}
    assert trim_like(new, {"body": {"message": "old"}}) == {"body": {"message": "new"}}
    assert trim_like(new, {"gone": 1}) == new  # nothing in common: the whole new snapshot


def test_paths():
    assert parse_path("$.body.items[1].id") == ["body", "items", 1, "id"]
    assert parse_path('headers["Content-Type"]') == ["headers", "Content-Type"]
    assert resolve(RESPONSE, parse_path("body.items[1].id")) == (True, 2)
    assert resolve(RESPONSE, parse_path("body.items[5]")) == (False, None)
    with pytest.raises(ValueError, match="names nothing"):
        parse_path("$")
    with pytest.raises(ValueError, match="cannot be read"):
        parse_path("a[x")
