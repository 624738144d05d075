"""Create / update / unchanged against a real moto server over HTTP, as boto3 talks to AWS."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import boto3
import pytest

from workbench.core.deploy import deployer
from workbench.core.deploy import package as package_module
from workbench.core.deploy.aws import AwsConnection, connect
from workbench.core.deploy.deployer import apply_deploy, plan_deploy
from workbench.core.deploy.history import history_path, read_history
from workbench.core.deploy.package import build_package
from workbench.core.deploy.roles import TRUST_POLICY, lambda_roles
from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.progress import CancelToken

SENT: dict[str, list[dict[str, Any]]] = {}


def _connect(url: str) -> tuple[AwsConnection, Counter[str]]:
    """A checked connection plus a count of every Lambda API call it makes.

    The count (and SENT, the parameters of each call) come from botocore's own
    event hooks on the real HTTP client.
    """
    conn = connect(endpoint_url=url, region="us-east-1")
    calls: Counter[str] = Counter()
    SENT.clear()

    def count(model: Any, **_: Any) -> None:
        calls[model.name] += 1

    def record(params: dict[str, Any], model: Any, **_: Any) -> None:
        SENT.setdefault(model.name, []).append(dict(params))

    conn.session.events.register("before-call.lambda", count)
    conn.session.events.register("provide-client-params.lambda", record)
    return conn, calls


def _deploy(conn: AwsConnection, function: FunctionConfig, **kwargs: Any) -> Any:
    package = build_package(function)
    plan = plan_deploy(conn, function, package)
    return plan, apply_deploy(conn, plan, package, **kwargs)


def test_create_with_new_role_then_unchanged(moto_url: str, function: FunctionConfig) -> None:
    conn, calls = _connect(moto_url)
    plan, result = _deploy(conn, function)
    assert plan.action == "create"
    assert result.action == "created"
    assert result.role_created
    assert result.role_arn.endswith(":role/lambda-workbench-hello-role")
    iam = conn.client("iam")
    attached = iam.list_attached_role_policies(RoleName="lambda-workbench-hello-role")
    assert [p["PolicyName"] for p in attached["AttachedPolicies"]] == [
        "AWSLambdaBasicExecutionRole"
    ]
    remote = conn.client("lambda").get_function(FunctionName="hello")["Configuration"]
    assert remote["CodeSha256"] == result.code_sha256 == plan.code_sha256
    assert remote["Environment"]["Variables"] == {"STAGE": "dev", "API_KEY": "s3cret-value"}
    assert remote["Role"] == result.role_arn
    assert calls["CreateFunction"] == 1

    calls.clear()
    plan, again = _deploy(conn, function)
    assert plan.action == "none" and not plan.upload_code
    assert again.action == "unchanged" and again.changes == []
    assert not again.code_uploaded
    assert calls["UpdateFunctionCode"] == 0 and calls["UpdateFunctionConfiguration"] == 0
    assert [r["action"] for r in read_history("hello")] == ["created", "unchanged"]


def test_secret_values_are_sent_but_never_shown_or_recorded(
    moto_url: str, function: FunctionConfig
) -> None:
    conn, _ = _connect(moto_url)
    plan, result = _deploy(conn, function)
    shown = json.dumps(result.to_json_dict()) + repr(plan.changes)
    assert "s3cret-value" not in shown
    assert "STAGE" in shown and "'dev'" in shown
    assert "s3cret-value" not in history_path("hello").read_text()
    function.environment["API_KEY"] = "rotated-value"
    plan, result = _deploy(conn, function)
    assert [c.sentence() for c in plan.changes] == ["environment API_KEY: ****** -> ******"]
    remote = conn.client("lambda").get_function_configuration(FunctionName="hello")
    assert remote["Environment"]["Variables"]["API_KEY"] == "rotated-value"


def test_update_code(moto_url: str, function: FunctionConfig) -> None:
    conn, calls = _connect(moto_url)
    _, first = _deploy(conn, function)
    (function.code_dir / "lambda_function.py").write_text(
        "def lambda_handler(e, c):\n    return 2\n"
    )
    calls.clear()
    plan, result = _deploy(conn, function, publish=True)
    assert result.action == "updated"
    assert [c.setting for c in plan.changes] == ["code (CodeSha256)"]
    assert plan.changes[0].old == first.code_sha256
    assert calls["UpdateFunctionCode"] == 1 and calls["UpdateFunctionConfiguration"] == 0
    assert calls["PublishVersion"] == 1 and result.version == "1"
    remote = conn.client("lambda").get_function(FunctionName="hello")["Configuration"]
    assert remote["CodeSha256"] == result.code_sha256 != first.code_sha256


def test_update_configuration_only(moto_url: str, function: FunctionConfig) -> None:
    conn, calls = _connect(moto_url)
    _deploy(conn, function)
    function.memory_mb = 512
    function.timeout_s = 30
    function.ephemeral_storage_mb = 1024
    del function.environment["STAGE"]
    calls.clear()
    plan, result = _deploy(conn, function)
    assert [c.sentence() for c in result.changes] == [
        "memory (MB): 128 -> 512",
        "timeout (s): 3 -> 30",
        "ephemeral storage (MB): 512 -> 1024",
        "environment STAGE: 'dev' -> (not set)",
    ]
    assert calls["UpdateFunctionCode"] == 0 and calls["UpdateFunctionConfiguration"] == 1
    remote = conn.client("lambda").get_function_configuration(FunctionName="hello")
    assert (remote["MemorySize"], remote["Timeout"]) == (512, 30)
    # moto does not store EphemeralStorage on update; check what was sent to it instead.
    assert SENT["UpdateFunctionConfiguration"][-1]["EphemeralStorage"] == {"Size": 1024}
    assert "STAGE" not in remote["Environment"]["Variables"]


def test_architecture_change_goes_with_the_code(moto_url: str, function: FunctionConfig) -> None:
    conn, calls = _connect(moto_url)
    _deploy(conn, function)
    function.architecture = "arm64"
    calls.clear()
    plan, _ = _deploy(conn, function)
    assert [c.sentence() for c in plan.changes] == ["architecture: x86_64 -> arm64"]
    assert calls["UpdateFunctionCode"] == 1
    # moto ignores Architectures on update_function_code; check what was sent to it instead.
    assert SENT["UpdateFunctionCode"][-1]["Architectures"] == ["arm64"]


def test_given_role_and_role_listing(moto_url: str, function: FunctionConfig) -> None:
    conn, _ = _connect(moto_url)
    iam = conn.client("iam")
    mine = iam.create_role(RoleName="my-lambda", AssumeRolePolicyDocument=json.dumps(TRUST_POLICY))
    other = dict(TRUST_POLICY, Statement=[dict(TRUST_POLICY["Statement"][0],
                 Principal={"Service": "ec2.amazonaws.com"})])  # fmt: skip
    iam.create_role(RoleName="ec2-only", AssumeRolePolicyDocument=json.dumps(other))
    assert lambda_roles(conn) == [("my-lambda", mine["Role"]["Arn"])]
    _, result = _deploy(conn, function, role_arn=mine["Role"]["Arn"])
    assert result.role_arn == mine["Role"]["Arn"] and not result.role_created
    with pytest.raises(iam.exceptions.NoSuchEntityException):
        iam.get_role(RoleName="lambda-workbench-hello-role")


def test_large_package_goes_through_s3(
    moto_url: str, function: FunctionConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn, _ = _connect(moto_url)
    monkeypatch.setattr(package_module, "MAX_ZIPPED_BYTES", 10)  # stands in for 50 MB
    package = build_package(function)
    plan = plan_deploy(conn, function, package)
    with pytest.raises(WorkbenchError, match="deploy_s3_bucket"):
        apply_deploy(conn, plan, package)
    conn.client("s3").create_bucket(Bucket="deploys")
    result = apply_deploy(conn, plan, package, s3_bucket="deploys")
    assert result.action == "created"
    keys = conn.client("s3").list_objects_v2(Bucket="deploys")["Contents"]
    assert [k["Key"].startswith("lambda-workbench/hello/") for k in keys] == [True]


def test_function_deleted_between_plan_and_update(moto_url: str, function: FunctionConfig) -> None:
    conn, _ = _connect(moto_url)
    _deploy(conn, function)
    function.memory_mb = 256
    package = build_package(function)
    plan = plan_deploy(conn, function, package)
    conn.client("lambda").delete_function(FunctionName="hello")
    with pytest.raises(WorkbenchError, match="update the configuration of hello") as caught:
        apply_deploy(conn, plan, package)
    assert "ResourceNotFoundException" in str(caught.value)


def test_cancel_before_apply_changes_nothing(moto_url: str, function: FunctionConfig) -> None:
    conn, _ = _connect(moto_url)
    package = build_package(function)
    plan = plan_deploy(conn, function, package)
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        apply_deploy(conn, plan, package, cancel=token)
    assert conn.client("lambda").list_functions()["Functions"] == []


class FailFirst:
    """Calls a real client method, but answers the first call with a real botocore ClientError.

    moto applies updates instantly (LastUpdateStatus is never InProgress), so it cannot
    produce ResourceConflictException; this wrapper is the only stand-in for that cloud state.
    """

    def __init__(self, client: Any, method: str, code: str) -> None:
        self.client, self.method, self.code, self.failed = client, method, code, 0

    def __getattr__(self, name: str) -> Any:
        real = getattr(self.client, name)
        if name != self.method or self.failed:
            return real

        def fail(**kwargs: Any) -> Any:
            from botocore.exceptions import ClientError

            self.failed += 1
            raise ClientError(
                {"Error": {"Code": self.code, "Message": "An update is in progress for resource"}},
                name,
            )

        return fail


def test_conflict_is_retried_until_the_update_goes_through(
    moto_url: str, function: FunctionConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn, _ = _connect(moto_url)
    _deploy(conn, function)
    function.memory_mb = 256
    real_client = conn.client
    wrappers: list[FailFirst] = []

    def client(service: str) -> Any:
        if service != "lambda":
            return real_client(service)
        wrapper = FailFirst(real_client(service), "update_function_configuration",
                            "ResourceConflictException")  # fmt: skip
        wrappers.append(wrapper)
        return wrapper

    monkeypatch.setattr(conn, "client", client)
    monkeypatch.setattr(deployer, "CONFLICT_DELAYS", (0.01,))
    steps: list[str] = []

    class Sink:
        def progress(self, message: str, fraction: float | None = None) -> None:
            steps.append(message)

        def output(self, text: str) -> None:
            pass

    _, result = _deploy(conn, function, sink=Sink())
    assert result.action == "updated"
    assert sum(w.failed for w in wrappers) == 1
    assert any("in progress; trying again" in s for s in steps)
    remote = boto3.client("lambda", endpoint_url=moto_url, region_name="us-east-1")
    assert remote.get_function_configuration(FunctionName="hello")["MemorySize"] == 256

    # When the conflict outlasts the retries the user gets a sentence, not a traceback.
    function.memory_mb = 1024
    monkeypatch.setattr(deployer, "CONFLICT_DELAYS", ())
    with pytest.raises(WorkbenchError, match="ResourceConflictException"):
        _deploy(conn, function)


def test_new_role_not_yet_assumable_is_retried(
    moto_url: str, function: FunctionConfig, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn, _ = _connect(moto_url)
    real_client = conn.client
    wrappers: list[FailFirst] = []

    def client(service: str) -> Any:
        if service != "lambda":
            return real_client(service)
        # moto makes a new role assumable at once; AWS takes ~10 s (lambda-facts section 8).
        wrapper = FailFirst(real_client(service), "create_function",
                            "InvalidParameterValueException")  # fmt: skip
        wrappers.append(wrapper)
        return wrapper

    monkeypatch.setattr(conn, "client", client)
    monkeypatch.setattr(deployer, "NEW_ROLE_DELAYS", (0.01,))
    _, result = _deploy(conn, function)
    assert result.action == "created" and result.role_created
    assert sum(w.failed for w in wrappers) == 1


def test_history_is_per_function(moto_url: str, function: FunctionConfig, tmp_path: Path) -> None:
    conn, _ = _connect(moto_url)
    _deploy(conn, function)
    other = FunctionConfig(name="other", handler="lambda_function.lambda_handler",
                           code_dir=function.code_dir)  # fmt: skip
    _deploy(conn, other)
    assert history_path("hello").parent == tmp_path / "data" / "deploy-history"
    assert [r["functionName"] for r in read_history("hello")] == ["hello"]
    assert [r["functionName"] for r in read_history("other")] == ["other"]


def test_a_secret_without_its_value_is_not_deployed(
    moto_url: str, function: FunctionConfig
) -> None:
    conn, calls = _connect(moto_url)
    _deploy(conn, function)
    del function.environment["API_KEY"]  # e.g. the keyring lost it on this machine
    with pytest.raises(WorkbenchError, match="Secret API_KEY of hello has no stored value"):
        plan_deploy(conn, function, build_package(function))
    remote = conn.client("lambda").get_function_configuration(FunctionName="hello")
    assert remote["Environment"]["Variables"]["API_KEY"] == "s3cret-value"


def test_local_layers_are_named_in_the_plan(
    moto_url: str, function: FunctionConfig, tmp_path: Path
) -> None:
    conn, _ = _connect(moto_url)
    function.layers = [tmp_path / "layer"]
    plan = plan_deploy(conn, function, build_package(function))
    assert plan.notes and "1 local layer(s) are not deployed" in plan.notes[0]
