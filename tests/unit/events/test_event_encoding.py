"""Encoded fields decode back to the readable values they were generated from."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from decimal import Decimal
from urllib.parse import unquote_plus

import pytest
from aws_lambda_powertools.utilities.parser import models as m
from boto3.dynamodb.types import TypeDeserializer

from workbench.core.events import (
    generate_event,
    get_template,
    list_templates,
    render,
    template_body,
)

TEXTS = ['{"id": 1, "note": "héllo"}', "plain text, not JSON", ""]


def b64(text: str) -> str:
    return base64.b64decode(text).decode("utf-8")


def test_sqs_bodies_and_md5_come_from_the_messages():
    event = generate_event("sqs-receive", {"messages": TEXTS})
    bodies = [r["body"] for r in event["Records"]]
    assert bodies == TEXTS
    for record in event["Records"]:
        assert record["md5OfBody"] == hashlib.md5(record["body"].encode()).hexdigest()
    assert [r.body for r in m.SqsModel.model_validate(event).Records] == TEXTS


def test_sns_message_is_the_given_text():
    event = generate_event("sns-notification", {"message": TEXTS[0], "subject": ""})
    sns = m.SnsModel.model_validate(event).Records[0].Sns
    assert sns.Message == TEXTS[0]
    assert sns.Subject is None


def test_kinesis_data_is_base64_of_the_records():
    event = generate_event("kinesis-records", {"records": TEXTS})
    parsed = m.KinesisDataStreamModel.model_validate(event)
    assert [r.kinesis.data.decode() for r in parsed.Records] == TEXTS


def test_firehose_data_is_base64_of_the_records():
    event = generate_event("firehose-transformation", {"records": TEXTS})
    assert [b64(r["data"]) for r in event["records"]] == TEXTS
    assert len({r["recordId"] for r in event["records"]}) == len(TEXTS)
    m.KinesisFirehoseModel.model_validate(event)


def test_cloudwatch_logs_data_is_gzip_base64_of_real_log_events():
    messages = ["START RequestId: 1", "ERROR boom", "END RequestId: 1"]
    event = generate_event(
        "cloudwatch-logs-subscription",
        {"messages": messages, "log_group": "/aws/lambda/x", "account": "111122223333"},
    )
    raw = json.loads(gzip.decompress(base64.b64decode(event["awslogs"]["data"])))
    assert raw["logGroup"] == "/aws/lambda/x"
    assert raw["owner"] == "111122223333"
    assert raw["messageType"] == "DATA_MESSAGE"
    assert [e["message"] for e in raw["logEvents"]] == messages
    assert len({e["id"] for e in raw["logEvents"]}) == len(messages)
    decoded = m.CloudWatchLogsModel.model_validate(event).awslogs.decoded_data
    assert [e.message for e in decoded.logEvents] == messages


@pytest.mark.parametrize("name", ["kafka-msk", "kafka-self-managed"])
def test_kafka_key_and_values_are_base64_of_the_given_text(name):
    event = generate_event(name, {"key": "k-1", "values": TEXTS[:2], "topic": "t", "partition": 3})
    records = event["records"]["t-3"]
    assert [b64(r["value"]) for r in records] == TEXTS[:2]
    assert {b64(r["key"]) for r in records} == {"k-1"}
    assert [r["offset"] for r in records] == [0, 1]
    model = m.KafkaMskEventModel if name == "kafka-msk" else m.KafkaSelfManagedEventModel
    parsed = model.model_validate(event).records["t-3"]
    assert parsed[0].headers[0]["content-type"] == b"application/json"


def test_amazon_mq_data_is_base64_of_the_messages():
    active = generate_event("mq-activemq", {"messages": TEXTS})
    assert [b64(msg["data"]) for msg in active["messages"]] == TEXTS
    rabbit = generate_event("mq-rabbitmq", {"messages": TEXTS, "queue": "q"})
    queue = rabbit["rmqMessagesByQueue"]["q::/"]
    assert [b64(msg["data"]) for msg in queue] == TEXTS
    assert [msg["basicProperties"]["bodySize"] for msg in queue] == [len(t.encode()) for t in TEXTS]


@pytest.mark.parametrize(
    "name, model",
    [
        ("apigateway-rest-proxy", m.APIGatewayProxyEventModel),
        ("apigateway-http-api", m.APIGatewayProxyEventV2Model),
        ("lambda-function-url", m.LambdaFunctionUrlModel),
        ("alb-request", m.AlbModel),
    ],
)
def test_http_bodies_base64_encoded_on_request(name, model):
    body = '{"binary": "\\u00ff"} ü'
    plain = generate_event(name, {"body": body})
    assert plain["body"] == body and plain["isBase64Encoded"] is False
    encoded = generate_event(name, {"body": body, "base64": "true"})
    assert encoded["isBase64Encoded"] is True
    assert b64(encoded["body"]) == body
    model.model_validate(encoded)


def test_http_api_query_and_cookies_derive_from_the_given_values():
    event = generate_event(
        "apigateway-http-api", {"query": {"a": "1", "b": "x y"}, "cookies": {"s": "1"}}
    )
    assert event["rawQueryString"] == "a=1&b=x+y"
    assert event["queryStringParameters"] == {"a": "1", "b": "x y"}
    assert event["cookies"] == ["s=1"]
    empty = generate_event("apigateway-rest-proxy", {"query": {}, "body": ""})
    assert empty["queryStringParameters"] is None and empty["body"] is None


def test_s3_key_is_url_encoded_like_s3_does():
    key = "photos/summer 2026/ä+b.jpg"
    record = generate_event("s3-object-created", {"key": key, "size": 5})["Records"][0]
    assert record["s3"]["object"]["key"] != key
    assert unquote_plus(record["s3"]["object"]["key"]) == key
    assert record["s3"]["object"]["size"] == 5


def test_dynamodb_images_are_attribute_values_of_the_given_items():
    keys = {"pk": "user#1", "sk": 7}
    new = {"pk": "user#1", "sk": 7, "tags": ["a"], "ok": True, "nested": {"x": None}}
    old = {"pk": "user#1", "sk": 7}
    event = generate_event("dynamodb-modify", {"keys": keys, "new_image": new, "old_image": old})
    stream = event["Records"][0]["dynamodb"]
    load = TypeDeserializer().deserialize

    def plain(image):
        return {k: load(v) for k, v in image.items()}

    assert plain(stream["Keys"]) == {"pk": "user#1", "sk": Decimal(7)}
    assert plain(stream["NewImage"]) == {
        "pk": "user#1",
        "sk": Decimal(7),
        "tags": ["a"],
        "ok": True,
        "nested": {"x": None},
    }
    assert plain(stream["OldImage"]) == {"pk": "user#1", "sk": Decimal(7)}
    m.DynamoDBStreamModel.model_validate(event)


def test_config_invoking_event_and_rule_parameters_are_json_text():
    config = {"name": "b", "versioning": "Off"}
    event = generate_event(
        "config-rule-change", {"configuration": config, "rule_parameters": {"p": "1"}}
    )
    invoking = json.loads(event["invokingEvent"])
    assert invoking["configurationItem"]["configuration"] == config
    assert invoking["messageType"] == "ConfigurationItemChangeNotification"
    assert json.loads(event["ruleParameters"]) == {"p": "1"}


def test_cloudformation_properties_keep_the_service_token():
    event = generate_event(
        "cloudformation-update", {"properties": {"A": "2"}, "old_properties": {"A": "1"}}
    )
    assert event["ResourceProperties"] == {"ServiceToken": event["ServiceToken"], "A": "2"}
    assert event["OldResourceProperties"] == {"ServiceToken": event["ServiceToken"], "A": "1"}
    assert event["RequestId"] in event["ResponseURL"]
    assert event["StackId"].rsplit("/", 1)[1] in event["ResponseURL"]


def test_generated_event_shares_nothing_with_the_defaults():
    first = generate_event("eventbridge-custom")
    first["detail"]["orderId"] = "changed"
    assert generate_event("eventbridge-custom")["detail"]["orderId"] == "1001"


def test_s3_notification_via_sqs_carries_the_s3_event_as_the_body():
    event = generate_event("sqs-s3-notification", {"bucket": "b1", "key": "x y.csv", "size": 9})
    record = event["Records"][0]
    assert record["md5OfBody"] == hashlib.md5(record["body"].encode()).hexdigest()
    parsed = m.S3SqsEventNotificationModel.model_validate(event)
    s3 = parsed.Records[0].body.Records[0].s3
    assert (s3.bucket.name, unquote_plus(s3.object.key), s3.object.size) == ("b1", "x y.csv", 9)


def test_bedrock_agent_parameters_carry_their_json_types():
    event = generate_event(
        "bedrock-agent-function", {"parameters": {"n": 3, "ok": False, "s": "x", "f": 1.5}}
    )
    assert event["parameters"] == [
        {"name": "n", "type": "integer", "value": "3"},
        {"name": "ok", "type": "boolean", "value": "false"},
        {"name": "s", "type": "string", "value": "x"},
        {"name": "f", "type": "number", "value": "1.5"},
    ]


def _cloudwatch_logs(data: str) -> dict:
    return json.loads(gzip.decompress(base64.b64decode(data)))


@pytest.mark.parametrize("name", ["kinesis-cloudwatch-logs", "firehose-cloudwatch-logs"])
def test_cloudwatch_logs_through_kinesis_or_firehose_is_gzip_base64(name):
    messages = ["ERROR boom", "INFO ok"]
    event = generate_event(name, {"messages": messages, "log_group": "/aws/lambda/x"})
    records = event["Records"] if name.startswith("kinesis") else event["records"]
    data = records[0]["kinesis"]["data"] if name.startswith("kinesis") else records[0]["data"]
    raw = _cloudwatch_logs(data)
    assert raw["logGroup"] == "/aws/lambda/x"
    assert [e["message"] for e in raw["logEvents"]] == messages
    # Powertools reads it the same way.
    assert m.CloudWatchLogsDecode.model_validate(raw).logEvents[1].message == "INFO ok"
    if name.startswith("kinesis"):
        parsed = m.KinesisDataStreamModel.model_validate(event).Records[0]
        assert json.loads(gzip.decompress(parsed.kinesis.data))["owner"] == raw["owner"]


def test_sns_through_sqs_body_is_the_sns_envelope():
    event = generate_event("sqs-sns-notification", {"message": TEXTS[0], "topic": "t"})
    record = event["Records"][0]
    assert record["md5OfBody"] == hashlib.md5(record["body"].encode()).hexdigest()
    envelope = m.SnsNotificationModel.model_validate_json(record["body"])
    assert envelope.Message == TEXTS[0]
    assert envelope.TopicArn.endswith(":t")
    assert "UnsubscribeURL" in json.loads(record["body"]), "SQS delivery spells it URL"


def test_dead_letter_messages_name_their_source_queue():
    event = generate_event("sqs-dlq-redrive", {"messages": TEXTS, "source_queue": "src"})
    assert [r["body"] for r in event["Records"]] == TEXTS
    for record in event["Records"]:
        assert record["attributes"]["DeadLetterQueueSourceArn"].endswith(":src")
        assert record["md5OfBody"] == hashlib.md5(record["body"].encode()).hexdigest()


def test_tumbling_windows_carry_state_and_final_flag():
    event = generate_event(
        "dynamodb-tumbling-window",
        {"items": [{"pk": "a", "n": 1}], "state": {"sum": 3}, "final": "true"},
    )
    assert event["state"] == {"sum": 3} and event["isFinalInvokeForWindow"] is True
    assert event["window"]["start"] < event["window"]["end"]
    keys = event["Records"][0]["dynamodb"]["Keys"]
    assert {k: TypeDeserializer().deserialize(v) for k, v in keys.items()} == {"pk": "a"}
    kinesis = generate_event("kinesis-tumbling-window", {"records": TEXTS})
    assert [b64(r["kinesis"]["data"]) for r in kinesis["Records"]] == TEXTS


def test_firehose_from_kinesis_keeps_the_record_metadata():
    event = generate_event("firehose-kinesis-source", {"records": TEXTS, "partition_key": "p"})
    assert [b64(r["data"]) for r in event["records"]] == TEXTS
    assert {r["kinesisRecordMetadata"]["partitionKey"] for r in event["records"]} == {"p"}


def test_vpc_lattice_v1_body_base64_on_request():
    plain = generate_event("vpc-lattice-request-v1", {"body": TEXTS[0]})
    assert m.VpcLatticeModel.model_validate(plain).body == TEXTS[0]
    encoded = generate_event("vpc-lattice-request-v1", {"body": TEXTS[0], "base64": "true"})
    assert encoded["is_base64_encoded"] is True and b64(encoded["body"]) == TEXTS[0]


def test_appsync_batch_is_one_context_per_source_in_order():
    sources = [{"id": "1"}, {"id": "2"}, {"id": "3"}]
    batch = generate_event("appsync-batch-resolver", {"sources": sources})
    assert isinstance(batch, list) and [item["source"] for item in batch] == sources
    assert len({item["request"]["headers"]["x-amzn-requestid"] for item in batch}) == 1


def test_appsync_events_channel_segments_come_from_the_path():
    event = generate_event("appsync-events-publish", {"channel": "/shop/orders/eu"})
    parsed = m.AppSyncEventsModel.model_validate(event)
    assert parsed.info.channel.segments == ["shop", "orders", "eu"]
    assert parsed.info.channelNamespace.name == "shop"


@pytest.mark.parametrize("name", ["cognito-custom-email-sender", "cognito-custom-sms-sender"])
def test_cognito_sender_code_is_base64_ciphertext_not_the_plain_code(name):
    code = generate_event(name)["request"]["code"]
    assert len(base64.b64decode(code, validate=True)) >= 100


def test_config_oversized_points_at_s3_and_composite_rule_names_children():
    event = generate_event("config-oversized-change", {"delivery_bucket": "cfg"})
    invoking = json.loads(event["invokingEvent"])
    assert invoking["messageType"] == "OversizedConfigurationItemChangeNotification"
    assert invoking["s3DeliverySummary"]["s3BucketLocation"].startswith("cfg/AWSLogs/")
    alarm = generate_event("cloudwatch-composite-alarm", {"children": ["a", "b"]})
    assert alarm["alarmData"]["configuration"]["alarmRule"] == "ALARM(a) OR ALARM(b)"
    reason = json.loads(alarm["alarmData"]["state"]["reasonData"])
    assert reason["triggeringAlarms"][0]["arn"].endswith(":alarm:a")


def test_lambda_at_edge_body_is_base64_of_the_given_text():
    event = generate_event("cloudfront-viewer-request-body", {"body": "a=1&b=ü"})
    body = event["Records"][0]["cf"]["request"]["body"]
    assert body["encoding"] == "base64" and b64(body["data"]) == "a=1&b=ü"
    custom = generate_event("cloudfront-origin-request-custom", {"origin_headers": {"X-K": "v"}})
    origin = custom["Records"][0]["cf"]["request"]["origin"]["custom"]
    assert origin["customHeaders"] == {"x-k": [{"key": "X-K", "value": "v"}]}


ENCODING_TEMPLATES = [
    t.name
    for t in list_templates()
    if re.search(r'"\$encode"|\{\{\$base64:', template_body(t.name))
]


@pytest.mark.parametrize("name", ENCODING_TEMPLATES)
def test_every_encoded_payload_decodes_to_what_it_was_made_from(name, monkeypatch):
    """Record each encoding while the event renders, then find and decode it in the event."""
    made: list[tuple[str, str, bytes]] = []
    real_encode, real_b64 = render._encode, render.FILLERS["base64"]

    def encode(ctx, node, where):
        out = real_encode(ctx, node, where)
        inner = node.get("json", node.get("text", ""))
        raw = render.render(ctx, inner, where)
        text = raw if isinstance(raw, str) else json.dumps(raw, separators=(",", ":"))
        made.append((node["$encode"], out, text.encode()))
        return out

    def b64_filler(ctx, arg):
        out = real_b64(ctx, arg)
        made.append(("base64", out, render._text(ctx, arg).encode()))
        return out

    monkeypatch.setattr(render, "_encode", encode)
    monkeypatch.setitem(render.FILLERS, "base64", b64_filler)
    # HTTP bodies are base64-encoded only when asked to be.
    switch = {"base64": True} if "base64" in {p.name for p in get_template(name).parameters} else {}
    event = generate_event(name, switch, seed=3)
    assert made, f"{name} encoded nothing"
    text = json.dumps(event)
    for how, out, raw in made:
        assert json.dumps(out)[1:-1] in text, f"{how} output missing from the event"
        if how == "text":
            assert out.encode() == raw
        elif how == "base64":
            assert base64.b64decode(out, validate=True) == raw
        else:
            assert gzip.decompress(base64.b64decode(out, validate=True)) == raw
