"""Starting a runtime under debugpy: the process environment, with debugpy loaded on demand."""

from __future__ import annotations

import importlib.metadata
import os
import socket
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.runtime.environment import Environment
from workbench.core.runtime.process_env import BOOTSTRAP_PATH, ProcessEnvironment
from workbench.core.settings import cache_dir

LAUNCHER = Path(__file__).with_name("launcher.py")


def debugpy_dir() -> Path:
    """A folder holding only debugpy (so the handler's sys.path gains nothing else)."""
    try:
        import debugpy
    except ImportError:
        raise WorkbenchError(
            "Debugging needs debugpy, which is not installed with this workbench; "
            "install it with 'pip install debugpy' into the workbench's environment."
        ) from None
    source = Path(debugpy.__file__).resolve().parent
    version = importlib.metadata.version("debugpy")
    target = cache_dir() / "debugpy" / version
    link = target / "debugpy"
    if not link.exists():
        target.mkdir(parents=True, exist_ok=True)
        partial = target / f"debugpy.{os.getpid()}.partial"
        try:
            os.symlink(source, partial)
            os.replace(partial, link)
        except OSError:
            if partial.is_symlink():
                partial.unlink()
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class DebugProcessEnvironment(ProcessEnvironment):
    """The process environment with its runtime client started under debugpy."""

    def __init__(self, *args: Any, debug_port: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.debug_port = debug_port
        self.debugpy_dir = debugpy_dir()

    def command(self) -> list[str]:
        base = super().command()
        at = base.index(str(BOOTSTRAP_PATH))
        return [
            *base[:at],
            str(LAUNCHER),
            str(self.debug_port),
            str(self.debugpy_dir),
            str(cache_dir() / "debugpy-pycache"),
            *base[at:],
        ]


def debug_factory(debug_port: int, map_paths: bool = False) -> Any:
    """An environment factory (see runners.EnvironmentFactory) for debug invokes."""

    def factory(
        runner: str,
        function: Any,
        api_address: str,
        on_output: Any,
        on_exit: Any,
        image: str | None = None,
        settings: Any = None,
        **_: Any,
    ) -> Environment:
        if runner == "docker":
            from workbench.core.debug.docker_launch import DebugDockerEnvironment

            return DebugDockerEnvironment(
                function, api_address, on_output, on_exit, image=image, settings=settings,
                debug_port=debug_port, map_paths=map_paths,
            )  # fmt: skip
        if runner != "process":
            raise WorkbenchError(f"The debugger cannot run in the {runner} runner.")
        return DebugProcessEnvironment(
            function, api_address, on_output, on_exit, debug_port=debug_port
        )

    return factory
