"""JSON Schemas (from AWS's documentation) for the newer templates Powertools has no model for."""

from __future__ import annotations

from typing import Any

from tests.unit.events.event_schemas import (
    ANY_STR,
    B64,
    CF_CONFIG,
    CF_HEADERS,
    CF_REQUEST,
    CONFIG_RULE,
    EPOCH_MS,
    INT,
    ISO_OFFSET,
    ISO_Z,
    LISTS_OF_TEXT,
    STR,
    arn,
    obj,
    records,
)

BOOL = {"type": "boolean"}
OBJECT = {"type": "object"}
ACCOUNT = {"type": "string", "pattern": r"^\d{12}$"}
ALEXA_BASE = obj(
    version={"const": "1.0"},
    session=obj(
        new=BOOL,
        sessionId={"pattern": r"^amzn1\.echo-api\.session\."},
        application=obj(applicationId=STR),
        user=obj(userId=STR),
    ),
    context=obj(System=obj(application=OBJECT, user=OBJECT, device=obj(deviceId=STR))),
    request=obj(
        type={"enum": ["LaunchRequest", "IntentRequest", "SessionEndedRequest"]},
        requestId={"pattern": r"^amzn1\.echo-api\.request\."},
        timestamp=ISO_Z,
        locale=STR,
    ),
)
SMART_HOME = obj(
    directive=obj(
        header=obj(namespace=STR, name=STR, payloadVersion={"const": "3"}, messageId=STR),
        payload=OBJECT,
    )
)
TUMBLING = obj(
    window=obj(start=ISO_Z, end=ISO_Z),
    state=OBJECT,
    shardId=STR,
    eventSourceARN=STR,
    isFinalInvokeForWindow=BOOL,
    isWindowTerminatedEarly=BOOL,
)
KDA_ARN = arn("kinesisanalytics")
DESTINATION = obj(
    version={"const": "1.0"},
    timestamp=ISO_Z,
    requestContext=obj(
        requestId=STR,
        functionArn=arn("lambda"),
        condition={"enum": ["Success", "RetriesExhausted", "EventAgeExceeded"]},
        approximateInvokeCount=INT,
    ),
    requestPayload={},
    responseContext=obj(statusCode=INT, executedVersion=STR),
    responsePayload={},
)
LEX_V2_SLOT = obj(shape={"const": "Scalar"}, value=obj(originalValue=STR, interpretedValue=STR))

SCHEMAS_MORE: dict[str, dict[str, Any]] = {
    "apigateway-websocket-authorizer": obj(
        type={"const": "REQUEST"},
        methodArn={"pattern": r"^arn:aws:execute-api:.+/\$connect$"},
        headers=OBJECT,
        multiValueHeaders=LISTS_OF_TEXT,
        queryStringParameters=OBJECT,
        requestContext=obj(
            routeKey={"const": "$connect"},
            eventType={"const": "CONNECT"},
            connectionId=STR,
            apiId=STR,
            stage=STR,
            identity=obj(sourceIp=STR),
        ),
    ),
    "alb-multi-value-headers": obj(
        requestContext=obj(elb=obj(targetGroupArn=arn("elasticloadbalancing"))),
        httpMethod=STR,
        path=STR,
        multiValueHeaders=LISTS_OF_TEXT,
        multiValueQueryStringParameters=LISTS_OF_TEXT,
        body=ANY_STR,
        isBase64Encoded=BOOL,
    ),
    "cloudfront-origin-request": records(
        obj(
            cf=obj(
                config=CF_CONFIG,
                request={
                    **CF_REQUEST,
                    "required": [*CF_REQUEST["required"], "origin"],
                    "properties": {
                        **CF_REQUEST["properties"],
                        "origin": obj(s3=obj(domainName=STR, authMethod=STR, path=ANY_STR)),
                    },
                },
            )
        )
    ),
    "cloudfront-origin-request-custom": records(
        obj(
            cf=obj(
                config=CF_CONFIG,
                request={
                    **CF_REQUEST,
                    "required": [*CF_REQUEST["required"], "origin"],
                    "properties": {
                        **CF_REQUEST["properties"],
                        "origin": obj(
                            custom=obj(
                                customHeaders=CF_HEADERS,
                                domainName=STR,
                                port=INT,
                                protocol={"enum": ["http", "https"]},
                                readTimeout=INT,
                                keepaliveTimeout=INT,
                                sslProtocols={"type": "array"},
                                path=ANY_STR,
                            )
                        ),
                    },
                },
            )
        )
    ),
    "cloudfront-viewer-request-body": records(
        obj(
            cf=obj(
                config=CF_CONFIG,
                request={
                    **CF_REQUEST,
                    "required": [*CF_REQUEST["required"], "body"],
                    "properties": {
                        **CF_REQUEST["properties"],
                        "body": obj(
                            action={"enum": ["read-only", "replace"]},
                            data=B64,
                            encoding={"enum": ["base64", "text"]},
                            inputTruncated=BOOL,
                        ),
                    },
                },
            )
        )
    ),
    "cloudfront-viewer-response": records(
        obj(
            cf=obj(
                config=CF_CONFIG,
                request=CF_REQUEST,
                response=obj(headers=CF_HEADERS, status=STR, statusDescription=ANY_STR),
            )
        )
    ),
    "appsync-authorizer": obj(
        authorizationToken=STR,
        requestContext=obj(
            apiId=STR, accountId=ACCOUNT, requestId=STR, queryString=STR, variables=OBJECT
        ),
        requestHeaders=OBJECT,
    ),
    "eventbridge-scheduler": obj(
        scheduleArn=arn("scheduler"),
        scheduledTime=ISO_Z,
        executionId=STR,
        attemptNumber={"pattern": r"^\d+$"},
    ),
    "codedeploy-lifecycle-hook": obj(
        DeploymentId={"pattern": r"^d-[A-Z0-9]{9}$"}, LifecycleEventHookExecutionId=STR
    ),
    "connect-contact-flow": obj(
        Name={"const": "ContactFlowEvent"},
        Details=obj(
            ContactData=obj(
                Attributes=OBJECT,
                Channel={"enum": ["VOICE", "CHAT", "TASK"]},
                ContactId=STR,
                CustomerEndpoint=obj(Address=STR, Type=STR),
                InitialContactId=STR,
                InitiationMethod=STR,
                InstanceARN=arn("connect"),
                SystemEndpoint=obj(Address=STR, Type=STR),
            ),
            Parameters=OBJECT,
        ),
    ),
    "cloudwatch-composite-alarm": obj(
        source={"const": "aws.cloudwatch"},
        alarmArn=arn("cloudwatch"),
        accountId=ACCOUNT,
        time=ISO_OFFSET,
        region=STR,
        alarmData=obj(
            alarmName=STR,
            state=obj(value=STR, reason=STR, reasonData=STR, timestamp=ISO_OFFSET),
            previousState=obj(value=STR, reason=STR, timestamp=ISO_OFFSET),
            configuration=obj(alarmRule={"pattern": r"^ALARM\(.+\)"}),
        ),
    ),
    "cloudwatch-dashboard-widget": obj(
        widgetContext=obj(
            dashboardName=STR,
            widgetId=STR,
            accountId=ACCOUNT,
            locale=STR,
            timezone=obj(label=STR, offsetISO=STR, offsetInMinutes=INT),
            period=INT,
            timeRange=obj(mode=STR, start=EPOCH_MS, end=EPOCH_MS),
            theme={"enum": ["light", "dark"]},
            params=OBJECT,
            width=INT,
            height=INT,
        )
    ),
    "config-oversized-change": CONFIG_RULE,
    "iot-registry-thing": obj(
        eventType={"const": "THING_EVENT"},
        eventId=STR,
        timestamp=EPOCH_MS,
        operation={"enum": ["CREATED", "UPDATED", "DELETED"]},
        accountId=ACCOUNT,
        thingId=STR,
        thingName=STR,
        versionNumber=INT,
        attributes=OBJECT,
    ),
    "iot-registry-thing-group-membership": obj(
        eventType={"const": "THING_GROUP_MEMBERSHIP_EVENT"},
        eventId=STR,
        timestamp=EPOCH_MS,
        operation={"enum": ["ADDED", "REMOVED"]},
        accountId=ACCOUNT,
        groupArn=arn("iot"),
        thingArn=arn("iot"),
        membershipId=STR,
    ),
    "alexa-launch": ALEXA_BASE,
    "alexa-intent": {
        **ALEXA_BASE,
        "properties": {
            **ALEXA_BASE["properties"],
            "request": obj(intent=obj(name=STR, confirmationStatus=STR, slots=OBJECT)),
        },
    },
    "alexa-session-ended": {
        **ALEXA_BASE,
        "properties": {**ALEXA_BASE["properties"], "request": obj(reason=STR)},
    },
    "alexa-smart-home-discovery": SMART_HOME,
    "alexa-smart-home-power": obj(
        directive=obj(
            header=obj(
                namespace={"const": "Alexa.PowerController"}, name=STR, correlationToken=STR
            ),
            endpoint=obj(scope=obj(type=STR, token=STR), endpointId=STR),
            payload=OBJECT,
        )
    ),
    "lex-v1": obj(
        messageVersion={"const": "1.0"},
        invocationSource={"enum": ["DialogCodeHook", "FulfillmentCodeHook"]},
        userId=STR,
        bot=obj(name=STR, alias=STR, version=STR),
        outputDialogMode=STR,
        currentIntent=obj(
            name=STR,
            slots={"type": "object", "additionalProperties": ANY_STR},
            slotDetails=OBJECT,
            confirmationStatus=STR,
        ),
        inputTranscript=ANY_STR,
        sessionAttributes=OBJECT,
    ),
    "lex-v2": obj(
        messageVersion={"const": "1.0"},
        invocationSource={"enum": ["DialogCodeHook", "FulfillmentCodeHook"]},
        inputMode={"enum": ["DTMF", "Speech", "Text"]},
        sessionId=STR,
        bot=obj(id=STR, name=STR, aliasId=STR, localeId=STR, version=STR),
        interpretations={"type": "array", "minItems": 1},
        sessionState=obj(
            sessionAttributes=OBJECT,
            intent=obj(
                name=STR,
                slots={"type": "object", "additionalProperties": LEX_V2_SLOT},
                state=STR,
                confirmationState=STR,
            ),
        ),
    ),
    "sagemaker-ground-truth-pre-human": obj(
        version={"const": "2018-10-16"},
        labelingJobArn=arn("sagemaker"),
        dataObject=obj(**{"source-ref": {"pattern": "^s3://"}}),
    ),
    "sagemaker-ground-truth-consolidation": obj(
        version={"const": "2018-10-16"},
        labelingJobArn=arn("sagemaker"),
        payload=obj(s3Uri={"pattern": "^s3://"}),
        labelAttributeName=STR,
        roleArn=arn("iam"),
        outputConfig={"pattern": "^s3://"},
    ),
    "stepfunctions-error": obj(Error=STR, Cause=ANY_STR),
    "workmail-email": obj(
        summaryVersion={"const": "2019-07-28"},
        envelope=obj(mailFrom=obj(address=STR), recipients={"type": "array", "minItems": 1}),
        sender=obj(address=STR),
        subject=ANY_STR,
        messageId=STR,
        invocationId=STR,
        flowDirection={"enum": ["INBOUND", "OUTBOUND"]},
        truncated=BOOL,
    ),
    "kinesis-analytics-preprocessing": obj(
        invocationId=STR,
        applicationArn=KDA_ARN,
        streamArn=arn("kinesis"),
        records={
            "type": "array",
            "items": obj(
                recordId=STR,
                kinesisStreamRecordMetadata=obj(
                    sequenceNumber=STR,
                    partitionKey=STR,
                    shardId=STR,
                    approximateArrivalTimestamp=INT,
                ),
                data=B64,
            ),
        },
    ),
    "kinesis-analytics-output": obj(
        invocationId=STR,
        applicationArn=KDA_ARN,
        records={
            "type": "array",
            "items": obj(recordId=STR, lambdaDeliveryRecordMetadata=obj(retryHint=INT), data=B64),
        },
    ),
    "cognito-sync-trigger": obj(
        version={"const": 2},
        eventType={"const": "SyncTrigger"},
        region=STR,
        identityPoolId=STR,
        identityId=STR,
        datasetName=STR,
        datasetRecords={
            "type": "object",
            "additionalProperties": obj(
                oldValue={}, newValue={}, op={"enum": ["replace", "remove"]}
            ),
        },
    ),
    "lambda-destination-failure": DESTINATION,
    "lambda-destination-success": DESTINATION,
    "documentdb-change-stream": obj(
        eventSourceArn=arn("rds"),
        eventSource={"const": "aws:docdb"},
        events={
            "type": "array",
            "minItems": 1,
            "items": obj(
                event=obj(
                    _id=obj(_data=STR),
                    clusterTime=OBJECT,
                    documentKey=OBJECT,
                    fullDocument=OBJECT,
                    ns=obj(db=STR, coll=STR),
                    operationType={"const": "insert"},
                )
            ),
        },
    ),
}

# Checked on top of a Powertools model, for fields the model leaves out.
EXTRA_SCHEMAS: dict[str, dict[str, Any]] = {
    "dynamodb-tumbling-window": TUMBLING,
    "kinesis-tumbling-window": TUMBLING,
    "sqs-dlq-redrive": records(
        obj(attributes=obj(DeadLetterQueueSourceArn=arn("sqs"), ApproximateReceiveCount=STR))
    ),
    "firehose-kinesis-source": obj(
        sourceKinesisStreamArn=arn("kinesis"),
        records={
            "type": "array",
            "items": obj(
                kinesisRecordMetadata=obj(
                    shardId=STR, partitionKey=STR, sequenceNumber=STR, subsequenceNumber=INT
                )
            ),
        },
    ),
    "apigateway-http-api-iam": obj(
        requestContext=obj(authorizer=obj(iam=obj(accessKey=STR, userArn=arn("sts"), callerId=STR)))
    ),
    "lambda-function-url-iam": obj(
        requestContext=obj(authorizer=obj(iam=obj(accessKey=STR, userArn=arn("sts"), callerId=STR)))
    ),
}
