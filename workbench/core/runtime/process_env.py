"""ProcessEnvironment: the handler runs in a child process of a local interpreter."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.languages import OUTPUT_SENTINEL, Launch, family_for
from workbench.core.languages.python import bootstrap_path
from workbench.core.progress import CancelToken, Sink
from workbench.core.runtime import reaper
from workbench.core.runtime.api import RuntimeApi
from workbench.core.runtime.environment import Environment, ExitInfo
from workbench.core.runtime.nodejs import bootstrap_file

SENTINEL = OUTPUT_SENTINEL.encode()
# Where the bootstraps (bootstrap.py, nodejs/bootstrap.mjs) find the token pipe; the same
# constant as theirs (tested), not imported: bootstrap.py is the child's, not ours.
TOKEN_FD_VARIABLE = "_WORKBENCH_TOKEN_FD"
# The Python family's runtime client; tools that wrap it (the debugger) find it in command().
BOOTSTRAP_PATH = bootstrap_path()
NODE_BOOTSTRAP_PATH = bootstrap_file()


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
        **_: object,
    ) -> None:
        super().__init__(function, api_address, on_output, on_exit)
        # What ran ("Python 3.12.1 from pyenv (...)") and sentences for the cold start's
        # result (the platform output adds them: see the report to the lead).
        self.runtime_version = ""
        self.hints: list[str] = []
        self._launch: Launch | None = None
        self._runtime_pid: int | None = None
        self.process: subprocess.Popen[bytes] | None = None
        self._done_ids: set[str] = set()
        self._done_cond = threading.Condition()
        self._peak_kb: int | None = None

    def launch(self, cancel: CancelToken, sink: Sink) -> Launch:
        """The command for this environment; the function's runtime family decides it."""
        return family_for(self.function.runtime).process_launch(
            self.function, self.api_address, cancel=cancel, sink=sink
        )

    @property
    def runtime_pid(self) -> int | None:
        """The runtime client's process id (under reaper.py, the init's one child)."""
        process = self.process
        if process is None:
            return None
        if self._launch is None or not any(a.endswith("reaper.py") for a in self._launch.argv):
            return process.pid
        if self._runtime_pid is None:
            self._runtime_pid = reaper.oldest_child(process.pid)
        return self._runtime_pid

    @property
    def alive(self) -> bool:
        # Under its init the runtime can be gone a few ms before the init is: a pooled
        # environment whose runtime died must not take the next invoke.
        if not super().alive:
            return False
        pid = self.runtime_pid
        return pid is None or pid == getattr(self.process, "pid", None) or reaper.is_running(pid)

    def command(self) -> list[str]:
        """The argv being started (a subclass may wrap it, as the debugger does)."""
        assert self._launch is not None, "command() is known once start() has the launch"
        return list(self._launch.argv)

    def start(self, cancel: CancelToken, sink: Sink) -> None:
        code_dir = self.function.code_dir
        if not code_dir.is_dir():
            raise WorkbenchError(f"The function folder {code_dir} does not exist.")
        launch = self._launch = self.launch(cancel, sink)
        self.runtime_version = launch.runtime_version
        # For the cold start's result: what ran, then any warning (given once per process).
        self.hints = [f"Ran on {launch.runtime_version}."] if launch.runtime_version else []
        self.hints += launch.hints
        if launch.runtime_version:
            sink.progress(f"Running {self.function.name} on {launch.runtime_version}", None)
        cancel.raise_if_cancelled("The invoke")
        env = dict(launch.env)
        token_fd = self._token_pipe(env)
        self.launched_at = time.perf_counter()
        try:
            self.process = subprocess.Popen(
                self.command(),
                cwd=launch.cwd,
                env=env,
                pass_fds=() if token_fd is None else (token_fd,),
                # A pipe only this process holds: the environment's init (reaper.py)
                # ends everything when it closes, even if the workbench is killed.
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                start_new_session=(os.name == "posix"),
            )
        except OSError as error:
            raise WorkbenchError(f"Could not start {launch.argv[0]}: {error}.") from error
        finally:
            if token_fd is not None:
                os.close(token_fd)
        threading.Thread(target=self._read_output, name="process-env-output", daemon=True).start()

    def _token_pipe(self, env: dict[str, str]) -> int | None:
        """A pipe holding this environment's Runtime API token for the workbench's bootstrap.

        The bootstrap presents the token on every request, so no other environment's
        handler can take or answer this one's invocations (api.RuntimeApi.require_token).
        Only when the launch runs that bootstrap (AWS's clients cannot send it) and on POSIX.
        """
        api = RuntimeApi.serving(self.api_address)
        argv = self._launch.argv if self._launch is not None else ()
        if api is None or not self.presents_token or os.name != "posix":
            return None
        # A wrapped command (the debugger's) may not pass the pipe on: no token then.
        ours = {str(BOOTSTRAP_PATH), str(NODE_BOOTSTRAP_PATH)}  # both read the pipe
        if not ours.intersection(argv) or list(self.command()) != list(argv):
            return None
        read_end, write_end = os.pipe()
        os.write(write_end, api.require_token().encode() + b"\n")
        os.close(write_end)
        env[TOKEN_FD_VARIABLE] = str(read_end)
        return read_end

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
            # The runtime is a child of the environment's init (reaper.py): measure the tree.
            pids = [self.process.pid, *reaper.descendants(self.process.pid)]
            peak = max([peak or 0, *(_vm_hwm_kb(pid) or 0 for pid in pids)]) or peak
        return None if peak is None else max(1, round(peak / 1024))

    def kill(self) -> None:
        process = self.process
        if process is None or process.poll() is not None:
            return
        try:
            if sys.platform.startswith("linux"):
                # Stopped, the init stays a subreaper: whatever is orphaned while the tree
                # dies (a child started with start_new_session too) is still found under it.
                os.kill(process.pid, signal.SIGSTOP)
                reaper.kill_descendants(process.pid)
                os.kill(process.pid, signal.SIGKILL)
            elif os.name == "posix":
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
            if self.process.stdin is not None:
                with contextlib.suppress(OSError):
                    self.process.stdin.close()


def _vm_hwm_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None
