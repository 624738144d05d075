"""The Node.js family: nodejs20.x / 22.x / 24.x, the project's JS runtime client, npm."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.languages import nodejs_handlers, nodejs_starters
from workbench.core.languages.base import DockerInstall, LanguageFamily, Launch, Starter
from workbench.core.progress import CancelToken, Sink

# at handler (file:///var/task/index.mjs:3:9)   at /var/task/app.js:3:9   at C:\fn\app.js:3:9
FRAME = re.compile(
    r"(?:\(|\bat )(?:file://)?(?P<path>(?:/|[A-Za-z]:[\\/])[^\s()]*?\.[cm]?[jt]sx?)"
    r":(?P<line>\d+):(?P<column>\d+)\)?"
)
_RUNTIME = re.compile(r"^nodejs\d+\.x$")
LOCK_FILES = ("package-lock.json", "npm-shrinkwrap.json")
CPU = {"x86_64": "x64", "arm64": "arm64"}
_MISSING = re.compile(r"Cannot find (?:module|package) '([^']+)'")


def install_script() -> Path:
    from workbench.core.runtime.nodejs import install_file

    return install_file()


def has_dependencies(package_json: Path) -> bool:
    """True when package.json declares runtime dependencies (devDependencies do not ship)."""
    try:
        data = json.loads(package_json.read_text(encoding="utf-8")[:5_000_000])
    except (OSError, ValueError, UnicodeDecodeError):
        return False
    dependencies = data.get("dependencies") if isinstance(data, dict) else None
    return isinstance(dependencies, dict) and bool(dependencies)


def npm_command(folder: Path) -> str:
    """`npm ci` with a lock file (exact, reproducible), else `npm install`; never dev deps."""
    if any((folder / name).is_file() for name in LOCK_FILES):
        return "npm ci --omit=dev"
    return "npm install --omit=dev --no-package-lock"


class NodeFamily(LanguageFamily):
    name = "nodejs"
    display_name = "Node.js"
    default_module = "index"
    # For a folder without a project file (New functions: nodejs24.x on Lambda; 22 is the
    # newest the workbench's test image and most machines have, and still supported).
    default_runtime: str = "nodejs22.x"
    source_suffixes = nodejs_handlers.SUFFIXES
    # Installed packages are mounted at /var/node_modules: Node looks in every parent folder
    # of /var/task for node_modules (CommonJS and ES modules alike), after the code's own
    # node_modules and before NODE_PATH (layers, the runtime's AWS SDK), which is Lambda's
    # precedence; and /var/task itself stays the read-only code folder.
    dependency_mount = "/var/node_modules"
    frame_pattern = FRAME
    starters: Mapping[str, Starter] = MappingProxyType(nodejs_starters.STARTERS)
    # JavaScript stacks list the innermost frame first (Python tracebacks the outermost).
    innermost_first: bool = True

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
        from workbench.core.languages.nodejs_launch import launch

        source_dir = function.code_dir
        function = self.prepare(function, cancel, sink)
        return launch(function, api_address, source_dir)

    def check_process(self, function: FunctionConfig) -> None:
        if shutil.which("node") is None:
            from workbench.core.languages.nodejs_launch import find_node

            find_node(function.runtime)  # raises the sentence (no node on PATH or in nvm)

    def prepare(
        self,
        function: FunctionConfig,
        cancel: CancelToken | None = None,
        sink: Sink | None = None,
    ) -> FunctionConfig:
        """The function as it runs and ships: built with esbuild when its template says so.

        Raises a sentence when its TypeScript has no JavaScript, or newer sources than it:
        stale JavaScript never runs or ships silently.
        """
        from workbench.core.languages.nodejs_build import built_function, uses_esbuild

        if uses_esbuild(function):
            return built_function(function, cancel, sink)
        problem = self.typescript_problem(function.code_dir, function.handler)
        if problem is not None:
            raise WorkbenchError(problem)
        return function

    def typescript_problem(self, code_dir: Path, handler: str) -> str | None:
        """A sentence when the handler's JavaScript is missing or older than its TypeScript."""
        if nodejs_handlers.typescript_source(code_dir, handler) is None:
            return None
        return nodejs_handlers.handler_problem(code_dir, handler)

    def find_handlers(self, folder: Path) -> list[str]:
        return nodejs_handlers.find_handlers(folder)

    def handler_problem(self, code_dir: Path, handler: str) -> str | None:
        return nodejs_handlers.handler_problem(code_dir, handler)

    def dependency_manifest(self, code_dir: Path) -> Path | None:
        path = code_dir / "package.json"
        return path if path.is_file() and has_dependencies(path) else None

    def docker_install(self, manifest: Path) -> DockerInstall:
        # npm needs a writable project folder and cache: both live in /tmp, and the
        # installed node_modules' contents become /out (mounted at dependency_mount).
        copy = " ".join(
            f"/manifest/{name}"
            for name in ("package.json", *LOCK_FILES)
            if (manifest.parent / name).is_file()
        )
        script = (
            "set -e; mkdir -p /tmp/build && cp " + copy + " /tmp/build/ && cd /tmp/build && "
            "HOME=/tmp npm_config_cache=/tmp/.npm npm_config_update_notifier=false "
            + npm_command(manifest.parent)
            + " --no-audit --no-fund && cp -a /tmp/build/node_modules/. /out/"
        )
        return DockerInstall(entrypoint=("/bin/sh", "-c"), command=(script,))

    def deploy_install(
        self, manifest: Path, target: Path, runtime: str, architecture: str
    ) -> list[str]:
        """npm on the host, asked for Lambda's platform (linux, x64/arm64): target/node_modules."""
        if not self.matches(runtime):
            raise WorkbenchError(f"{runtime!r} is not a Node.js runtime such as nodejs22.x.")
        if architecture not in CPU:
            raise WorkbenchError(f"Architecture {architecture!r} must be x86_64 or arm64.")
        node = shutil.which("node")
        if node is None:
            raise WorkbenchError(
                "Packaging a Node.js function with package.json dependencies needs node and "
                "npm on PATH; install Node.js, or put node_modules in the code folder yourself."
            )
        return [node, str(install_script()), str(manifest.parent), str(target), CPU[architecture]]

    def error_hints(self, error: dict[str, Any] | None, function: FunctionConfig) -> list[str]:
        """Sentences that help with a failed invoke (a package the function does not ship)."""
        if not error:
            return []
        match = _MISSING.search(str(error.get("errorMessage") or ""))
        if match is None or match[1].startswith((".", "/")):
            return []
        name = match[1]
        if name.startswith("@aws-sdk/"):
            return [
                f"Lambda's Node.js runtimes provide the AWS SDK ({name}); to run it locally "
                f"add it to package.json in {function.code_dir} and run npm install (the "
                "Docker runner's official image has it)."
            ]
        return [
            f"{name!r} must come with the function: add it to package.json in "
            f"{function.code_dir} (npm install {name}), or ship it in a layer under "
            "nodejs/node_modules."
        ]


FAMILY = NodeFamily()
