"""ProcessEnvironment: the handler runs in a child process of a local interpreter."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.progress import CancelToken, Sink
from workbench.core.runtime import bootstrap
from workbench.core.runtime.api import RuntimeApi
from workbench.core.runtime.environment import Environment, ExitInfo
from workbench.core.runtime.lambda_env import lambda_environment

SENTINEL = bootstrap.SENTINEL.encode()
BOOTSTRAP_PATH = Path(bootstrap.__file__)
# Host variables a local interpreter needs to start at all.
_HOST_VARIABLES = ("PATH", "SYSTEMROOT", "COMSPEC", "TEMP", "TMP", "HOME", "USERPROFILE")


def find_interpreter(function: FunctionConfig) -> str:
    """The function's own .venv interpreter when it has one, else the current one."""
    for candidate in (
        function.code_dir / ".venv" / "bin" / "python",
        function.code_dir / ".venv" / "Scripts" / "python.exe",
    ):
        if candidate.exists():
            return str(candidate)
    if getattr(sys, "frozen", False):
        # In the desktop bundle sys.executable is the app itself, not a Python.
        found = shutil.which("python3") or shutil.which("python")
        if found is None:
            raise WorkbenchError(
                "The process runner needs Python 3 on PATH to run your handler; "
                "install Python 3 or use the Docker runner."
            )
        return found
    return sys.executable


class ProcessEnvironment(Environment):
    """Runs the project's stdlib bootstrap against the Runtime API in a child process."""

    kind = "process"
    presents_token = True  # the workbench's bootstrap does; AWS's awslambdaric cannot

    def __init__(
        self,
        function: FunctionConfig,
        api_address: str,
        on_output: Callable[[bytes], None],
        on_exit: Callable[[ExitInfo], None],
        interpreter: str | None = None,
        **_: object,
    ) -> None:
        super().__init__(function, api_address, on_output, on_exit)
        self.interpreter = interpreter or find_interpreter(function)
        self.process: subprocess.Popen[bytes] | None = None
        self._done_ids: set[str] = set()
        self._done_cond = threading.Condition()
        self._peak_kb: int | None = None

    def start(self, cancel: CancelToken, sink: Sink) -> None:
        code_dir = self.function.code_dir
        if not code_dir.is_dir():
            raise WorkbenchError(f"The function folder {code_dir} does not exist.")
        env = lambda_environment(
            self.function,
            self.api_address,
            task_root=str(code_dir),
            runtime_dir=str(BOOTSTRAP_PATH.parent),
        )
        for name in _HOST_VARIABLES:
            if name in os.environ:
                env.setdefault(name, os.environ[name])
        layer_paths = [str(p / "python") for p in self.function.layers]
        if layer_paths:  # Lambda puts /opt/python on sys.path
            env["PYTHONPATH"] = os.pathsep.join(layer_paths)
        env["PYTHONIOENCODING"] = "utf-8"
        api = RuntimeApi.serving(self.api_address)
        # The bootstrap reads this secret from stdin and presents it on every request, so no
        # other environment's handler can take or answer this one's invocations.
        token = api.require_token() if api is not None and self.presents_token else None
        self.launched_at = time.perf_counter()
        try:
            self.process = subprocess.Popen(
                self.command(),
                cwd=code_dir,
                env=env,
                stdin=subprocess.PIPE if token else subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=(os.name == "posix"),
            )
        except OSError as error:
            raise WorkbenchError(
                f"Could not start the Python interpreter {self.interpreter}: {error}."
            ) from error
        if token and self.process.stdin is not None:
            with contextlib.suppress(OSError):
                self.process.stdin.write(token.encode() + b"\n")
            with contextlib.suppress(OSError):
                self.process.stdin.close()
        threading.Thread(target=self._read_output, name="process-env-output", daemon=True).start()

    def command(self) -> list[str]:
        # -B: no .pyc files. A .pyc is trusted when the source's mtime (in whole
        # seconds) and size match, so an edit saved within the same second would
        # run stale code; it would also litter the user's folder with __pycache__.
        return [self.interpreter, "-u", "-B", str(BOOTSTRAP_PATH), self.function.handler]

    def _read_output(self) -> None:
        assert self.process is not None and self.process.stdout is not None
        fd = self.process.stdout.fileno()
        pending = b""
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                break
            pending = self._consume(pending + chunk)
        if pending:
            self.on_output(pending)
        code = self.process.wait()
        self._exited_with(ExitInfo(signal=-code) if code < 0 else ExitInfo(code=code))
        with self._done_cond:
            self._done_cond.notify_all()

    def _consume(self, data: bytes) -> bytes:
        """Pass output on, taking out sentinels; return a tail that may hold a partial one."""
        while True:
            index = data.find(SENTINEL)
            if index < 0:
                break
            end = data.find(b"\n", index)
            if end < 0:
                if index:
                    self.on_output(data[:index])
                return data[index:]
            if index:
                self.on_output(data[:index])
            request_id = data[index + len(SENTINEL) : end].decode(errors="replace")
            with self._done_cond:
                self._done_ids.add(request_id)
                self._done_cond.notify_all()
            data = data[end + 1 :]
        # Keep back a tail that could be the start of a sentinel split across reads.
        keep = 0
        for size in range(min(len(SENTINEL) - 1, len(data)), 0, -1):
            if SENTINEL.startswith(data[-size:]):
                keep = size
                break
        if len(data) > keep:
            self.on_output(data[: len(data) - keep])
        return data[len(data) - keep :]

    def flush_output(self, request_id: str, timeout: float) -> None:
        with self._done_cond:
            self._done_cond.wait_for(
                lambda: request_id in self._done_ids or not self.alive, timeout
            )
            self._done_ids.discard(request_id)

    def note_reported_rss(self, max_rss_kb: int | None) -> None:
        if max_rss_kb is not None:
            self._peak_kb = max(self._peak_kb or 0, max_rss_kb)

    def max_memory_used_mb(self) -> int | None:
        peak = self._peak_kb
        if self.process is not None and sys.platform.startswith("linux"):
            peak = max(peak or 0, _vm_hwm_kb(self.process.pid) or 0) or peak
        return None if peak is None else max(1, round(peak / 1024))

    def kill(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        try:
            if os.name == "posix":
                os.killpg(process.pid, signal.SIGKILL)  # the handler's children too
            else:
                process.kill()
        except (ProcessLookupError, PermissionError):
            pass

    def close(self) -> None:
        self.kill()
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)


def _vm_hwm_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None
