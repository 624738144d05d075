"""Encoded fields decode back to the readable values they were generated from."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
from decimal import Decimal
from urllib.parse import unquote_plus

import pytest
from aws_lambda_powertools.utilities.parser import models as m
from boto3.dynamodb.types import TypeDeserializer

from workbench.core.events import generate_event

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
