"""The environment variables Lambda gives a function (shared/lambda-facts.md section 4)."""

from __future__ import annotations

import os
import time

from workbench.core.function import FunctionConfig
from workbench.core.runtime import ids

# Passed through from the user's shell so code using boto3 works locally, as
# with SAM CLI. Lambda gives the execution role's credentials here.
CREDENTIAL_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN")


def execution_env_name(runtime: str) -> str:
    """AWS_EXECUTION_ENV for a runtime id, e.g. python3.12 -> AWS_Lambda_python3.12."""
    return f"AWS_Lambda_{runtime}"


def log_stream_name() -> str:
    return time.strftime("%Y/%m/%d", time.gmtime()) + "/[$LATEST]" + ids.token_hex(16)


def lambda_environment(
    function: FunctionConfig,
    api_address: str,
    task_root: str = "/var/task",
    runtime_dir: str = "/var/runtime",
    stream_name: str | None = None,
) -> dict[str, str]:
    """Lambda's reserved variables, then the function's own (which cannot override them)."""
    env = dict(function.environment)
    for name in CREDENTIAL_VARIABLES:
        value = os.environ.get(name)
        if value:
            env[name] = value
    env.update(
        {
            "_HANDLER": function.handler,
            "AWS_REGION": function.region,
            "AWS_DEFAULT_REGION": function.region,
            "AWS_EXECUTION_ENV": execution_env_name(function.runtime),
            "AWS_LAMBDA_FUNCTION_NAME": function.function_name,
            "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(function.memory_mb),
            "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
            "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
            "AWS_LAMBDA_LOG_GROUP_NAME": f"/aws/lambda/{function.function_name}",
            "AWS_LAMBDA_LOG_STREAM_NAME": stream_name or log_stream_name(),
            "AWS_LAMBDA_RUNTIME_API": api_address,
            "LAMBDA_TASK_ROOT": task_root,
            "LAMBDA_RUNTIME_DIR": runtime_dir,
            "TZ": ":UTC",
            "LANG": "en_US.UTF-8",
        }
    )
    return env
