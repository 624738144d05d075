"""FunctionConfig: everything needed to run or deploy one Lambda function."""

from __future__ import annotations

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
        """The name Lambda knows the function by."""
        return self.deploy_name or self.name

    @property
    def arn(self) -> str:
        return f"arn:aws:lambda:{self.region}:{self.account_id}:function:{self.function_name}"

    @property
    def requirements_file(self) -> Path | None:
        path = self.code_dir / "requirements.txt"
        return path if path.is_file() else None


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
    env_size = sum(len(k.encode()) + len(v.encode()) for k, v in config.environment.items())
    if env_size > ENVIRONMENT_MAX_BYTES:
        problems.append(
            f"Environment variables take {env_size:,} bytes; Lambda allows 4 KB in total."
        )
    return problems
