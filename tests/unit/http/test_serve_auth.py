"""Lambda authorizers: REST TOKEN and REQUEST (IAM policy), HTTP API REQUEST (simple)."""

from __future__ import annotations

import json

from aws_lambda_powertools.utilities.parser.models import (
    APIGatewayProxyEventModel,
    APIGatewayProxyEventV2Model,
)
from aws_lambda_powertools.utilities.parser.models.apigw import (
    ApiGatewayAuthorizerRequest,
    ApiGatewayAuthorizerToken,
)
from aws_lambda_powertools.utilities.parser.models.apigwv2 import (
    ApiGatewayAuthorizerRequestV2,
)


def test_token_allow_passes_context_to_the_function(served):
    reply = served.call("GET", "/secure", headers=[("Authorization", "allow")])
    assert reply.status == 200
    event = APIGatewayProxyEventModel(**reply.event())
    authorizer = reply.event()["requestContext"]["authorizer"]
    assert authorizer["principalId"] == "user-1"
    assert authorizer["user"] == "ana" and authorizer["level"] == 3
    assert event.requestContext.resourcePath == "/secure"
    sent = json.loads(served.log[-1].authorizer_event)
    token = ApiGatewayAuthorizerToken(**sent)
    assert token.authorizationToken == "allow"
    assert token.methodArn.endswith("/dev/GET/secure")
    assert token.methodArn.startswith("arn:aws:execute-api:us-east-1:123456789012:")


def test_token_missing_is_401_without_calling_the_authorizer(served):
    reply = served.call("GET", "/secure")
    assert reply.status == 401
    assert reply.json() == {"message": "Unauthorized"}
    assert served.log[-1].authorizer_result is None


def test_token_deny_is_403_explicit_deny(served):
    reply = served.call("GET", "/secure", headers=[("Authorization", "deny")])
    assert reply.status == 403
    assert reply.json() == {
        "Message": "User is not authorized to access this resource with an explicit deny"
    }


def test_policy_for_another_resource_is_403(served):
    reply = served.call("GET", "/secure", headers=[("Authorization", "other")])
    assert reply.status == 403
    assert reply.json() == {"Message": "User is not authorized to access this resource"}


def test_authorizer_raising_unauthorized_is_401(served):
    reply = served.call("GET", "/secure", headers=[("Authorization", "unauthorized")])
    assert reply.status == 401


def test_authorizer_that_throws_is_500_and_the_server_keeps_serving(served):
    reply = served.call("GET", "/secure", headers=[("Authorization", "crash")])
    assert reply.status == 500
    assert reply.json() == {"message": None}
    assert "authorizer crashed" in served.log[-1].problem
    assert served.call("GET", "/secure", headers=[("Authorization", "allow")]).status == 200


def test_request_authorizer(served):
    reply = served.call("GET", "/keyed/5?x=1", headers=[("x-key", "k1")])
    assert reply.status == 200
    assert reply.event()["requestContext"]["authorizer"]["key"] == "k1"
    sent = ApiGatewayAuthorizerRequest(**json.loads(served.log[-1].authorizer_event))
    assert sent.type == "REQUEST"
    assert sent.pathParameters == {"id": "5"}
    assert sent.queryStringParameters == {"x": "1"}
    assert served.call("GET", "/keyed/5", headers=[("x-key", "nope")]).status == 403
    assert served.call("GET", "/keyed/5").status == 401


def test_http_api_simple_response_authorizer(served):
    reply = served.call("GET", "/v2/secure", headers=[("Authorization", "yes")])
    assert reply.status == 200
    event = APIGatewayProxyEventV2Model(**reply.event())
    assert event.requestContext.authorizer.lambda_value == {"who": "bo", "identity": ["yes"]}
    sent = ApiGatewayAuthorizerRequestV2(**json.loads(served.log[-1].authorizer_event))
    assert sent.identitySource == ["yes"]
    assert sent.routeKey == "GET /v2/secure"
    refused = served.call("GET", "/v2/secure", headers=[("Authorization", "no")])
    assert refused.status == 403 and refused.json() == {"message": "Forbidden"}
    missing = served.call("GET", "/v2/secure")
    assert missing.status == 401 and missing.json() == {"message": "Unauthorized"}


def test_authorizer_that_times_out_is_500(served):
    reply = served.call("GET", "/secure", headers=[("Authorization", "slow")])
    assert reply.status == 500
    assert "timed out" in served.log[-1].problem
    assert served.call("GET", "/secure", headers=[("Authorization", "allow")]).status == 200


def test_request_authorizer_answer_is_cached_per_identity_and_checked_per_resource(served):
    # RequestAuth has API Gateway's default TTL (300 s): the second request with the same
    # identity does not call the authorizer, but gets its context and its policy.
    first = served.call("GET", "/keyed/8", headers=[("x-key", "k1")])
    assert first.status == 200
    again = served.call("GET", "/keyed/9", headers=[("x-key", "k1")])
    assert again.status == 200
    assert served.log[-1].authorizer_event is None and served.log[-1].authorizer_result is None
    assert again.event()["requestContext"]["authorizer"]["key"] == "k1"
