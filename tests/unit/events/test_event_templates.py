"""Every sample event generates and matches AWS's documented shape (Powertools models)."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta, timezone

import jsonschema
import pytest
from aws_lambda_powertools.utilities.parser import models as m
from pydantic import TypeAdapter

from tests.unit.events.event_schemas import SCHEMAS as OLD_SCHEMAS
from tests.unit.events.event_schemas_more import EXTRA_SCHEMAS, SCHEMAS_MORE
from workbench.core.events import generate_event, get_template, list_services, list_templates
from workbench.resources import data_path

MODELS = {
    "s3-object-created": m.S3Model,
    "s3-object-removed": m.S3Model,
    "s3-restore-completed": m.S3Model,
    "s3-batch-operations": m.S3BatchOperationModel,
    "s3-object-lambda-get": m.S3ObjectLambdaEvent,
    "eventbridge-s3-object-created": m.S3EventNotificationEventBridgeModel,
    "eventbridge-scheduled": m.EventBridgeModel,
    "eventbridge-custom": m.EventBridgeModel,
    "apigateway-rest-proxy": m.APIGatewayProxyEventModel,
    "apigateway-http-api": m.APIGatewayProxyEventV2Model,
    "apigateway-token-authorizer": m.ApiGatewayAuthorizerToken,
    "apigateway-request-authorizer": m.ApiGatewayAuthorizerRequest,
    "apigateway-http-api-authorizer": m.ApiGatewayAuthorizerRequestV2,
    "apigateway-websocket-connect": m.APIGatewayWebSocketConnectEventModel,
    "apigateway-websocket-message": m.APIGatewayWebSocketMessageEventModel,
    "apigateway-websocket-disconnect": m.APIGatewayWebSocketDisconnectEventModel,
    "alb-request": m.AlbModel,
    "lambda-function-url": m.LambdaFunctionUrlModel,
    "sqs-receive": m.SqsModel,
    "sqs-fifo-receive": m.SqsModel,
    "sns-notification": m.SnsModel,
    "dynamodb-insert": m.DynamoDBStreamModel,
    "dynamodb-modify": m.DynamoDBStreamModel,
    "dynamodb-remove": m.DynamoDBStreamModel,
    "kinesis-records": m.KinesisDataStreamModel,
    "firehose-transformation": m.KinesisFirehoseModel,
    "cloudwatch-logs-subscription": m.CloudWatchLogsModel,
    "cognito-pre-sign-up": m.CognitoPreSignupTriggerModel,
    "cognito-post-confirmation": m.CognitoPostConfirmationTriggerModel,
    "cognito-pre-token-generation": m.CognitoPreTokenGenerationTriggerModelV1,
    "cognito-pre-token-generation-v2": m.CognitoPreTokenGenerationTriggerModelV2AndV3,
    "cognito-custom-message": m.CognitoCustomMessageTriggerModel,
    "cognito-pre-authentication": m.CognitoPreAuthenticationTriggerModel,
    "cognito-post-authentication": m.CognitoPostAuthenticationTriggerModel,
    "cloudformation-create": m.CloudFormationCustomResourceCreateModel,
    "cloudformation-update": m.CloudFormationCustomResourceUpdateModel,
    "cloudformation-delete": m.CloudFormationCustomResourceDeleteModel,
    "ses-receipt": m.SesModel,
    "appsync-resolver": m.AppSyncResolverEventModel,
    "kafka-msk": m.KafkaMskEventModel,
    "kafka-self-managed": m.KafkaSelfManagedEventModel,
    "cognito-define-auth-challenge": m.CognitoDefineAuthChallengeTriggerModel,
    "cognito-create-auth-challenge": m.CognitoCreateAuthChallengeTriggerModel,
    "cognito-verify-auth-challenge": m.CognitoVerifyAuthChallengeTriggerModel,
    "bedrock-agent-api": m.BedrockAgentEventModel,
    "bedrock-agent-function": m.BedrockAgentFunctionEventModel,
    "sqs-s3-notification": m.S3SqsEventNotificationModel,
    "apigateway-http-api-iam": m.APIGatewayProxyEventV2Model,
    "lambda-function-url-iam": m.LambdaFunctionUrlModel,
    "vpc-lattice-request-v1": m.VpcLatticeModel,
    "appsync-batch-resolver": TypeAdapter(list[m.AppSyncResolverEventModel]),
    "appsync-events-publish": m.AppSyncEventsModel,
    "appsync-events-subscribe": m.AppSyncEventsModel,
    "eventbridge-s3-object-deleted": m.S3EventNotificationEventBridgeModel,
    "eventbridge-s3-object-expired": m.S3EventNotificationEventBridgeModel,
    "eventbridge-s3-restore-completed": m.S3EventNotificationEventBridgeModel,
    "sqs-sns-notification": m.SqsModel,
    "sqs-dlq-redrive": m.SqsModel,
    "dynamodb-tumbling-window": m.DynamoDBStreamModel,
    "kinesis-tumbling-window": m.KinesisDataStreamModel,
    "kinesis-cloudwatch-logs": m.KinesisDataStreamModel,
    "firehose-kinesis-source": m.KinesisFirehoseModel,
    "firehose-cloudwatch-logs": m.KinesisFirehoseModel,
    "cognito-custom-email-sender": m.CognitoCustomEmailSenderTriggerModel,
    "cognito-custom-sms-sender": m.CognitoCustomSMSSenderTriggerModel,
    "cognito-user-migration": m.CognitoMigrateUserTriggerModel,
    "transfer-family-idp": m.TransferFamilyAuthorizer,
    "bedrock-agent-api-get": m.BedrockAgentEventModel,
    "batch-job-state-change": m.EventBridgeModel,
}
SCHEMAS = {**OLD_SCHEMAS, **SCHEMAS_MORE}

NAMES = [t.name for t in list_templates()]

# What issue #4 asks the catalog to cover, at least.
REQUIRED = [
    "s3-object-created",
    "s3-object-removed",
    "s3-restore-completed",
    "s3-batch-operations",
    "apigateway-rest-proxy",
    "apigateway-http-api",
    "apigateway-token-authorizer",
    "apigateway-request-authorizer",
    "apigateway-websocket-connect",
    "apigateway-websocket-message",
    "alb-request",
    "lambda-function-url",
    "sqs-receive",
    "sns-notification",
    "dynamodb-insert",
    "dynamodb-modify",
    "dynamodb-remove",
    "kinesis-records",
    "firehose-transformation",
    "eventbridge-scheduled",
    "eventbridge-custom",
    "eventbridge-s3-object-created",
    "cloudwatch-logs-subscription",
    "cognito-pre-sign-up",
    "cognito-post-confirmation",
    "cognito-pre-token-generation",
    "cognito-custom-message",
    "cloudformation-create",
    "cloudformation-update",
    "cloudformation-delete",
    "ses-receipt",
    "iot-rule",
    "appsync-resolver",
    "mq-activemq",
    "mq-rabbitmq",
    "kafka-msk",
    "kafka-self-managed",
    "config-rule-change",
    "codepipeline-job",
    "secretsmanager-rotation",
    "s3-object-lambda-get",
]


# What issue #16 asks for first (the ones developers meet today), and SAM's remaining ones.
REQUIRED_16 = [
    "appsync-authorizer",
    "appsync-batch-resolver",
    "appsync-events-publish",
    "appsync-events-subscribe",
    "apigateway-websocket-authorizer",
    "apigateway-http-api-iam",
    "lambda-function-url-iam",
    "cloudfront-origin-request",
    "cloudfront-viewer-response",
    "eventbridge-scheduler",
    "eventbridge-s3-object-deleted",
    "eventbridge-s3-object-expired",
    "eventbridge-s3-restore-completed",
    "sqs-sns-notification",
    "sqs-dlq-redrive",
    "dynamodb-tumbling-window",
    "kinesis-tumbling-window",
    "kinesis-cloudwatch-logs",
    "firehose-kinesis-source",
    "codedeploy-lifecycle-hook",
    "cognito-custom-email-sender",
    "cognito-custom-sms-sender",
    "cognito-user-migration",
    "transfer-family-idp",
    "connect-contact-flow",
    "vpc-lattice-request-v1",
    "alb-multi-value-headers",
    "cloudwatch-composite-alarm",
    "cloudwatch-dashboard-widget",
    "config-oversized-change",
    "bedrock-agent-function",
    "bedrock-agent-api",
    "bedrock-agent-api-get",
    "iot-registry-thing",
    "iot-registry-thing-group-membership",
    "alexa-launch",
    "alexa-intent",
    "alexa-session-ended",
    "lex-v1",
    "lex-v2",
    "batch-job-state-change",
    "sagemaker-ground-truth-pre-human",
    "sagemaker-ground-truth-consolidation",
    "stepfunctions-error",
    "workmail-email",
    "kinesis-analytics-preprocessing",
]


def test_catalog_is_broad_enough():
    services = {t.service for t in list_templates()}
    assert len(NAMES) >= 100, len(NAMES)
    assert len(services) >= 35, services
    assert not set(REQUIRED) - set(NAMES)
    assert not set(REQUIRED_16) - set(NAMES)


def test_index_and_files_agree():
    folder = data_path("sample_events")
    files = {p.stem for p in folder.glob("*.json")} - {"index", "sam"}
    assert files == set(NAMES)
    index = json.loads((folder / "index.json").read_text())
    entries = index["templates"]
    assert len(entries) == len({e["name"] for e in entries}), "duplicate names in the index"
    for entry in entries:
        assert entry["title"] and entry["description"] and entry["service"]
        assert entry["service"] in index["services"], f"{entry['service']} has no display name"
        for param in entry["parameters"]:
            assert param["description"], (entry["name"], param["name"])


@pytest.mark.parametrize("name", NAMES)
def test_every_template_says_what_sends_it_and_which_aws_page_it_follows(name):
    info = get_template(name)
    assert len(info.trigger) > 10, "say which trigger sends this event"
    # AWS's own documentation (Alexa's lives on Amazon's developer site).
    assert re.fullmatch(
        r"https://(docs\.aws\.amazon\.com|developer\.amazon\.com)/[\w./#-]+\.html(#[\w-]+)?",
        info.docs,
    ), info.docs
    assert info.service_title and info.service_title != info.service


def test_services_group_the_catalog_by_display_name():
    groups = list_services()
    titles = [g.title for g in groups]
    assert titles == sorted(titles, key=str.lower)
    assert sum(len(g.templates) for g in groups) == len(NAMES)
    s3 = next(g for g in groups if g.id == "s3")
    assert s3.title == "Amazon S3"
    assert {t.service for t in s3.templates} == {"s3"}


def test_every_template_is_checked_by_a_model_or_a_schema():
    assert set(NAMES) == set(MODELS) | set(SCHEMAS)
    assert not set(MODELS) & set(SCHEMAS)
    assert set(EXTRA_SCHEMAS) <= set(MODELS)


@pytest.mark.parametrize("name", NAMES)
def test_template_generates_a_valid_event(name):
    check_event(name, generate_event(name))


def check_event(name, event):
    """Fail unless `event` (from template `name`) matches AWS's shape for it."""
    assert "{{" not in json.dumps(event), "a placeholder was left unfilled"
    if name in SCHEMAS:
        jsonschema.validate(event, SCHEMAS[name])
        return
    if name in EXTRA_SCHEMAS:
        jsonschema.validate(event, EXTRA_SCHEMAS[name])
    if isinstance(MODELS[name], TypeAdapter):
        MODELS[name].validate_python(event)
        return
    if name == "cognito-pre-token-generation-v2":
        # AWS documents request.scopes as a list of strings; Powertools' Python model
        # (3.x) types it as a dict, so it is checked here and left out of the model.
        scopes = event["request"].pop("scopes")
        assert isinstance(scopes, list) and all(isinstance(s, str) for s in scopes)
    MODELS[name].model_validate(event)


@pytest.mark.parametrize("name", NAMES)
def test_ids_are_fresh_each_time(name):
    first, second = generate_event(name), generate_event(name)
    # AWS sends these with no id of their own (only the user's values and a time).
    if name not in (
        "apigateway-token-authorizer",
        "iot-rule",
        "cognito-pre-sign-up",
        "kafka-self-managed",
        "vpc-lattice-request-v1",
        "transfer-family-idp",
        "stepfunctions-error",
        "sagemaker-ground-truth-pre-human",
        "sagemaker-ground-truth-consolidation",
        "cloudwatch-composite-alarm",
        "cognito-user-migration",
        # widgetId is the widget's place on the user's dashboard (widget-NN), not a fresh
        # id; with both calls in the same millisecond the two events can be equal (1 in 100).
        "cloudwatch-dashboard-widget",
    ):
        assert first != second
    # ...and the same seed and clock give the same event (previews, tests).
    now = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    assert generate_event(name, seed=7, now=now) == generate_event(name, seed=7, now=now)


def _close_to_now(moment: datetime) -> None:
    assert abs(datetime.now(timezone.utc) - moment) < timedelta(minutes=20)


def test_s3_times_are_iso_8601_now():
    record = generate_event("s3-object-created")["Records"][0]
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", record["eventTime"])
    _close_to_now(datetime.fromisoformat(record["eventTime"].replace("Z", "+00:00")))


def test_sqs_attributes_are_epoch_millisecond_strings_and_ids_unique():
    records = generate_event("sqs-receive")["Records"]
    assert len(records) >= 3, "several records, for partial batch failures"
    assert len({r["messageId"] for r in records}) == len(records)
    for record in records:
        sent = record["attributes"]["SentTimestamp"]
        assert isinstance(sent, str) and sent.isdigit() and len(sent) == 13
        _close_to_now(datetime.fromtimestamp(int(sent) / 1000, timezone.utc))


@pytest.mark.parametrize(
    "name, path",
    [
        ("apigateway-rest-proxy", ("requestContext", "requestTime")),
        ("apigateway-http-api", ("requestContext", "time")),
        ("lambda-function-url", ("requestContext", "time")),
        ("apigateway-websocket-message", ("requestContext", "requestTime")),
    ],
)
def test_api_gateway_request_time_format(name, path):
    event = generate_event(name)
    text = event[path[0]][path[1]]
    assert re.fullmatch(r"\d\d/[A-Z][a-z]{2}/\d{4}:\d\d:\d\d:\d\d \+0000", text), text
    _close_to_now(datetime.strptime(text, "%d/%b/%Y:%H:%M:%S %z"))
    epoch_key = "requestTimeEpoch" if "requestTimeEpoch" in event[path[0]] else "timeEpoch"
    epoch = event[path[0]][epoch_key]
    assert abs(epoch / 1000 - datetime.strptime(text, "%d/%b/%Y:%H:%M:%S %z").timestamp()) < 1


def test_kinesis_records_have_distinct_sequence_numbers_matching_their_event_ids():
    records = generate_event("kinesis-records", {"records": ["a", "b", "c"]})["Records"]
    sequences = [r["kinesis"]["sequenceNumber"] for r in records]
    assert len(set(sequences)) == 3
    for record, sequence in zip(records, sequences, strict=True):
        assert record["eventID"].endswith(f":{sequence}")
