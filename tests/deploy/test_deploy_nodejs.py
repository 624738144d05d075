"""A Node.js function deploys with its npm dependencies, against a real moto server."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import boto3
import pytest

from workbench.core.deploy.aws import connect
from workbench.core.deploy.dependencies import package_function
from workbench.core.deploy.deployer import apply_deploy, plan_deploy
from workbench.core.function import FunctionConfig


@pytest.fixture
def node_function(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FunctionConfig:
    monkeypatch.setenv("LAMBDA_WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    code = tmp_path / "greeter"
    code.mkdir()
    (code / "package.json").write_text('{"type": "module", "dependencies": {"ms": "2.1.3"}}')
    (code / "index.mjs").write_text(
        'import ms from "ms";\nexport const handler = async () => ms("1h");\n'
    )
    return FunctionConfig(
        name="greeter", handler="index.handler", code_dir=code, runtime="nodejs22.x"
    )


def test_node_function_is_created_with_node_modules(
    moto_url: str, node_function: FunctionConfig
) -> None:
    conn = connect(endpoint_url=moto_url, region="us-east-1")
    package = package_function(node_function)
    names = zipfile.ZipFile(io.BytesIO(package.data)).namelist()
    assert {"index.mjs", "package.json", "node_modules/ms/index.js"} <= set(names)
    plan = plan_deploy(conn, node_function, package)
    assert plan.action == "create"
    result = apply_deploy(conn, plan, package)
    assert result.action == "created"
    client = boto3.client(
        "lambda",
        endpoint_url=moto_url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    config = client.get_function_configuration(FunctionName="greeter")
    assert (config["Runtime"], config["Handler"]) == ("nodejs22.x", "index.handler")
    assert config["CodeSha256"] == package.code_sha256
    # Same sources, same dependencies: the next deploy has nothing to upload.
    again = package_function(node_function)
    assert again.code_sha256 == package.code_sha256
    assert plan_deploy(conn, node_function, again).action == "none"
