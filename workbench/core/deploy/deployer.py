"""Create or update a function on AWS (shared/lambda-facts.md section 8), step by step."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import botocore.exceptions as bx

from workbench.core.deploy import roles
from workbench.core.deploy.aws import AWS_ERRORS, AwsConnection, call, explain
from workbench.core.deploy.changes import (
    Change,
    configuration_changes,
    desired_configuration,
    new_function_changes,
)
from workbench.core.deploy.history import append_history
from workbench.core.deploy.package import Package
from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.progress import CancelToken, NullSink, Sink

T = TypeVar("T")
# Seconds between tries while another update holds the function (ResourceConflictException).
CONFLICT_DELAYS: Sequence[float] = (1, 2, 4, 8, 15, 30)
# A just-created role takes ~10 s before Lambda can assume it (InvalidParameterValueException).
NEW_ROLE_DELAYS: Sequence[float] = (2, 3, 5, 5, 5, 5, 5, 10)
WAIT_LIMIT_S = 600
CODE_SETTING = "code (CodeSha256)"


@dataclass
class DeployPlan:
    """What a deploy will do, shown to the user before anything changes."""

    function: FunctionConfig
    account: str
    region: str
    exists: bool
    upload_code: bool
    changes: list[Change]
    code_sha256: str
    function_arn: str | None = None
    # Sentences the user should read before confirming (nothing is blocked by them).
    notes: list[str] = field(default_factory=list)

    @property
    def function_name(self) -> str:
        return self.function.function_name

    @property
    def config_changes(self) -> list[Change]:
        return [c for c in self.changes if c.setting != CODE_SETTING]

    @property
    def action(self) -> str:
        if not self.exists:
            return "create"
        return "update" if self.changes else "none"

    def summary(self) -> str:
        head = f"account {self.account}, region {self.region}, function {self.function_name}"
        if not self.exists:
            return f"Create {self.function_name} ({head})."
        if not self.changes:
            return f"Nothing to change: {self.function_name} already matches ({head})."
        return f"Update {self.function_name} ({head}): {len(self.changes)} change(s)."


@dataclass
class DeployResult:
    action: str  # created | updated | unchanged
    function_name: str
    function_arn: str
    code_sha256: str
    version: str
    account: str
    region: str
    changes: list[Change] = field(default_factory=list)
    code_uploaded: bool = False
    role_arn: str | None = None
    role_created: bool = False

    def to_json_dict(self) -> dict[str, Any]:
        return {
            "action": self.action,
            "functionName": self.function_name,
            "functionArn": self.function_arn,
            "codeSha256": self.code_sha256,
            "version": self.version,
            "account": self.account,
            "region": self.region,
            "codeUploaded": self.code_uploaded,
            "roleArn": self.role_arn,
            "roleCreated": self.role_created,
            "changes": [c.to_json_dict() for c in self.changes],
        }


def _code(error: Exception) -> str:
    if isinstance(error, bx.ClientError):
        return str(error.response.get("Error", {}).get("Code", ""))
    return ""


def plan_deploy(conn: AwsConnection, function: FunctionConfig, package: Package) -> DeployPlan:
    """Compare the local function and package with what AWS has (read only)."""
    plan = _plan(conn, function, package)
    if function.layers:
        plan.notes.append(
            f"{len(function.layers)} local layer(s) are not deployed by the workbench yet; "
            "publish them separately (for example with sam deploy) or imports from /opt "
            "will fail on AWS."
        )
    return plan


def _plan(conn: AwsConnection, function: FunctionConfig, package: Package) -> DeployPlan:
    lam = conn.client("lambda")
    name = function.function_name
    missing = sorted(function.secret_names - function.environment.keys())
    if missing:
        # Deploying without the value would delete the variable on AWS.
        raise WorkbenchError(
            f"Secret {', '.join(missing)} of {function.name} has no stored value on this "
            "machine, so deploying would remove it from the function on AWS. Set the value "
            "again in the function's environment settings, then deploy."
        )
    try:
        current = lam.get_function(FunctionName=name)["Configuration"]
    except AWS_ERRORS as error:
        if _code(error) != "ResourceNotFoundException":
            raise explain(error, f"read function {name}", conn.profile) from error
        changes = [Change(CODE_SETTING, "(none)", package.code_sha256)]
        changes += new_function_changes(function)
        return DeployPlan(
            function, conn.account, conn.region, False, True, changes, package.code_sha256
        )
    changes = configuration_changes(function, current)
    arch_changed = any(c.setting == "architecture" for c in changes)
    code_changed = current.get("CodeSha256") != package.code_sha256
    if code_changed:
        changes.insert(0, Change(CODE_SETTING, str(current.get("CodeSha256")), package.code_sha256))
    return DeployPlan(
        function,
        conn.account,
        conn.region,
        True,
        code_changed or arch_changed,
        changes,
        package.code_sha256,
        current.get("FunctionArn"),
    )


def retry(
    action: str,
    fn: Callable[[], T],
    *,
    codes: set[str],
    delays: Sequence[float],
    cancel: CancelToken,
    sink: Sink,
    why: str,
) -> T:
    """Call fn, retrying with the given delays while AWS answers one of `codes`."""
    attempt = 0
    while True:
        try:
            return fn()
        except AWS_ERRORS as error:
            if _code(error) not in codes or attempt >= len(delays):
                raise explain(error, action) from error
            delay = delays[attempt]
            attempt += 1
            sink.progress(f"{why}; trying again in {delay:g} s (attempt {attempt + 1})")
            if cancel.wait(delay):
                cancel.raise_if_cancelled("The deploy")


def wait_for(
    conn: AwsConnection, waiter_name: str, function_name: str, cancel: CancelToken
) -> None:
    """Run a Lambda waiter in short slices so the user can cancel between them."""
    lam = conn.client("lambda")
    waiter = lam.get_waiter(waiter_name)
    rounds = max(1, WAIT_LIMIT_S // 5)
    for _ in range(rounds):
        cancel.raise_if_cancelled("The deploy")
        try:
            waiter.wait(FunctionName=function_name, WaiterConfig={"Delay": 1, "MaxAttempts": 5})
            return
        except bx.WaiterError as error:
            if "Max attempts exceeded" in str(error):
                continue
            reason = (error.last_response or {}).get("Configuration", error.last_response or {})
            detail = reason.get("StateReason") or reason.get("LastUpdateStatusReason") or error
            raise WorkbenchError(
                f"AWS reports that {function_name} failed to become ready: {detail}. "
                "Check the function in the Lambda console, fix the cause and deploy again."
            ) from error
    raise WorkbenchError(
        f"{function_name} was still not ready after {WAIT_LIMIT_S // 60} minutes; "
        "check it in the Lambda console and deploy again."
    )


def _code_args(conn: AwsConnection, plan: DeployPlan, package: Package, s3_bucket: str | None,
               sink: Sink) -> dict[str, Any]:  # fmt: skip
    if not package.needs_s3:
        return {"ZipFile": package.data}
    if not s3_bucket:
        raise WorkbenchError(
            f"The package is {package.zipped_bytes / 1048576:.1f} MB zipped, over Lambda's "
            "50 MB limit for a direct upload. Set the deploy_s3_bucket setting to an S3 bucket "
            "in the same region and deploy again."
        )
    key = f"lambda-workbench/{plan.function_name}/{package.code_sha256.replace('/', '_')}.zip"
    sink.progress(f"Uploading the package to s3://{s3_bucket}/{key}")
    s3 = conn.client("s3")
    call(f"upload the package to S3 bucket {s3_bucket}", s3.put_object,
         Bucket=s3_bucket, Key=key, Body=package.data)  # fmt: skip
    return {"S3Bucket": s3_bucket, "S3Key": key}


def apply_deploy(
    conn: AwsConnection,
    plan: DeployPlan,
    package: Package,
    *,
    role_arn: str | None = None,
    publish: bool = False,
    s3_bucket: str | None = None,
    cancel: CancelToken | None = None,
    sink: Sink | None = None,
) -> DeployResult:
    """Carry out a plan; the deploy is recorded in the function's history."""
    cancel = cancel or CancelToken()
    sink = sink or NullSink()
    if package.code_sha256 != plan.code_sha256:
        raise WorkbenchError("The package changed after the plan was made; review it again.")
    if plan.exists:
        result = _update(conn, plan, package, publish, s3_bucket, cancel, sink)
    else:
        result = _create(conn, plan, package, role_arn, publish, s3_bucket, cancel, sink)
    append_history(plan.function_name, {"account": conn.account, **result.to_json_dict()})
    sink.progress(f"Done: {result.action} {result.function_name}", 1.0)
    return result


def _create(conn: AwsConnection, plan: DeployPlan, package: Package, role_arn: str | None,
            publish: bool, s3_bucket: str | None, cancel: CancelToken,
            sink: Sink) -> DeployResult:  # fmt: skip
    function, name = plan.function, plan.function_name
    lam = conn.client("lambda")
    created_role = False
    if not role_arn:
        cancel.raise_if_cancelled("The deploy")
        sink.progress("Finding an execution role", 0.1)
        role_arn, created_role = roles.ensure_basic_role(conn, name, sink)
    code = _code_args(conn, plan, package, s3_bucket, sink)
    cancel.raise_if_cancelled("The deploy")
    sink.progress(f"Creating {name}", 0.3)
    response = retry(
        f"create function {name}",
        lambda: lam.create_function(
            FunctionName=name,
            Role=role_arn,
            Code=code,
            PackageType="Zip",
            Architectures=[function.architecture],
            Publish=publish,
            Description="Deployed by Lambda Workbench",
            **desired_configuration(function),
        ),  # fmt: skip
        codes={"InvalidParameterValueException"} if created_role else set(),
        delays=NEW_ROLE_DELAYS,
        cancel=cancel,
        sink=sink,
        why="The new role is not assumable by Lambda yet",
    )
    sink.progress(f"Waiting for {name} to become active", 0.7)
    wait_for(conn, "function_active_v2", name, cancel)
    return DeployResult(
        action="created",
        function_name=name,
        function_arn=response["FunctionArn"],
        code_sha256=response.get("CodeSha256", package.code_sha256),
        version=response.get("Version", "$LATEST"),
        account=conn.account,
        region=conn.region,
        changes=plan.changes,
        code_uploaded=True,
        role_arn=role_arn,
        role_created=created_role,
    )


def _update(conn: AwsConnection, plan: DeployPlan, package: Package, publish: bool,
            s3_bucket: str | None, cancel: CancelToken, sink: Sink) -> DeployResult:  # fmt: skip
    function, name = plan.function, plan.function_name
    lam = conn.client("lambda")

    def busy_retry(action: str, fn: Callable[[], dict[str, Any]]) -> dict[str, Any]:
        return retry(
            action, fn, codes={"ResourceConflictException"}, delays=CONFLICT_DELAYS,
            cancel=cancel, sink=sink, why="Another update of the function is in progress",
        )  # fmt: skip

    arn = plan.function_arn or ""
    sha = package.code_sha256
    if plan.upload_code:
        code = _code_args(conn, plan, package, s3_bucket, sink)
        cancel.raise_if_cancelled("The deploy")
        sink.progress(f"Uploading code ({package.zipped_bytes / 1048576:.2f} MB)", 0.2)
        response = busy_retry(
            f"update the code of {name}",
            lambda: lam.update_function_code(
                FunctionName=name, Architectures=[function.architecture], **code
            ),
        )
        sha = response.get("CodeSha256", sha)
        arn = response.get("FunctionArn", arn)
        sink.progress("Waiting for the code update to finish", 0.4)
        wait_for(conn, "function_updated_v2", name, cancel)
    # Architecture travels with the code upload; everything else is configuration.
    if [c for c in plan.config_changes if c.setting != "architecture"]:
        cancel.raise_if_cancelled("The deploy")
        sink.progress("Updating configuration", 0.6)
        response = busy_retry(
            f"update the configuration of {name}",
            lambda: lam.update_function_configuration(
                FunctionName=name, **desired_configuration(function)
            ),
        )
        arn = response.get("FunctionArn", arn)
        sink.progress("Waiting for the configuration update to finish", 0.8)
        wait_for(conn, "function_updated_v2", name, cancel)
    version = "$LATEST"
    if publish:
        cancel.raise_if_cancelled("The deploy")
        sink.progress("Publishing a version", 0.9)
        response = busy_retry(
            f"publish a version of {name}",
            lambda: lam.publish_version(FunctionName=name, CodeSha256=sha),
        )
        version = response.get("Version", version)
    return DeployResult(
        action="updated" if plan.changes else "unchanged",
        function_name=name,
        function_arn=arn,
        code_sha256=sha,
        version=version,
        account=conn.account,
        region=conn.region,
        changes=plan.changes,
        code_uploaded=plan.upload_code,
    )
