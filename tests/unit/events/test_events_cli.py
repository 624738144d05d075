"""`lambda-workbench events list|show`, run as a real subprocess."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path

import pytest
from aws_lambda_powertools.utilities.parser import models as m

ROOT = Path(__file__).resolve().parents[3]


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "events", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_list_text_shows_every_template():
    result = cli("list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) >= 40
    assert any(line.split()[:2] == ["sqs-receive", "sqs"] for line in lines)


def test_list_json_has_the_contract_fields():
    result = cli("list", "--output", "json")
    assert result.returncode == 0, result.stderr
    items = json.loads(result.stdout)
    assert len(items) >= 40
    assert len({i["service"] for i in items}) >= 20
    for item in items:
        assert {"name", "service", "title", "description"} <= item.keys()
        assert all(isinstance(item[k], str) and item[k] for k in ("name", "title"))


def test_list_by_service_and_search():
    items = json.loads(cli("list", "--service", "dynamodb", "--output", "json").stdout)
    assert sorted(i["name"] for i in items) == [
        "dynamodb-insert",
        "dynamodb-modify",
        "dynamodb-remove",
        "dynamodb-tumbling-window",
    ]
    found = cli("list", "--search", "websocket", "message").stdout.split()
    assert found[0] == "apigateway-websocket-message"


def test_unknown_service_exits_2_naming_close_services():
    result = cli("list", "--service", "dynamo")
    assert result.returncode == 2
    assert "Did you mean 'dynamodb'" in result.stderr
    assert "Traceback" not in result.stderr


def test_show_prints_a_valid_event_with_parameters():
    result = cli(
        "show",
        "s3-object-created",
        "--param",
        "bucket=my-bucket",
        "--param",
        "size=2048",
        "--param",
        "key=a b.txt",
    )
    assert result.returncode == 0, result.stderr
    event = json.loads(result.stdout)
    record = m.S3Model.model_validate(event).Records[0]
    assert record.s3.bucket.name == "my-bucket"
    assert record.s3.object.size == 2048
    assert record.s3.object.key == "a+b.txt"


def test_show_list_and_object_parameters_as_json():
    result = cli("show", "kinesis-records", "--param", 'records=["{\\"a\\": 1}", "two"]')
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)["Records"]
    assert [base64.b64decode(r["kinesis"]["data"]).decode() for r in records] == [
        '{"a": 1}',
        "two",
    ]


def test_show_parameters_lists_the_knobs():
    result = cli("show", "sqs-receive", "--parameters")
    assert result.returncode == 0
    assert result.stdout.startswith("messages (list, default [")


@pytest.mark.parametrize(
    "args, expected",
    [
        (("show", "s3-put"), "no sample event named 's3-put'. Did you mean 's3-object-created'"),
        (("show", "sqs-recieve"), "Did you mean 'sqs-receive'"),
        (
            ("show", "s3-object-created", "--param", "buckt=x"),
            "has no parameter 'buckt'. Did you mean 'bucket'",
        ),
        (("show", "s3-object-created", "--param", "size=big"), "must be a whole number"),
        (("show", "s3-object-created", "--param", "bucket"), "is not KEY=VALUE"),
    ],
)
def test_bad_input_exits_2_with_a_sentence(args, expected):
    result = cli(*args)
    assert result.returncode == 2
    assert expected in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_core_events_never_import_qt():
    code = "import sys, workbench.core.events as e; e.generate_event('sqs-receive');"
    code += "assert not [m for m in sys.modules if m.startswith('PySide6')], 'Qt imported'"
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr


def test_list_groups_templates_by_service_with_what_sends_them():
    result = cli("list")
    assert result.returncode == 0, result.stderr
    blocks = result.stdout.strip().split("\n\n")
    headers = [block.splitlines()[0] for block in blocks]
    assert "Amazon S3 (4)" in headers
    assert len(headers) >= 35
    s3 = next(b for b in blocks if b.startswith("Amazon S3 ("))
    assert "S3 event notification" in s3
    total = sum(len(b.splitlines()) - 1 for b in blocks)
    assert total >= 100


def test_list_json_carries_trigger_docs_and_sam_names():
    items = json.loads(cli("list", "--output", "json").stdout)
    s3 = next(i for i in items if i["name"] == "s3-object-created")
    assert s3["serviceTitle"] == "Amazon S3"
    assert s3["docs"].startswith("https://docs.aws.amazon.com/")
    assert "s3 put" in s3["sam"]
    assert s3["trigger"]


def test_list_accepts_sam_service_names():
    items = json.loads(cli("list", "--service", "alexa-skills-kit", "--output", "json").stdout)
    assert {i["name"] for i in items} == {"alexa-launch", "alexa-intent", "alexa-session-ended"}


def test_info_says_what_sends_it_and_where_aws_documents_it():
    result = cli("info", "s3-object-created")
    assert result.returncode == 0, result.stderr
    assert "Sent by: S3 event notification" in result.stdout
    assert "AWS docs: https://docs.aws.amazon.com/AmazonS3/" in result.stdout
    assert "generate-event s3 put" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("show", "s3", "put", "--bucket", "b1", "--key", "in/a b.csv"),
        ("show", "s3 put", "--bucket=b1", "--key", "in/a b.csv"),
        ("show", "s3-object-created", "--bucket", "b1", "--key", "in/a b.csv"),
        ("show", "--param", "bucket=b1", "s3-object-created", "--param", "key=in/a b.csv"),
        ("show", "s3", "put", "--param", "bucket=b1", "--key", "in/a b.csv"),
    ],
)
def test_sam_form_and_options_work_like_sam(args):
    result = cli(*args)
    assert result.returncode == 0, result.stderr
    record = m.S3Model.model_validate(json.loads(result.stdout)).Records[0]
    assert (record.s3.bucket.name, record.s3.object.key) == ("b1", "in/a+b.csv")


def test_sam_options_we_generate_ourselves_are_noted_not_dropped_silently():
    result = cli("show", "kinesis", "get-records", "--sequence", "1", "--data", "hi")
    assert result.returncode == 0, result.stderr
    assert "note: --sequence is generated fresh" in result.stderr
    record = json.loads(result.stdout)["Records"][0]
    assert base64.b64decode(record["kinesis"]["data"]) == b"hi"


def test_sam_partition_moves_the_arns():
    result = cli("show", "sns", "notification", "--partition", "aws-cn")
    assert result.returncode == 0, result.stderr
    assert "arn:aws-cn:sns:" in result.stdout and "arn:aws:" not in result.stdout


def test_sam_form_parameters_lists_the_templates_knobs():
    result = cli("show", "s3", "put", "--parameters")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("bucket (text, default")


@pytest.mark.parametrize(
    "args, expected",
    [
        (("show", "s3", "putt"), "has no event 'putt'. Did you mean 'put'"),
        (("show", "s3", "put", "--buckt", "x"), "no option --buckt. Did you mean --bucket"),
        (("show", "s3", "put", "--bucket"), "--bucket needs a value"),
        (("show", "s3", "put", "extra"), "Unexpected 'extra'"),
        (("show", "alexa-skills-kit"), "needs an event name: end-session"),
        (("show", "s3-object-created", "--colour", "red"), "has no parameter 'colour'"),
        (("list", "--service", "alexa-skill-kit"), "Did you mean 'alexa-skills-kit'"),
        (("info", "s3-put"), "no sample event named 's3-put'"),
        (("show", "kinesis", "kinesis-firehose", "--data", "%%%"), "must be base64"),
    ],
)
def test_bad_sam_style_input_exits_2_with_a_sentence(args, expected):
    result = cli(*args)
    assert result.returncode == 2, result.stdout
    assert expected in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
