"""How API Gateway reads an authorizer's IAM policy: wildcards, Deny wins, bad shapes."""

from __future__ import annotations

import json

from workbench.core.http.authorizers import verdict
from workbench.core.http.model import Authorizer

ARN = "arn:aws:execute-api:us-east-1:123456789012:abc/dev/GET/users/7"
TOKEN = Authorizer("Auth", "AuthFunction")


def policy(*statements, context=None) -> bytes:
    body = {
        "principalId": "p",
        "policyDocument": {"Version": "2012-10-17", "Statement": list(statements)},
    }
    if context is not None:
        body["context"] = context
    return json.dumps(body).encode()


def allow(resource, effect="Allow", action="execute-api:Invoke"):
    return {"Action": action, "Effect": effect, "Resource": resource}


def test_policy_for_one_resource_refuses_another():
    cached = policy(allow(ARN))
    assert verdict(TOKEN, cached, None, ARN).refuse is None
    other = ARN.replace("/users/7", "/users/8")
    assert verdict(TOKEN, cached, None, other).refuse == "not_allowed"


def test_wildcards_and_explicit_deny():
    assert verdict(TOKEN, policy(allow("arn:aws:execute-api:*:*:abc/*")), None, ARN).refuse is None
    both = policy(allow("*"), allow(ARN, "Deny"))
    assert verdict(TOKEN, both, None, ARN).refuse == "denied"
    assert verdict(TOKEN, policy(allow("*", action="execute-api:*")), None, ARN).refuse is None
    assert (
        verdict(TOKEN, policy(allow("*", action="s3:GetObject")), None, ARN).refuse == "not_allowed"
    )


def test_context_reaches_the_function_and_must_be_flat():
    found = verdict(TOKEN, policy(allow(ARN), context={"user": "ana", "n": 1}), None, ARN)
    assert found.context == {"principalId": "p", "integrationLatency": 0, "user": "ana", "n": 1}
    nested = verdict(TOKEN, policy(allow(ARN), context={"user": {"id": 1}}), None, ARN)
    assert nested.refuse == "authorizer_failed"


def test_bad_answers_are_500_and_unauthorized_is_401():
    assert verdict(TOKEN, b'"yes"', None, ARN).refuse == "authorizer_failed"
    assert verdict(TOKEN, b'{"principalId": "p"}', None, ARN).refuse == "authorizer_failed"
    error = {"errorType": "Exception", "errorMessage": "Unauthorized"}
    assert verdict(TOKEN, None, error, ARN).refuse == "unauthorized"
    simple = Authorizer("S", "F", payload="2.0", simple_responses=True)
    assert verdict(simple, b'{"isAuthorized": "yes"}', None, ARN).refuse == "authorizer_failed"
    assert verdict(simple, b'{"isAuthorized": false}', None, ARN).refuse == "denied"
