"""FunctionConfig: everything needed to run or deploy one Lambda function."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

# Lambda's limits (shared/lambda-facts.md section 5).
MEMORY_MIN_MB = 128
MEMORY_MAX_MB = 10_240
TIMEOUT_MIN_S = 1
TIMEOUT_MAX_S = 900
EPHEMERAL_MIN_MB = 512
EPHEMERAL_MAX_MB = 10_240
ENVIRONMENT_MAX_BYTES = 4 * 1024
ARCHITECTURES = ("x86_64", "arm64")
DEFAULT_RUNTIME = "python3.12"
DEFAULT_HANDLER = "lambda_function.lambda_handler"
# Lambda's FunctionName: letters, digits, hyphens and underscores, 1-64 characters.
FUNCTION_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")
# Lambda's pattern for environment variable keys (the API's EnvironmentVariableName).
ENVIRONMENT_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_]+")
# Keys Lambda sets itself and refuses in a function's configuration (AWS "Defined runtime
# environment variables"; lambda-facts section 9).
RESERVED_VARIABLES = frozenset(
    {
        "_HANDLER",
        "_X_AMZN_TRACE_ID",
        "AWS_DEFAULT_REGION",
        "AWS_REGION",
        "AWS_EXECUTION_ENV",
        "AWS_LAMBDA_FUNCTION_NAME",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
        "AWS_LAMBDA_FUNCTION_VERSION",
        "AWS_LAMBDA_INITIALIZATION_TYPE",
        "AWS_LAMBDA_LOG_GROUP_NAME",
        "AWS_LAMBDA_LOG_STREAM_NAME",
        "AWS_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_LAMBDA_RUNTIME_API",
        "LAMBDA_TASK_ROOT",
        "LAMBDA_RUNTIME_DIR",
    }
)


# Letters that do not decompose into an ASCII letter plus accents.
_SPELLED_OUT = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l"}
)


def valid_function_name(name: str) -> str:
    """A name Lambda accepts derived from `name`: accents dropped, other characters -> '-'."""
    spelled = name.translate(_SPELLED_OUT)
    ascii_name = unicodedata.normalize("NFKD", spelled).encode("ascii", "ignore").decode()
    cleaned = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_name).strip("-")[:64].strip("-")
    return cleaned or "function"


def environment_problems(environment: dict[str, str], source: str = "") -> list[str]:
    """Sentences for keys or values Lambda's configuration would refuse."""
    where = f"{source}: " if source else ""
    problems = []
    reserved = sorted(k for k in environment if k in RESERVED_VARIABLES)
    if reserved:
        problems.append(
            f"{where}{', '.join(reserved)} {'is' if len(reserved) == 1 else 'are'} reserved by "
            "Lambda, which sets them itself and refuses them in a function's environment; "
            "remove them (the region comes from --region, your shell's AWS credentials are "
            "passed through)."
        )
    for key in sorted(environment):
        if key in RESERVED_VARIABLES:
            continue
        if not ENVIRONMENT_KEY.fullmatch(key):
            problems.append(
                f"{where}environment variable name {key!r} is not allowed: Lambda takes a "
                "letter then letters, digits or underscores (at least two characters)."
            )
        elif "\0" in environment[key]:
            problems.append(f"{where}the value of {key} contains a NUL character; remove it.")
    return problems


@dataclass
class FunctionConfig:
    """One function as the workbench runs it.

    `name` is the local name (folder name or SAM logical id); `deploy_name`
    is the FunctionName on AWS when it differs (SAM `FunctionName`).
    `layers` are local directories whose contents appear under /opt.
    """

    name: str
    handler: str
    code_dir: Path
    runtime: str = DEFAULT_RUNTIME
    memory_mb: int = 128
    timeout_s: int = 3
    architecture: str = "x86_64"
    ephemeral_storage_mb: int = 512
    environment: dict[str, str] = field(default_factory=dict)
    layers: list[Path] = field(default_factory=list)
    region: str = "us-east-1"
    account_id: str = "123456789012"
    deploy_name: str | None = None
    # Names of environment variables whose values are secret (masked in the UI).
    secret_names: set[str] = field(default_factory=set)
    # ReservedConcurrentExecutions: the most environments the function may have at once
    # (0 means it is throttled entirely, as in Lambda); None when not reserved.
    reserved_concurrency: int | None = None
    # A SAM template's Metadata: BuildMethod (esbuild for TypeScript) and BuildProperties.
    build_method: str | None = None
    build_properties: dict[str, object] = field(default_factory=dict)

    @property
    def function_name(self) -> str:
        """The name Lambda knows the function by (a valid one derived from `name` if need be)."""
        if self.deploy_name:
            return self.deploy_name
        return self.name if FUNCTION_NAME.fullmatch(self.name) else valid_function_name(self.name)

    @property
    def arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:{self.account_id}:function:{self.function_name}"

    @property
    def requirements_file(self) -> Path | None:
        path = self.code_dir / "requirements.txt"
        return path if path.is_file() else None


def name_notice(config: FunctionConfig) -> str | None:
    """A warning when the local name is not a valid Lambda name and another one is used."""
    if config.deploy_name or FUNCTION_NAME.fullmatch(config.name):
        return None
    return (
        f"Function name {config.name!r} is not valid on Lambda (letters, digits, - and _, "
        f"1-64 characters); it runs and deploys as {config.function_name!r}. Set another "
        "name on AWS (deployName / FunctionName) to choose it yourself."
    )


def validate_limits(config: FunctionConfig) -> list[str]:
    """Sentences describing every setting outside Lambda's limits (empty when valid)."""
    problems = []
    if not MEMORY_MIN_MB <= config.memory_mb <= MEMORY_MAX_MB:
        problems.append(
            f"Memory size {config.memory_mb} MB is outside Lambda's range "
            f"({MEMORY_MIN_MB}-{MEMORY_MAX_MB:,} MB)."
        )
    if not TIMEOUT_MIN_S <= config.timeout_s <= TIMEOUT_MAX_S:
        problems.append(
            f"Timeout {config.timeout_s} s is outside Lambda's range "
            f"({TIMEOUT_MIN_S}-{TIMEOUT_MAX_S} s)."
        )
    if not EPHEMERAL_MIN_MB <= config.ephemeral_storage_mb <= EPHEMERAL_MAX_MB:
        problems.append(
            f"Ephemeral storage {config.ephemeral_storage_mb} MB is outside Lambda's range "
            f"({EPHEMERAL_MIN_MB}-{EPHEMERAL_MAX_MB:,} MB)."
        )
    if config.architecture not in ARCHITECTURES:
        problems.append(
            f"Architecture {config.architecture!r} is not one of {', '.join(ARCHITECTURES)}."
        )
    problems += environment_problems(config.environment)
    if config.deploy_name and not FUNCTION_NAME.fullmatch(config.deploy_name):
        problems.append(
            f"Function name {config.deploy_name!r} is not valid on Lambda: use letters, "
            "digits, - and _, 1-64 characters."
        )
    env_size = sum(len(k.encode()) + len(v.encode()) for k, v in config.environment.items())
    if env_size > ENVIRONMENT_MAX_BYTES:
        problems.append(
            f"Environment variables take {env_size:,} bytes; Lambda allows 4 KB in total."
        )
    return problems
