"""The configuration diff shown before a deploy, and role helpers (no AWS needed)."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from workbench.core.deploy.changes import configuration_changes, new_function_changes
from workbench.core.deploy.roles import TRUST_POLICY, _trusts_lambda, role_name_for
from workbench.core.function import FunctionConfig


def _function(**kwargs: object) -> FunctionConfig:
    settings: dict = {"handler": "app.handler", **kwargs}
    return FunctionConfig(name="f", code_dir=Path("."), **settings)


CURRENT = {
    "Handler": "app.handler", "Runtime": "python3.12", "MemorySize": 128, "Timeout": 3,
    "Architectures": ["x86_64"], "EphemeralStorage": {"Size": 512},
    "Environment": {"Variables": {"KEEP": "1", "PASSWORD": "old-secret"}},
}  # fmt: skip


def test_no_changes_when_everything_matches() -> None:
    function = _function(environment={"KEEP": "1", "PASSWORD": "old-secret"})
    assert configuration_changes(function, CURRENT) == []


def test_every_setting_and_masked_secrets() -> None:
    function = _function(
        handler="other.handler", runtime="python3.13", memory_mb=2048, timeout_s=60,
        architecture="arm64", ephemeral_storage_mb=2048,
        environment={"KEEP": "2", "PASSWORD": "new-secret", "NEW": "x"},
        secret_names={"PASSWORD"},
    )  # fmt: skip
    sentences = [c.sentence() for c in configuration_changes(function, CURRENT)]
    assert sentences == [
        "handler: app.handler -> other.handler",
        "runtime: python3.12 -> python3.13",
        "memory (MB): 128 -> 2048",
        "timeout (s): 3 -> 60",
        "ephemeral storage (MB): 512 -> 2048",
        "architecture: x86_64 -> arm64",
        "environment KEEP: '1' -> '2'",
        "environment NEW: (not set) -> 'x'",
        "environment PASSWORD: ****** -> ******",
    ]
    assert "secret" not in " ".join(sentences)


def test_a_function_without_environment_on_aws() -> None:
    current = {k: v for k, v in CURRENT.items() if k != "Environment"}
    changes = configuration_changes(_function(environment={"A": "b"}), current)
    assert [c.sentence() for c in changes] == ["environment A: (not set) -> 'b'"]
    created = [c.setting for c in new_function_changes(_function(memory_mb=256))]
    assert created == ["handler", "runtime", "memory (MB)", "timeout (s)"]


def test_role_names_and_trust_policies() -> None:
    long = role_name_for("x" * 64)
    assert len(long) <= 64 and long.endswith("-role")
    assert role_name_for("hello") == "lambda-workbench-hello-role"
    assert _trusts_lambda(TRUST_POLICY)
    assert _trusts_lambda(quote(json.dumps(TRUST_POLICY)))  # as some endpoints return it
    ec2 = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}}]}
    assert not _trusts_lambda(ec2)
    deny = {"Statement": [{"Effect": "Deny", "Principal": {"Service": "lambda.amazonaws.com"}}]}
    assert not _trusts_lambda(deny)
