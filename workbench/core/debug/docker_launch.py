"""Debugging in the Lambda container: debugpy mounted read-only, started by sitecustomize."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.core.debug.launch import debugpy_dir
from workbench.core.runtime.docker_env import DockerEnvironment
from workbench.core.runtime.engine_calls import bind

SITE_DIR = Path(__file__).with_name("site")
CONTAINER_PORT = 5678
REMOTE_ROOT = "/var/task"


class DebugDockerEnvironment(DockerEnvironment):
    """A Docker environment whose runtime waits for the workbench's debugger at start."""

    def __init__(self, *args: Any, debug_port: int, map_paths: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.host_port = debug_port
        # For IDEs that attach without path mappings (--debug-port): debugpy maps itself.
        self.map_paths = map_paths
        self.debugpy_package = (debugpy_dir() / "debugpy").resolve()

    def adjust_options(self, options: dict[str, Any], image_config: dict[str, Any]) -> None:
        env = options.setdefault("environment", {})
        host_network = options.get("network_mode") == "host"
        env["WORKBENCH_DEBUG_PORT"] = str(self.host_port if host_network else CONTAINER_PORT)
        image_path = next(
            (
                item.split("=", 1)[1]
                for item in image_config.get("Env") or []
                if item.startswith("PYTHONPATH=")
            ),
            "",
        )
        if self.map_paths:
            mapping = [[str(self.function.code_dir.resolve()), REMOTE_ROOT]]
            env["PATHS_FROM_ECLIPSE_TO_PYTHON"] = json.dumps(mapping)
        env["PYTHONPATH"] = ":".join(p for p in ("/opt/workbench-debug/site", image_path) if p)
        options["mounts"] += [
            bind("/opt/workbench-debug/site", str(SITE_DIR), read_only=True),
            bind("/opt/workbench-debug/debugpy", str(self.debugpy_package), read_only=True),
        ]

    def debug_address(self) -> tuple[str, int] | None:
        """Where the debugger listens, once the container has started."""
        if self.network is not None and self.network.network is None:  # host network
            return ("127.0.0.1", self.host_port)
        address = getattr(self, "address", None)
        return (address, CONTAINER_PORT) if address else None
