"""Expectation files: every kind of check, and a sentence for every kind of bad file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.invoke import InvocationResult
from workbench.core.testing.expectation import parse, record


def result(payload=None, error=None, logs="", duration=5.0, memory=30) -> InvocationResult:
    return InvocationResult(
        request_id="r",
        runner="process",
        cold_start=False,
        payload=None if payload is None else json.dumps(payload).encode(),
        error=error,
        logs=logs,
        duration_ms=duration,
        billed_duration_ms=5,
        init_duration_ms=None,
        memory_size_mb=128,
        max_memory_used_mb=memory,
        cost_usd=0.0,
    )


def check(data: dict, outcome: InvocationResult) -> list[str]:
    return parse(Path("e.json"), json.dumps(data)).check(outcome)


OK = result({"statusCode": 200, "body": '{"n": 3}'}, logs="START\n[INFO] greeting bob\nEND\n")


def test_each_check_passes_and_fails():
    assert check({"payload": {"statusCode": 200}}, OK) == []
    assert check({"paths": {"body.n": 3}}, OK) == []
    assert check({"paths": {"body.n": 4}}, OK) == ["paths body.n: expected 4, got 3"]
    assert check({"paths": {"body.m": 4}}, OK) == ["paths body.m: not in the response"]
    assert check({"logs": ["greeting \\w+"]}, OK) == []
    assert check({"logs": ["farewell"]}, OK) == ["logs: no line matches 'farewell'"]
    assert check({"maxDurationMs": 10, "maxMemoryUsedMb": 64}, OK) == []
    assert check({"maxDurationMs": 1, "maxMemoryUsedMb": 16}, OK) == [
        "duration 5.00 ms is over maxDurationMs 1",
        "max memory used 30 MB is over maxMemoryUsedMb 16",
    ]


def test_error_expectations():
    failed = result(error={"errorType": "ValueError", "errorMessage": "bad", "stackTrace": []})
    assert check({"error": {"errorType": "ValueError"}}, failed) == []
    assert check({"error": {"errorType": "KeyError"}}, failed) == [
        'error.errorType: expected "KeyError", got "ValueError"'
    ]
    assert check({"error": {"errorType": "ValueError"}}, OK)[0].startswith("expected error")
    assert check({}, failed) == ["expected a response, got error ValueError: bad"]
    assert check({"payload": {"statusCode": 200}}, failed)[0].startswith("expected a response")


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("{", "Expecting property name enclosed in double quotes at line 1 column 2"),
        ("[]", "must be a JSON object"),
        ('{"maxDuration": 3}', "unknown key 'maxDuration'"),
        ('{"payload": 1, "error": {}}', "either payload or error"),
        ('{"error": "ValueError"}', "error must be an object"),
        ('{"maxDurationMs": -1}', "maxDurationMs must be a positive number"),
        ('{"maxMemoryUsedMb": true}', "maxMemoryUsedMb must be a positive number"),
        ('{"logs": "x"}', "logs must be a list"),
        ('{"logs": ["("]}', "is not a regular expression"),
        ('{"paths": []}', "paths must be an object"),
        ('{"paths": {"a[": 1}}', "cannot be read"),
        ('{"ignore": "x"}', "ignore must be a list"),
    ],
)
def test_invalid_files_get_a_sentence(text, sentence):
    with pytest.raises(WorkbenchError) as caught:
        parse(Path("events/f/expected/e.json"), text)
    message = str(caught.value)
    assert sentence in message
    assert message.startswith("The expectation events/f/expected/e.json is not valid")
    assert message.endswith("Fix or delete the file.")


def test_record_keeps_a_persons_trimming_and_checks():
    old = {"payload": {"statusCode": 201}, "logs": ["x"], "maxDurationMs": 9}
    old["paths"] = {"body.n": 1}
    assert record(OK, old) == {
        "payload": {"statusCode": 200},
        "paths": {"body.n": 3},
        "logs": ["x"],
        "maxDurationMs": 9,
    }
    failed = result(error={"errorType": "E", "errorMessage": "m", "stackTrace": ["line 3"]})
    assert record(failed) == {"error": {"errorType": "E", "errorMessage": "m"}}
