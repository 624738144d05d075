"""SAM CLI's `sam local generate-event` events and their options with SAM's defaults.

Written down from SAM CLI's event-mapping.json (68 events over 26 services), so the tests can
check that every one of them, with every option, works here too.
"""

from __future__ import annotations

ACC = {"account-id": "123456789012", "partition": "aws", "region": "us-east-1"}
ALEXA = {
    "session-id": "123456789012",
    "user-id": "testUser",
    "application-id": "987654321",
    "request-id": "1234",
}
CF = {"uri": "/test", "method": "GET"}
B64 = "SGVsbG8sIHRoaXMgaXMgYSB0ZXN0IDEyMy4="
KDA = {**ACC, "application": "example-application", "stream": "example-stream"}
SEQ = "49545115243490985018280067714973144582180062593244200961"

SAM_EVENTS: dict[str, dict[str, dict[str, str]]] = {
    "alexa-skills-kit": {
        e: dict(ALEXA)
        for e in (
            "end-session",
            "intent-answer",
            "intent-getnewfact",
            "intent-mycoloris",
            "intent-recipe",
            "start-session",
        )
    },
    "alexa-smart-home": {
        "smart-home-control-turn-off-request": {},
        "smart-home-control-turn-on-request": {},
        "smart-home-discovery-request": {},
    },
    "alb": {
        "request": {
            "body": '{"test":"body"}',
            "method": "POST",
            "path": "path/to/resource",
            "account-id": "123456789012",
            "dns-suffix": "us-east-2.elb.amazonaws.com",
        }
    },
    "apigateway": {
        "authorizer": {
            **ACC,
            "stage": "prod",
            "method": "POST",
            "resource": "{proxy+}",
            "restApiId": "example",
        },
        "request-authorizer": {
            **ACC,
            "stage": "test",
            "method": "GET",
            "resource": "request",
            "restApiId": "abcdef123",
        },
        "aws-proxy": {
            "body": '{"test":"body"}',
            "stage": "prod",
            "method": "POST",
            "resource": "/{proxy+}",
            "path": "path/to/resource",
            "account-id": "123456789012",
            "dns-suffix": "us-east-1.amazonaws.com",
        },
        "http-api-proxy": {
            "body": '{"test":"body"}',
            "stage": "$default",
            "method": "POST",
            "path": "path/to/resource",
            "account-id": "123456789012",
            "dns-suffix": "us-east-1.amazonaws.com",
        },
    },
    "appsync": {"resolver": {}},
    "batch": {"get-job": {}, "submit-job": {}},
    "cloudformation": {"create-request": {**ACC, "stack": "MyStack"}},
    "cloudfront": {
        "ab-test": CF,
        "access-request-in-response": CF,
        "http-redirect": CF,
        "modify-querystring": CF,
        "modify-response-header": {},
        "multiple-remote-calls-aggregate-response": {
            "uri": "/forecast/Seattle:NewYork:Chicago:SanFrancisco",
            "method": "GET",
        },
        "normalize-querystring-to-improve-cache-hit": CF,
        "redirect-on-viewer-country": CF,
        "redirect-unauthenticated-users": CF,
        "response-generation": CF,
        "serve-object-on-viewer-device": CF,
        "simple-remote-call": CF,
    },
    "codecommit": {
        "repository": {
            **ACC,
            "repository": "my-repo",
            "trigger": "my-trigger",
            "custom-data": "this is custom data",
        }
    },
    "codepipeline": {
        "job": {
            "account-id": "123456789012",
            "input-bucket": "example-bucket",
            "input-key": "test/key",
            "output-bucket": "example-bucket2",
            "output-key": "test/key2",
        }
    },
    "cognito": {"sync-trigger": {"region": "us-east-1"}},
    "config": {
        "item-change-notification": dict(ACC),
        "oversized-item-change-notification": dict(ACC),
        "periodic-rule": dict(ACC),
    },
    "connect": {
        "contact-flow-event": {
            **ACC,
            "contact-id": "5ca32fbd-8f92-46af-92a5-6b0f970f0efe",
            "phone-number": "+11234567890",
        }
    },
    "dynamodb": {"update": {**ACC, "table": "ExampleTableWithStream"}},
    "cloudwatch": {"logs": {}, "scheduled-event": {**ACC, "rule": "ExampleRule"}},
    "kinesis": {
        "get-records": {
            "region": "us-east-1",
            "partition": "aws",
            "sequence": SEQ,
            "data": "Hello, this is a test 123.",
            "partition-key": "partitionKey-03",
        },
        "kinesis-firehose": {"partition": "aws", "region": "us-east-1", "data": B64},
        "analytics": {**KDA, "data": "This is a test from Kinesis Analytics"},
        "analytics-compressed": {
            **KDA,
            "data": "H4sIAAAAAAAA/6vmUspLzE1VslLKTsxNzFHS4VJKTEkpSi0uBgol5SRmKHHVAgDd1tysJAAAAA==",
        },
        "analytics-dynamodb": {
            **KDA,
            "data": '{"ROWTIME_TIMESTAMP":"2017-12-15 01:09:50.000",'
            '"VEHICLEID":"5","VEHICLECOUNT":18}',
        },
        "analytics-kpl": dict(KDA),
        "apachelog": {
            "region": "us-east-1",
            "data": "NjQuMjQyLjg4LjEwIC0gLSBbMDcvTWFyLzIwMDQ6MTY6MTA6MDIgLTA4MDBdICJHRVQg"
            "L21haWxtYW4vbGlzdGluZm8vaHNkaXZpc2lvbiBIVFRQLzEuMSIgMjAwIDYyOTE==",
        },
        "cloudwatch-logs-processor": dict(ACC),
        "streams-as-source": {
            "partition": "aws",
            "region": "us-east-1",
            "partition-key": "partitionKey-03",
            "data": B64,
            "sequence": SEQ,
        },
        "syslog": {"region": "us-east-1", "data": B64},
    },
    "lex": {"book-car": {}, "book-hotel": {}, "make-appointment": {}, "order-flowers": {}},
    "lex-v2": {"banking-bot": {}, "book-car": {}, "book-hotel": {}},
    "rekognition": {
        "s3-request": {
            "region": "us-east-1",
            "partition": "aws",
            "bucket": "example-bucket",
            "key": "test/key",
        }
    },
    "s3": {
        "batch-invocation": {"bucket-arn": "arn:aws:s3:::examplebucket", "key": "test/key"},
        "delete": {
            "region": "us-east-1",
            "partition": "aws",
            "bucket": "example-bucket",
            "key": "test/key",
        },
        "put": {
            "region": "us-east-1",
            "partition": "aws",
            "bucket": "example-bucket",
            "key": "test/key",
        },
    },
    "sagemaker": {
        "ground-truth-pre-human": {
            **ACC,
            "source-ref": "s3://sagemakerexample/object_to_annotate.jpg",
            "labeling-job-name": "example-job",
        },
        "ground-truth-annotation-consolidation": {
            **ACC,
            "labeling-job-name": "example-job",
            "label-attribute-name": "example-attribute",
            "s3-output-path": "s3://sagemakerexample/output",
            "execution-role": "sagemaker-role",
            "iteration-object-timestamp": "iteration-1/0/2019-09-06_18:35:03",
        },
    },
    "ses": {"email-receiving": {**ACC, "dns-suffix": "us-east-1.amazonaws.com"}},
    "sns": {
        "notification": {
            **ACC,
            "topic": "ExampleTopic",
            "subject": "example subject",
            "message": "example message",
        }
    },
    "sqs": {
        "receive-message": {
            "partition": "aws",
            "region": "us-east-1",
            "account-id": "123456789012",
            "queue-name": "MyQueue",
            "body": "Hello from SQS!",
        }
    },
    "stepfunctions": {"error": {"error": "ErrorName", "cause": "This is the cause of the error."}},
    "workmail": {
        "email": {
            "flow-direction": "INBOUND",
            "mail-from": "from@example.com",
            "sender": "sender@example.com",
        }
    },
}
