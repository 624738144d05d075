"""Starter code and a matching sample event for each new-function template."""

from __future__ import annotations

import json
from typing import Any

HELLO = '''"""Greets the caller."""

import json


def lambda_handler(event, context):
    name = event.get("name", "world") if isinstance(event, dict) else "world"
    return {"statusCode": 200, "body": json.dumps({"message": f"Hello, {name}!"})}
'''

API = '''"""An API Gateway (REST or HTTP API) handler: routes on method and path, answers JSON."""

import json


def _response(status, body):
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(body),
    }


def lambda_handler(event, context):
    # REST APIs (payload 1.0) and HTTP APIs (payload 2.0) put the method in different places.
    http = event.get("requestContext", {}).get("http", {})
    method = event.get("httpMethod") or http.get("method")
    path = event.get("rawPath") or event.get("path") or "/"
    query = event.get("queryStringParameters") or {}
    if method == "GET":
        return _response(200, {"path": path, "query": query})
    if method == "POST":
        try:
            payload = json.loads(event.get("body") or "{}")
        except ValueError:
            return _response(400, {"error": "the body is not valid JSON"})
        return _response(201, {"received": payload})
    return _response(405, {"error": f"method {method} is not allowed"})
'''

S3 = '''"""Processes objects as they arrive in an S3 bucket."""

import urllib.parse


def lambda_handler(event, context):
    processed = []
    for record in event.get("Records", []):
        bucket = record["s3"]["bucket"]["name"]
        # Keys arrive URL-encoded (spaces as +).
        key = urllib.parse.unquote_plus(record["s3"]["object"]["key"])
        size = record["s3"]["object"].get("size", 0)
        print(f"processing s3://{bucket}/{key} ({size} bytes)")
        processed.append(f"s3://{bucket}/{key}")
    return {"processed": processed}
'''

SQS = '''"""Processes an SQS batch and reports only the failed messages for retry.

Needs ReportBatchItemFailures on the event source mapping (FunctionResponseTypes).
"""

import json


def process(message):
    body = json.loads(message["body"])
    if body.get("fail"):
        raise ValueError(f"cannot process order {body.get('orderId')}")
    print(f"processed order {body.get('orderId')}")


def lambda_handler(event, context):
    failures = []
    for record in event.get("Records", []):
        try:
            process(record)
        except Exception as error:  # one bad message must not fail the whole batch
            print(f"message {record['messageId']} failed: {error}")
            failures.append({"itemIdentifier": record["messageId"]})
    return {"batchItemFailures": failures}
'''


def _api_event() -> dict[str, Any]:
    return {
        "resource": "/items",
        "path": "/items",
        "httpMethod": "GET",
        "headers": {"Accept": "application/json", "Host": "example.execute-api.amazonaws.com"},
        "queryStringParameters": {"limit": "10"},
        "pathParameters": None,
        "stageVariables": None,
        "requestContext": {
            "accountId": "123456789012",
            "resourcePath": "/items",
            "httpMethod": "GET",
            "stage": "Prod",
            "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef",
            "identity": {"sourceIp": "127.0.0.1"},
        },
        "body": None,
        "isBase64Encoded": False,
    }


def _s3_event() -> dict[str, Any]:
    return {
        "Records": [
            {
                "eventVersion": "2.1",
                "eventSource": "aws:s3",
                "awsRegion": "us-east-1",
                "eventTime": "2026-01-01T00:00:00.000Z",
                "eventName": "ObjectCreated:Put",
                "s3": {
                    "s3SchemaVersion": "1.0",
                    "bucket": {"name": "example-bucket", "arn": "arn:aws:s3:::example-bucket"},
                    "object": {
                        "key": "uploads/hello+world.txt",
                        "size": 1024,
                        "eTag": "0123456789abcdef0123456789abcdef",
                    },
                },
            }
        ]
    }


def _sqs_record(number: int, body: dict[str, Any]) -> dict[str, Any]:
    return {
        "messageId": f"059f36b4-87a3-44ab-83d2-66197145964{number}",
        "receiptHandle": f"AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a{number}",
        "body": json.dumps(body),
        "attributes": {
            "ApproximateReceiveCount": "1",
            "SentTimestamp": "1767225600000",
            "SenderId": "123456789012",
            "ApproximateFirstReceiveTimestamp": "1767225600001",
        },
        "messageAttributes": {},
        "md5OfBody": "e4e68fb7bd0e697a0ae8f1bb342846b3",
        "eventSource": "aws:sqs",
        "eventSourceARN": "arn:aws:sqs:us-east-1:123456789012:orders",
        "awsRegion": "us-east-1",
    }


# template -> (description, handler code, event file name, event)
STARTERS: dict[str, tuple[str, str, str, dict[str, Any]]] = {
    "hello": ("Hello world", HELLO, "hello", {"name": "Workbench"}),
    "api": ("API Gateway handler", API, "get-items", _api_event()),
    "s3": ("S3 object processor", S3, "object-created", _s3_event()),
    "sqs": (
        "SQS batch with partial failures",
        SQS,
        "batch-with-one-failure",
        {"Records": [_sqs_record(1, {"orderId": 1}), _sqs_record(2, {"orderId": 2, "fail": True})]},
    ),
}
