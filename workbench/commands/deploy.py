"""`lambda-workbench deploy PATH ...`: create or update the function on AWS."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbench.commands import function_from_args, load_settings
from workbench.commands.package import StderrSink, build
from workbench.core.deploy.aws import check_endpoint_url, connect
from workbench.core.deploy.deployer import DeployPlan, DeployResult, apply_deploy, plan_deploy
from workbench.core.errors import WorkbenchError
from workbench.core.function import validate_limits
from workbench.core.progress import CancelToken


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "deploy", help="create or update the function on AWS",
        description="Package the function and create or update it on AWS. Only what "
        "changed is sent; you confirm account, region and changes first.",
    )  # fmt: skip
    parser.add_argument("path", type=Path, help="function folder or project (folder or SAM)")
    parser.add_argument("--function", dest="function", help="function name in the project")
    parser.add_argument("--profile", help="AWS profile (default: setting aws_profile)")
    parser.add_argument("--region", help="AWS region (default: setting aws_region)")
    parser.add_argument("--endpoint-url", help="AWS endpoint (LocalStack, moto)")
    parser.add_argument("--role", help="execution role ARN for a new function")
    parser.add_argument("--publish", action="store_true", help="publish a numbered version")
    parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    parser.add_argument("--output", choices=("text", "json"), default="text")


def describe(plan: DeployPlan) -> str:
    lines = [plan.summary()]
    lines += [f"  - {change.sentence()}" for change in plan.changes]
    lines += [f"Note: {note}" for note in plan.notes]
    return "\n".join(lines)


def confirm(plan: DeployPlan, assume_yes: bool) -> bool:
    if assume_yes:
        return True
    if not sys.stdin.isatty():
        raise WorkbenchError(
            "Deploy needs confirmation but there is no terminal to ask on; "
            "run it again with --yes to deploy without asking."
        )
    print(describe(plan), file=sys.stderr)
    answer = input("Deploy? [y/N] ").strip().lower()
    return answer in ("y", "yes")


def print_result(result: DeployResult, output: str) -> None:
    if output == "json":
        print(json.dumps(result.to_json_dict(), indent=2))
        return
    print(f"{result.action.capitalize()} {result.function_name} "
          f"(account {result.account}, region {result.region})")  # fmt: skip
    print(f"  ARN:        {result.function_arn}")
    print(f"  Version:    {result.version}")
    print(f"  CodeSha256: {result.code_sha256}")
    if result.role_created:
        print(f"  Created execution role {result.role_arn}")
    for change in result.changes:
        print(f"  changed {change.sentence()}")


def run(args: argparse.Namespace) -> int:
    settings = load_settings()
    sink = StderrSink(quiet=args.output == "json")
    cancel = CancelToken()
    endpoint_url = args.endpoint_url or settings.get("aws_endpoint_url") or None
    check_endpoint_url(endpoint_url)
    function = function_from_args(args.path, args.function)
    problems = validate_limits(function)
    if problems:
        raise WorkbenchError(" ".join(problems))
    sink.progress(f"Checking your AWS credentials with {endpoint_url or 'AWS'}...")
    conn = connect(
        profile=args.profile or settings.get("aws_profile") or None,
        region=args.region or settings.get("aws_region") or None,
        endpoint_url=endpoint_url,
    )
    sink.progress(f"Deploying as {conn.caller_arn} (account {conn.account}, {conn.region})")
    package = build(function, cancel, sink)
    plan = plan_deploy(conn, function, package)
    for note in plan.notes:
        print(f"lambda-workbench: note: {note}", file=sys.stderr)
    # Publishing an unchanged function still creates a version, so it is confirmed too.
    if (plan.action != "none" or args.publish) and not confirm(plan, args.yes):
        print("Deploy cancelled; nothing was changed.", file=sys.stderr)
        return 2
    result = apply_deploy(
        conn, plan, package, role_arn=args.role, publish=args.publish,
        s3_bucket=settings.get("deploy_s3_bucket") or None, cancel=cancel, sink=sink,
    )  # fmt: skip
    print_result(result, args.output)
    return 0
