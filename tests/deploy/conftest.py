"""Fixtures for deploy tests: the moto server (see moto_helpers) and a small function."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.deploy.moto_helpers import aws_env, fake_lambda, moto_server, moto_url
from workbench.core.function import FunctionConfig

__all__ = ["aws_env", "fake_lambda", "moto_server", "moto_url"]


@pytest.fixture
def function_dir(tmp_path: Path) -> Path:
    code = tmp_path / "hello"
    code.mkdir()
    (code / "lambda_function.py").write_text(
        "def lambda_handler(event, context):\n    return {'ok': True}\n"
    )
    return code


@pytest.fixture
def function(function_dir: Path) -> FunctionConfig:
    return FunctionConfig(
        name="hello",
        handler="lambda_function.lambda_handler",
        code_dir=function_dir,
        environment={"STAGE": "dev", "API_KEY": "s3cret-value"},
        secret_names={"API_KEY"},
    )
