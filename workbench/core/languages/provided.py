"""Custom runtimes (provided.al2023, provided.al2): the function's own `bootstrap` does the work.

Lambda starts the first executable of /var/task/bootstrap and /opt/bootstrap (a layer's),
which then speaks the Runtime API itself (AWS's tutorial does it in shell with curl; Go and
Rust functions are a compiled `bootstrap`). The official provided images have no
/var/runtime/bootstrap, so the container is started with an entrypoint that looks for the
bootstrap the way Lambda does, and fails with Lambda's Runtime.InvalidEntrypoint message.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.languages.base import LanguageFamily, Launch
from workbench.core.progress import CancelToken, Sink

_RUNTIME = re.compile(r"^provided(\.al2023|\.al2)?$")
BOOTSTRAPS = ("/var/task/bootstrap", "/opt/bootstrap")
# Shell, because that is all an OS-only image is sure to have.
ENTRYPOINT_SCRIPT = (
    'for b in /var/task/bootstrap /opt/bootstrap; do [ -x "$b" ] && exec "$b"; done; '
    'echo "Couldn\'t find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]" >&2; exit 1'
)
# Go and Rust traces: /path/main.go:12 +0x1d   src/main.rs:12:5
FRAME = re.compile(r"(?P<path>(?:/|\b[\w.-]+/)[^\s:()]*\.(?:go|rs|sh|c|cc|cpp)):(?P<line>\d+)")


class ProvidedFamily(LanguageFamily):
    name = "provided"
    display_name = "custom runtime"
    default_module = "bootstrap"
    default_runtime: str = "provided.al2023"
    source_suffixes = ()
    dependency_mount = None
    frame_pattern = FRAME
    # Replaces the image's /lambda-entrypoint.sh (see the module docstring).
    container_entrypoint: tuple[str, ...] = ("/bin/sh", "-c", ENTRYPOINT_SCRIPT)

    def matches(self, runtime: str) -> bool:
        return bool(_RUNTIME.match(runtime))

    def check_process(self, function: FunctionConfig) -> None:
        self.process_launch(function, "")

    def process_launch(
        self,
        function: FunctionConfig,
        api_address: str,
        *,
        cancel: CancelToken | None = None,
        sink: Sink | None = None,
    ) -> Launch:
        raise WorkbenchError(
            f"{function.name} uses the custom runtime {function.runtime}, whose bootstrap is "
            "built for Lambda's Linux; the workbench runs custom runtimes in Docker only. "
            "Start Docker (or use --runner docker)."
        )

    def find_handlers(self, folder: Path) -> list[str]:
        # The handler string is passed to the bootstrap as _HANDLER; Lambda does not read it.
        return ["bootstrap"] if bootstrap_file(folder, []) is not None else []

    def handler_problem(self, code_dir: Path, handler: str) -> str | None:
        return self.bootstrap_problem(code_dir, [])

    def bootstrap_problem(self, code_dir: Path, layers: list[Path]) -> str | None:
        found = bootstrap_file(code_dir, layers)
        if found is None:
            # Sources without their build say how to build them.
            if (code_dir / "Cargo.toml").is_file():
                command = "cargo lambda build --release (or sam build)"
            elif (code_dir / "go.mod").is_file():
                command = "GOOS=linux go build -o bootstrap (or sam build)"
            else:
                return (
                    f"A custom runtime needs an executable file named 'bootstrap' in "
                    f"{code_dir} (or in a layer): Lambda starts it and it speaks the Runtime "
                    "API. Add one (for example a Go or Rust binary built for Linux, or a shell "
                    "script)."
                )
            return f"{code_dir} has sources but no bootstrap; build first: {command}."
        if os.name == "posix" and not os.access(found, os.X_OK):
            return f"{found} is not executable; run 'chmod +x {found}' and invoke again."
        return None

    def dependency_manifest(self, code_dir: Path) -> Path | None:
        return None


def bootstrap_file(code_dir: Path, layers: list[Path]) -> Path | None:
    """The bootstrap Lambda would start: the code folder's, else the last layer's."""
    for candidate in [code_dir / "bootstrap", *(layer / "bootstrap" for layer in reversed(layers))]:
        if candidate.is_file():
            return candidate
    return None


FAMILY = ProvidedFamily()
