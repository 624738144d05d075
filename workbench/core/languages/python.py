"""The Python family: python3.x runtimes, the stdlib bootstrap, pip and requirements.txt."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from workbench.core.function import FunctionConfig
from workbench.core.languages import python_handlers, python_starters
from workbench.core.languages.base import (
    DockerInstall,
    LanguageFamily,
    Launch,
    Starter,
    no_progress,
)
from workbench.core.progress import CancelToken, Sink

# File "/var/task/app.py", line 12, in handler
FRAME = re.compile(r'File "(?P<path>[^"]+)", line (?P<line>\d+)')
PLATFORM_TAGS = {"x86_64": "manylinux2014_x86_64", "arm64": "manylinux2014_aarch64"}
_RUNTIME = re.compile(r"^python3\.\d+$")
_MISSING_MODULE = re.compile(r"No module named '([^']+)'")
_CLIENT_AGENT = re.compile(r"aws-lambda-python/(\d+)\.(\d+)\.(\d+)")


def bootstrap_path() -> Path:
    """The process runner's runtime client (a script the child Python runs), found next
    to its package rather than imported here: the workbench itself never runs it."""
    from workbench.core import runtime

    return Path(runtime.__file__).with_name("bootstrap.py")


class PythonFamily(LanguageFamily):
    name = "python"
    display_name = "Python"
    default_module = "lambda_function"
    source_suffixes = (".py",)
    dependency_mount = "/opt/python"
    frame_pattern = FRAME
    starters: Mapping[str, Starter] = MappingProxyType(python_starters.STARTERS)

    def matches(self, runtime: str) -> bool:
        return bool(_RUNTIME.match(runtime))

    def process_launch(
        self,
        function: FunctionConfig,
        api_address: str,
        *,
        cancel: CancelToken | None = None,
        sink: Sink | None = None,
    ) -> Launch:
        from workbench.core.languages.python_launch import launch

        cancel, sink = no_progress(cancel, sink)
        return launch(self, function, api_address, cancel, sink)

    def find_handlers(self, folder: Path) -> list[str]:
        return python_handlers.find_handlers(folder)

    def handler_problem(self, code_dir: Path, handler: str) -> str | None:
        return python_handlers.handler_problem(code_dir, handler)

    def dependency_manifest(self, code_dir: Path) -> Path | None:
        path = code_dir / "requirements.txt"
        return path if path.is_file() else None

    def docker_install(self, manifest: Path) -> DockerInstall:
        return DockerInstall(
            entrypoint=("python3",),
            command=(
                "-m", "pip", "install", "--no-cache-dir", "--disable-pip-version-check",
                "--no-input", "--target", "/out", "-r", f"/manifest/{manifest.name}",
            ),
        )  # fmt: skip

    def deploy_install(
        self, manifest: Path, target: Path, runtime: str, architecture: str
    ) -> list[str]:
        """pip asked for Lambda's platform wheels only (no local builds, no host wheels)."""
        from workbench.core.errors import WorkbenchError

        if not self.matches(runtime):
            raise WorkbenchError(f"{runtime!r} is not a Python runtime such as python3.12.")
        if architecture not in PLATFORM_TAGS:
            raise WorkbenchError(f"Architecture {architecture!r} must be x86_64 or arm64.")
        from workbench.core.languages.python_deps import find_pip

        return [
            *find_pip(), "install", "--disable-pip-version-check", "--no-input",
            "--target", str(target), "--platform", PLATFORM_TAGS[architecture],
            "--implementation", "cp", "--python-version", runtime.removeprefix("python"),
            "--only-binary=:all:", "--upgrade", "-r", str(manifest),
        ]  # fmt: skip

    def ran_other_version(self, user_agent: str, runtime: str) -> str | None:
        # awslambdaric: "aws-lambda-python/3.11.2-4.2.2" (Python version, client version)
        match = _CLIENT_AGENT.search(user_agent)
        if match is None or f"python{match[1]}.{match[2]}" == runtime:
            return None
        return f"Python {match[1]}.{match[2]}.{match[3]}"

    def error_hints(self, error: dict[str, Any] | None, function: FunctionConfig) -> list[str]:
        """Sentences that help with a failed invoke (a module the function does not ship)."""
        if not error or error.get("errorType") != "Runtime.ImportModuleError":
            return []
        match = _MISSING_MODULE.search(str(error.get("errorMessage") or ""))
        if match is None:
            return []
        top = match[1].split(".")[0]
        module = function.handler.rsplit(".", 1)[0]
        if match[1] == module or (top == module.split(".")[0] and "." in module):
            # The handler's own file is missing: requirements.txt is not the cure.
            path = module.replace(".", "/") + ".py"
            return [
                f"The handler {function.handler!r} is in {path}, which is not in "
                f"{function.code_dir}: create it, or choose a handler the folder has "
                "(--handler, or the function's settings)."
            ]
        return [
            f"Lambda's Python runtime provides only the standard library and boto3; "
            f"{top!r} must come with the function: add it to requirements.txt in "
            f"{function.code_dir}, or ship it in the folder or a layer."
        ]


FAMILY = PythonFamily()
