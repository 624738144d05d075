"""Lambda authorizers: the event API Gateway sends them and how it reads their answer."""

from __future__ import annotations

import fnmatch
import json
import re
from dataclasses import dataclass
from typing import Any

from workbench.core.http.events import (
    ACCOUNT_ID,
    REGION,
    HttpRequest,
    api_id_for,
    http_event,
    rest_event,
)
from workbench.core.http.model import Api, Authorizer, Route


@dataclass
class Verdict:
    """The authorizer's decision: `refuse` is an error name of proxy.gateway_error, or None."""

    refuse: str | None
    context: dict[str, Any] | None = None  # requestContext.authorizer for the function
    problem: str = ""


def method_arn(api: Api, request: HttpRequest) -> str:
    path = request.raw_path.lstrip("/")
    return (
        f"arn:aws:execute-api:{REGION}:{ACCOUNT_ID}:{api_id_for(api)}/{api.stage}/"
        f"{request.method}/{path}"
    )


def identity_values(authorizer: Authorizer, request: HttpRequest) -> list[str] | None:
    """The identity source values, or None when one is missing (401 without invoking)."""
    values = []
    for name in authorizer.identity_headers:
        value = request.header(name)
        if not value:
            return None
        values.append(value)
    query = dict(request.query_pairs())
    for name in authorizer.identity_queries:
        if not query.get(name):
            return None
        values.append(query[name])
    return values


def authorizer_event(
    authorizer: Authorizer,
    api: Api,
    route: Route,
    request: HttpRequest,
    path_parameters: dict[str, str],
    request_id: str,
) -> dict[str, Any] | None:
    """The event for the authorizer function, or None when the request lacks its identity."""
    values = identity_values(authorizer, request)
    if values is None:
        return None
    arn = method_arn(api, request)
    if authorizer.payload == "TOKEN":
        token = values[0]
        expression = authorizer.validation_expression
        if expression:
            try:
                if re.fullmatch(expression, token) is None:
                    return None
            except re.error:
                pass  # API Gateway refuses such a template at deploy; ignore it locally
        return {"type": "TOKEN", "authorizationToken": token, "methodArn": arn}
    if authorizer.payload == "2.0":
        event = http_event(request, api, route, path_parameters, request_id)
        event.pop("body", None)
        event.pop("isBase64Encoded", None)
        return {
            "version": "2.0",
            "type": "REQUEST",
            "routeArn": arn,
            "identitySource": values,
            **event,
        }
    event = rest_event(request, api, route, path_parameters, request_id)
    event.pop("body", None)
    event.pop("isBase64Encoded", None)
    return {"type": "REQUEST", "methodArn": arn, **event}


def _is_scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _policy_allows(document: Any, arn: str) -> str | None:
    """None when the policy allows `arn`; else "denied" (explicit) or "not_allowed"."""
    statements = document.get("Statement") if isinstance(document, dict) else None
    if isinstance(statements, dict):
        statements = [statements]
    if not isinstance(statements, list):
        raise ValueError("policyDocument has no Statement list")
    allowed = False
    for statement in statements:
        if not isinstance(statement, dict):
            raise ValueError("a Statement is not an object")
        resources = statement.get("Resource", [])
        resources = [resources] if isinstance(resources, str) else resources
        if not isinstance(resources, list):
            raise ValueError("a Statement's Resource is not a list")
        actions = statement.get("Action", [])
        actions = [actions] if isinstance(actions, str) else actions
        if not any(fnmatch.fnmatchcase("execute-api:Invoke", str(a)) for a in actions):
            continue
        if not any(fnmatch.fnmatchcase(arn, str(r)) for r in resources):
            continue
        effect = str(statement.get("Effect", ""))
        if effect == "Deny":
            return "denied"
        allowed = allowed or effect == "Allow"
    return None if allowed else "not_allowed"


def verdict(
    authorizer: Authorizer,
    payload: bytes | None,
    error: dict[str, Any] | None,
    arn: str,
) -> Verdict:
    """What API Gateway does with the authorizer's result (or its error)."""
    if error is not None:
        if error.get("errorMessage") == "Unauthorized":
            return Verdict("unauthorized")
        return Verdict(
            "authorizer_failed",
            problem=f"the authorizer {authorizer.name} failed ({error.get('errorType')}: "
            f"{error.get('errorMessage')})",
        )
    try:
        value = json.loads(payload or b"null")
    except ValueError:
        value = None
    if not isinstance(value, dict):
        return Verdict("authorizer_failed", problem=f"{authorizer.name} returned no object")
    if authorizer.is_http and authorizer.simple_responses:
        if not isinstance(value.get("isAuthorized"), bool):
            return Verdict(
                "authorizer_failed", problem=f"{authorizer.name} returned no isAuthorized boolean"
            )
        context = value.get("context") or {}
        if not value["isAuthorized"]:
            return Verdict("denied")
        return Verdict(None, {"lambda": context if isinstance(context, dict) else {}})
    try:
        refuse = _policy_allows(value.get("policyDocument"), arn)
    except ValueError as problem:
        return Verdict("authorizer_failed", problem=f"{authorizer.name}: {problem}")
    if refuse:
        return Verdict(refuse)
    context = value.get("context") or {}
    if not isinstance(context, dict) or (
        not authorizer.is_http and not all(_is_scalar(v) for v in context.values())
    ):
        return Verdict(
            "authorizer_failed",
            problem=f"{authorizer.name}: context values must be strings, numbers or booleans",
        )
    if authorizer.is_http:
        found: dict[str, Any] = {"lambda": context}
        if "principalId" in value:
            found["principalId"] = value["principalId"]
        return Verdict(None, found)
    return Verdict(
        None, {"principalId": value.get("principalId"), "integrationLatency": 0, **context}
    )
