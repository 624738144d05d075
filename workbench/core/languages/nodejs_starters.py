"""Node.js starter code (ES modules, as Lambda's console creates them) and matching events."""

from __future__ import annotations

import json

from workbench.core.languages.base import Starter, starter_event

HELLO = """// Greets the caller.
export const handler = async (event) => {
  const name = typeof event?.name === "string" ? event.name : "world";
  return { statusCode: 200, body: JSON.stringify({ message: `Hello, ${name}!` }) };
};
"""

API = """// An API Gateway (REST or HTTP API) handler: routes on method and path, answers JSON.
const response = (statusCode, body) => ({
  statusCode,
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});

export const handler = async (event) => {
  // REST APIs (payload 1.0) and HTTP APIs (payload 2.0) put the method in different places.
  const method = event.httpMethod ?? event.requestContext?.http?.method;
  const path = event.rawPath ?? event.path ?? "/";
  const query = event.queryStringParameters ?? {};
  if (method === "GET") return response(200, { path, query });
  if (method === "POST") {
    try {
      return response(201, { received: JSON.parse(event.body || "{}") });
    } catch {
      return response(400, { error: "the body is not valid JSON" });
    }
  }
  return response(405, { error: `method ${method} is not allowed` });
};
"""

SQS = """// Processes an SQS batch and reports only the failed messages for retry.
// Needs ReportBatchItemFailures on the event source mapping (FunctionResponseTypes).
const processMessage = (message) => {
  const body = JSON.parse(message.body);
  if (body.fail) throw new Error(`cannot process order ${body.orderId}`);
  console.log(`processed order ${body.orderId}`);
};

export const handler = async (event) => {
  const batchItemFailures = [];
  for (const record of event.Records ?? []) {
    try {
      processMessage(record);
    } catch (error) {
      // One bad message must not fail the whole batch.
      console.log(`message ${record.messageId} failed: ${error.message}`);
      batchItemFailures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures };
};
"""


STARTERS: dict[str, Starter] = {
    "hello": Starter(
        "Hello world", HELLO, "hello", lambda: {"name": "Workbench"}, ".mjs", "handler"
    ),
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
        ".mjs",
        "handler",
    ),
    "sqs": Starter(
        "SQS batch with partial failures",
        SQS,
        "batch-with-one-failure",
        lambda: starter_event(
            "sqs-receive",
            messages=[json.dumps({"orderId": 1}), json.dumps({"orderId": 2, "fail": True})],
        ),
        ".mjs",
        "handler",
    ),
}
