"""Execution roles for new functions: list the ones Lambda can assume, or create a basic one."""

from __future__ import annotations

import json
from typing import Any

from workbench.core.deploy.aws import AwsConnection, call
from workbench.core.progress import NullSink, Sink

TRUST_POLICY = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "lambda.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def role_name_for(function_name: str) -> str:
    # IAM role names are at most 64 characters.
    return f"lambda-workbench-{function_name}"[:59] + "-role"


def _trusts_lambda(document: Any) -> bool:
    if isinstance(document, str):  # some endpoints return the policy URL-encoded JSON text
        from urllib.parse import unquote

        try:
            document = json.loads(unquote(document))
        except ValueError:
            return False
    statements = document.get("Statement", []) if isinstance(document, dict) else []
    if isinstance(statements, dict):
        statements = [statements]
    for statement in statements:
        principal = statement.get("Principal", {}) if isinstance(statement, dict) else {}
        services = principal.get("Service", []) if isinstance(principal, dict) else []
        if isinstance(services, str):
            services = [services]
        if statement.get("Effect") == "Allow" and "lambda.amazonaws.com" in services:
            return True
    return False


def lambda_roles(conn: AwsConnection) -> list[tuple[str, str]]:
    """(name, arn) of every role in the account whose trust policy lets Lambda assume it."""
    iam = conn.client("iam")
    roles: list[tuple[str, str]] = []
    paginator = iam.get_paginator("list_roles")
    pages = call("list the account's IAM roles", lambda: list(paginator.paginate()))
    for page in pages:
        for role in page.get("Roles", []):
            if _trusts_lambda(role.get("AssumeRolePolicyDocument", {})):
                roles.append((role["RoleName"], role["Arn"]))
    return sorted(roles)


def ensure_basic_role(
    conn: AwsConnection, function_name: str, sink: Sink | None = None
) -> tuple[str, bool]:
    """(arn, created) of `lambda-workbench-<name>-role` with AWSLambdaBasicExecutionRole."""
    sink = sink or NullSink()
    iam = conn.client("iam")
    name = role_name_for(function_name)
    try:
        existing = iam.get_role(RoleName=name)
        return existing["Role"]["Arn"], False
    except iam.exceptions.NoSuchEntityException:
        pass
    except Exception as error:  # credentials / permissions: say so
        from workbench.core.deploy.aws import explain

        raise explain(error, f"look up IAM role {name}") from error
    sink.progress(f"Creating execution role {name}")
    role = call(
        f"create IAM role {name}",
        iam.create_role,
        RoleName=name,
        AssumeRolePolicyDocument=json.dumps(TRUST_POLICY),
        Description="Execution role created by Lambda Workbench (CloudWatch Logs only).",
    )
    policy = f"arn:{conn.partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
    call(
        f"attach AWSLambdaBasicExecutionRole to {name}",
        iam.attach_role_policy,
        RoleName=name,
        PolicyArn=policy,
    )
    return role["Role"]["Arn"], True
