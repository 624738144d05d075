"""Python starter code and a matching sample event for each new-function template."""

from __future__ import annotations

import json

from workbench.core.languages.base import Starter, starter_event

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


SCHEDULED = '''"""Runs on a schedule (an EventBridge rule's rate or cron expression)."""

import json


def lambda_handler(event, context):
    rule = (event.get("resources") or ["(no rule)"])[0].rsplit("/", 1)[-1]
    print(json.dumps({"rule": rule, "scheduledFor": event.get("time")}))
    # Do the periodic work here; keep it under the function's timeout.
    return {"rule": rule, "ranAt": event.get("time")}
'''


# Events are made when the function is created so ids and timestamps are fresh.
STARTERS: dict[str, Starter] = {
    "hello": Starter("Hello world", HELLO, "hello", lambda: {"name": "Workbench"}),
    "api": Starter(
        "API Gateway handler",
        API,
        "get-items",
        lambda: starter_event(
            "apigateway-rest-proxy",
            method="GET",
            path="/items",
            resource="/items",
            path_parameters={},
            query={"limit": "10"},
            body="",
        ),
    ),
    "s3": Starter(
        "S3 object processor",
        S3,
        "object-created",
        lambda: starter_event("s3-object-created", key="uploads/hello world.txt"),
    ),
    "sqs": Starter(
        "SQS batch with partial failures",
        SQS,
        "batch-with-one-failure",
        lambda: starter_event(
            "sqs-receive",
            messages=[json.dumps({"orderId": 1}), json.dumps({"orderId": 2, "fail": True})],
        ),
    ),
    "scheduled": Starter(
        "Scheduled task (EventBridge)",
        SCHEDULED,
        "every-5-minutes",
        lambda: starter_event("eventbridge-scheduled"),
    ),
}
