"""Project: the functions found in a folder or a SAM template, with what went wrong."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from workbench.core.function import FunctionConfig

PROJECT_FILE = "lambda-workbench.json"
SECRETS_FILE = ".lambda-workbench.secrets.json"


@dataclass
class Project:
    """An opened project.

    `kind` is "folder" (settings in lambda-workbench.json) or "sam" (settings
    in `template`). `errors` are problems that stop a function from running as
    written; `warnings` are differences from the cloud the user should know of.
    """

    root: Path
    kind: str
    template: Path | None = None
    functions: list[FunctionConfig] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # Plain folders: "module.function" strings of every handler-shaped function found.
    handler_candidates: list[str] = field(default_factory=list)
    # Where secret values live: "keyring" or "file" (.lambda-workbench.secrets.json).
    secret_store: str = "file"
    # SAM projects: per function, variables kept only locally (lambda-workbench.json
    # "localEnvironment"), e.g. imported from SAM CLI's env.json; never written to the template.
    local_environment: dict[str, set[str]] = field(default_factory=dict)
    # Functions found but not runnable here, with the sentence saying why (for `invoke`).
    skipped: dict[str, str] = field(default_factory=dict)

    @property
    def project_file(self) -> Path:
        return self.root / PROJECT_FILE

    @property
    def function_names(self) -> list[str]:
        return [f.name for f in self.functions]


# Runtime identifiers Lambda supports today (lambda-facts section 9, late 2026).
KNOWN_RUNTIMES = frozenset(
    [f"python3.{n}" for n in range(10, 15)]
    + [f"nodejs{n}.x" for n in (20, 22, 24)]
    + ["java8.al2", "java11", "java17", "java21", "java25"]
    + ["dotnet8", "dotnet9", "dotnet10", "ruby3.2", "ruby3.3", "ruby3.4", "ruby4.0"]
    + ["provided.al2", "provided.al2023"]
)
# Runtimes Lambda has deprecated that still have an official image: seen in templates and
# still runnable in Docker with it, but Lambda no longer creates or updates such functions.
DEPRECATED_RUNTIMES = frozenset(
    ["python3.7", "python3.8", "python3.9"]
    + [f"nodejs{n}.x" for n in (10, 12, 14, 16, 18)]
    + ["java8", "go1.x", "provided", "dotnet6", "dotnet7", "dotnetcore3.1", "ruby2.7"]
)


def runtime_problem(runtime: str) -> str | None:
    """Why a runtime id cannot be used at all (None for current and deprecated runtimes)."""
    if runtime in KNOWN_RUNTIMES or runtime in DEPRECATED_RUNTIMES:
        return None
    return (
        f"Runtime {runtime!r} is not a Lambda runtime; use one such as "
        "python3.13, python3.12, nodejs22.x or provided.al2023."
    )


# Deprecated runtimes whose image the Docker runner does not pick by itself.
_IMAGE_TO_GIVE = {
    "go1.x": "public.ecr.aws/lambda/go:1",
    "ruby2.7": "public.ecr.aws/lambda/ruby:2.7",
    "dotnetcore3.1": "public.ecr.aws/lambda/dotnet:core3.1",
}


def runtime_note(runtime: str) -> str | None:
    """A warning for a deprecated runtime (it still runs locally in Docker)."""
    if runtime not in DEPRECATED_RUNTIMES:
        return None
    newer = "python3.13" if runtime.startswith("python") else "nodejs22.x"
    if not runtime.startswith(("python", "nodejs")):
        newer = "a current runtime"
    how = "with the Docker runner and its official image"
    if runtime in _IMAGE_TO_GIVE:
        how = f"with the Docker runner given its image (--image {_IMAGE_TO_GIVE[runtime]})"
    return (
        f"Runtime {runtime} is deprecated on Lambda (no new functions or updates); it still "
        f"runs here {how}. Move to {newer}."
    )
