"""JSON Schemas of our own for the events Powertools has no parser model for (from AWS docs)."""

from __future__ import annotations

from typing import Any

STR = {"type": "string", "minLength": 1}
ANY_STR = {"type": "string"}
INT = {"type": "integer"}
EPOCH_MS = {"type": "integer", "minimum": 1_000_000_000_000}
B64 = {"type": "string", "pattern": r"^[A-Za-z0-9+/]*={0,2}$"}
ISO_OFFSET = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$"}
ISO_Z = {"type": "string", "pattern": r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$"}


def obj(**props: Any) -> dict[str, Any]:
    """An object requiring every listed property."""
    return {"type": "object", "required": sorted(props), "properties": props}


def arn(service: str) -> dict[str, Any]:
    return {"type": "string", "pattern": rf"^arn:aws:{service}:"}


def records(item: dict[str, Any]) -> dict[str, Any]:
    return obj(Records={"type": "array", "minItems": 1, "items": item})


CF_HEADERS = {
    "type": "object",
    "additionalProperties": {
        "type": "array",
        "items": obj(key=STR, value=ANY_STR),
    },
}
CF_CONFIG = obj(
    distributionDomainName={"type": "string", "pattern": r"\.cloudfront\.net$"},
    distributionId=STR,
    eventType={"enum": ["viewer-request", "viewer-response", "origin-request", "origin-response"]},
    requestId=STR,
)
CF_REQUEST = obj(clientIp=STR, headers=CF_HEADERS, method=STR, querystring=ANY_STR, uri=STR)
CONFIG_RULE = obj(
    version=STR,
    invokingEvent=STR,
    ruleParameters=STR,
    resultToken=STR,
    eventLeftScope={"type": "boolean"},
    executionRoleArn=arn("iam"),
    configRuleArn=arn("config"),
    configRuleName=STR,
    configRuleId=STR,
    accountId={"type": "string", "pattern": r"^\d{12}$"},
)
MQ_MESSAGE = obj(
    messageID=STR,
    messageType=STR,
    data=B64,
    destination=obj(physicalName=STR),
    timestamp=EPOCH_MS,
    redelivered={"type": "boolean"},
)
RMQ_MESSAGE = obj(
    basicProperties=obj(contentType=STR, deliveryMode=INT, messageId=STR, timestamp=STR),
    redelivered={"type": "boolean"},
    data=B64,
)

LISTS_OF_TEXT = {"type": "object", "additionalProperties": {"type": "array", "items": ANY_STR}}

SCHEMAS: dict[str, dict[str, Any]] = {
    # AWS documents v2 headers and query values as lists; Powertools' Python model
    # (3.x) still types them as plain strings, so our own schema checks this one.
    "vpc-lattice-request": obj(
        version={"const": "2.0"},
        path=STR,
        method={"enum": ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]},
        headers=LISTS_OF_TEXT,
        queryStringParameters={"anyOf": [LISTS_OF_TEXT, {"type": "null"}]},
        body=ANY_STR,
        isBase64Encoded={"type": "boolean"},
        requestContext=obj(
            serviceNetworkArn=arn("vpc-lattice"),
            serviceArn=arn("vpc-lattice"),
            targetGroupArn=arn("vpc-lattice"),
            identity=obj(sourceVpcArn=arn("ec2"), type=STR),
            region=STR,
            timeEpoch={"type": "string", "pattern": r"^\d{16}$"},
        ),
    ),
    "cloudfront-viewer-request": records(obj(cf=obj(config=CF_CONFIG, request=CF_REQUEST))),
    "cloudfront-origin-response": records(
        obj(
            cf=obj(
                config=CF_CONFIG,
                request=CF_REQUEST,
                response=obj(headers=CF_HEADERS, status=STR, statusDescription=ANY_STR),
            )
        )
    ),
    "cloudwatch-alarm-state-change": obj(
        source={"const": "aws.cloudwatch"},
        alarmArn=arn("cloudwatch"),
        accountId=STR,
        time=ISO_OFFSET,
        region=STR,
        alarmData=obj(
            alarmName=STR,
            state=obj(
                value={"enum": ["OK", "ALARM", "INSUFFICIENT_DATA"]},
                reason=STR,
                timestamp=ISO_OFFSET,
            ),
            previousState=obj(value=STR, reason=STR, timestamp=ISO_OFFSET),
            configuration=obj(metrics={"type": "array"}),
        ),
    ),
    "codecommit-push": records(
        obj(
            awsRegion=STR,
            codecommit=obj(
                references={
                    "type": "array",
                    "items": obj(commit={"pattern": "^[0-9a-f]{40}$"}, ref=STR),
                }
            ),
            eventId=STR,
            eventName=STR,
            eventSource={"const": "aws:codecommit"},
            eventSourceARN=arn("codecommit"),
            eventTime=ISO_OFFSET,
            eventTriggerName=STR,
            userIdentityARN=arn("iam"),
        )
    ),
    "codepipeline-job": obj(
        **{
            "CodePipeline.job": obj(
                id=STR,
                accountId=STR,
                data=obj(
                    actionConfiguration=obj(
                        configuration=obj(FunctionName=STR, UserParameters=ANY_STR)
                    ),
                    inputArtifacts={
                        "type": "array",
                        "items": obj(
                            location=obj(
                                s3Location=obj(bucketName=STR, objectKey=STR),
                                type={"const": "S3"},
                            ),
                            name=STR,
                        ),
                    },
                    outputArtifacts={"type": "array"},
                    artifactCredentials=obj(secretAccessKey=STR, sessionToken=STR, accessKeyId=STR),
                ),
            )
        }
    ),
    "config-rule-change": CONFIG_RULE,
    "config-rule-periodic": CONFIG_RULE,
    "iot-rule": obj(topic=STR, clientId=STR, timestamp=EPOCH_MS),
    "mq-activemq": obj(
        eventSource={"const": "aws:mq"},
        eventSourceArn=arn("mq"),
        messages={"type": "array", "minItems": 1, "items": MQ_MESSAGE},
    ),
    "mq-rabbitmq": obj(
        eventSource={"const": "aws:rmq"},
        eventSourceArn=arn("mq"),
        rmqMessagesByQueue={
            "type": "object",
            "minProperties": 1,
            "additionalProperties": {"type": "array", "items": RMQ_MESSAGE},
        },
    ),
    "secretsmanager-rotation": obj(
        Step={"enum": ["createSecret", "setSecret", "testSecret", "finishSecret"]},
        SecretId=arn("secretsmanager"),
        ClientRequestToken=STR,
    ),
}
