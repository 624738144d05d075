"""DockerEnvironment: the runtime runs in a Lambda-shaped container from the function's image."""

from __future__ import annotations

import atexit
import contextlib
import os
import stat
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import docker.errors
import requests.exceptions

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.languages import find_family
from workbench.core.progress import CancelToken, Sink
from workbench.core.runtime import docker_engine, docker_sandbox
from workbench.core.runtime.docker_deps import dependency_manifest, ensure_dependencies
from workbench.core.runtime.environment import Environment, ExitInfo
from workbench.core.runtime.lambda_env import lambda_environment

# The attach stream carries no end-of-invoke marker, so output counts as complete
# after a short silence: longer when this invoke printed (more may be in flight).
QUIET_S = 0.001
QUIET_AFTER_OUTPUT_S = 0.004
_open: weakref.WeakSet[DockerEnvironment] = weakref.WeakSet()
_orphans_checked = False
_orphans_lock = threading.Lock()
_removals: set[threading.Thread] = set()
_removals_lock = threading.Lock()


def _close_all() -> None:
    for env in list(_open):
        with contextlib.suppress(Exception):
            env.close()
    wait_for_removals()


atexit.register(_close_all)


def _remove_orphans_once(client: Any) -> None:
    global _orphans_checked
    with _orphans_lock:
        if not _orphans_checked:
            _orphans_checked = True
            docker_sandbox.remove_orphans(client)


def _check_readable(code_dir: Path) -> None:
    """The sandbox user (not the owner) must be able to list the code, as in Lambda."""
    mode = code_dir.stat().st_mode
    if os.name == "posix" and mode & 0o005 != 0o005:
        raise WorkbenchError(
            f"The function folder {code_dir} is not readable by other users "
            f"(mode {stat.filemode(mode)}), so Lambda's sandbox user cannot load the code. "
            f"Run 'chmod o+rx {code_dir}' and invoke again."
        )


class DockerEnvironment(Environment):
    """One container started with the image's own entrypoint and the handler as its argument."""

    kind = "docker"

    def __init__(
        self,
        function: FunctionConfig,
        api_address: str,
        on_output: Callable[[bytes], None],
        on_exit: Callable[[ExitInfo], None],
        image: str | None = None,
        settings: Any = None,
        **_: object,
    ) -> None:
        super().__init__(function, api_address, on_output, on_exit)
        self.image = docker_engine.image_for(function.runtime, settings, image)
        self.settings = settings
        self.container: Any = None
        self._closed = False
        self._last_output = 0.0
        self._flushed_at = 0.0
        self._output_arrived = threading.Condition()
        self._stream_done = threading.Event()
        self._peak_files: list[Path] = []
        self._peak_bytes: int | None = None
        self._lock = threading.Lock()

    # Start

    def start(self, cancel: CancelToken, sink: Sink) -> None:
        docker_engine.check_local_engine()
        # A family may build the code first (TypeScript with esbuild); the build is what runs.
        prepare = getattr(find_family(self.function.runtime), "prepare", None)
        if prepare is not None:
            self.function = prepare(self.function, cancel, sink)
        client = docker_engine.client()
        _remove_orphans_once(client)
        code_dir = self.function.code_dir
        if not code_dir.is_dir():
            raise WorkbenchError(f"The function folder {code_dir} does not exist.")
        _check_readable(code_dir)
        docker_engine.ensure_image(self.image, cancel, sink)
        dependencies = None
        if dependency_manifest(self.function) is not None:
            dependencies = ensure_dependencies(self.function, self.image, cancel, sink)
        cancel.raise_if_cancelled("Starting the container")
        net = docker_engine.networking()
        address = docker_engine.container_api_address(self.api_address, net)
        limit_cpu = True if self.settings is None else bool(self.settings.get("limit_cpu"))
        options = docker_sandbox.container_options(
            self.function,
            lambda_environment(self.function, address),
            net.host_network,
            limit_cpu,
            dependencies,
        )
        try:
            self.container = client.containers.create(self.image, **options)
            _open.add(self)
            # Attach before start so that no output is missed; the stream keeps
            # stdout and stderr in the order the runtime wrote them.
            streams = docker_engine.streaming_client()
            stream = streams.api.attach(self.container.id, stdout=True, stderr=True, stream=True)
            threading.Thread(
                target=self._read_output, args=(stream,), name="docker-env-output", daemon=True
            ).start()
            # When the runtime really begins (after any pull or pip install), for Init Duration.
            self.launched_at = time.perf_counter()
            self.container.start()
        except docker.errors.ImageNotFound as error:
            self.close()
            raise WorkbenchError(f"Image {self.image} is not available: {error}.") from error
        except (docker.errors.APIError, requests.exceptions.RequestException) as error:
            self.close()
            raise WorkbenchError(
                f"Docker could not start a container from {self.image}: "
                f"{getattr(error, 'explanation', None) or error}"
            ) from error
        threading.Thread(target=self._wait_exit, name="docker-env-wait", daemon=True).start()
        self._find_cgroup()

    def _find_cgroup(self) -> None:
        pid = None
        with contextlib.suppress(docker.errors.APIError, requests.exceptions.RequestException):
            self.container.reload()
            pid = self.container.attrs.get("State", {}).get("Pid")
        files = docker_sandbox.cgroup_memory_files(self.container.id, pid)
        found = docker_sandbox.read_peak_bytes(files)
        self._peak_files = [found[1]] if found else []

    # Output and exit

    def _read_output(self, stream: Any) -> None:
        try:
            for chunk in stream:
                if chunk:
                    self.on_output(chunk)
                    with self._output_arrived:
                        self._last_output = time.perf_counter()
                        self._output_arrived.notify_all()
        except (docker.errors.APIError, requests.exceptions.RequestException, OSError, ValueError):
            pass  # the container went away under the stream
        finally:
            self._stream_done.set()
            with self._output_arrived:
                self._output_arrived.notify_all()

    def _wait_exit(self) -> None:
        container = self.container
        code: int | None = None
        oom = False
        try:
            waited = docker_engine.streaming_client().api.wait(container.id)
            code = int(waited.get("StatusCode", -1))
            # The peak stays readable until the container is removed.
            self._read_peak()
            container.reload()
            oom = bool(container.attrs.get("State", {}).get("OOMKilled"))
        except (docker.errors.APIError, requests.exceptions.RequestException):
            pass  # removed while waiting: close() was called
        self._stream_done.wait(1.0)
        if oom:
            info = ExitInfo(signal=9, out_of_memory=True)
        elif code is not None and code > 128:
            info = ExitInfo(signal=code - 128)  # Docker reports death by signal n as 128+n
        else:
            info = ExitInfo(code=code)
        self._exited_with(info)

    def flush_output(self, request_id: str, timeout: float) -> None:
        """Wait for a short quiet period on the attach stream (bounded by `timeout`)."""
        start = time.perf_counter()
        end = start + timeout
        with self._output_arrived:
            while not self._stream_done.is_set():
                now = time.perf_counter()
                printed = self._last_output > self._flushed_at
                quiet = QUIET_AFTER_OUTPUT_S if printed else QUIET_S
                remaining = min(max(self._last_output, start) + quiet, end) - now
                if remaining <= 0:
                    break
                self._output_arrived.wait(remaining)
        self._flushed_at = time.perf_counter()

    # Memory

    def _read_peak(self) -> int | None:
        found = docker_sandbox.read_peak_bytes(self._peak_files)
        if found is not None:
            with self._lock:
                self._peak_bytes = max(self._peak_bytes or 0, found[0])
        return self._peak_bytes

    def max_memory_used_mb(self) -> int | None:
        if self.exit_info is not None and self.exit_info.out_of_memory:
            return self.function.memory_mb
        peak = self._read_peak()
        if peak is None and not self._peak_files and self.container is not None:
            peak = self._stats_peak()  # remote engine or Desktop: no host cgroup to read
        return None if peak is None else max(1, round(peak / (1024 * 1024)))

    def _stats_peak(self) -> int | None:
        try:
            stats = self.container.stats(stream=False, one_shot=True)
        except (docker.errors.APIError, requests.exceptions.RequestException):
            return None
        memory = stats.get("memory_stats") or {}
        value = memory.get("max_usage") or memory.get("usage")
        return int(value) if value else None

    # Stop

    def kill(self) -> None:
        container = self.container
        if container is None or not self.alive:
            return
        with contextlib.suppress(docker.errors.APIError, requests.exceptions.RequestException):
            container.kill()

    def close(self) -> None:
        """Stop listening at once; the container is killed and removed in the background.

        Killing a container takes 100-200 ms in the engine; doing it off the
        caller's thread lets a fresh environment start meanwhile (save-to-ready).
        """
        container = self.container
        if container is None or self._closed:
            return
        self._closed = True
        # The owner has moved on: a late exit of this container must not reach it.
        self.on_exit = _ignore_exit
        _open.discard(self)
        remover = threading.Thread(
            target=_remove, args=(container,), name="docker-env-remove", daemon=True
        )
        with _removals_lock:
            _removals.add(remover)
        remover.start()


def _ignore_exit(info: ExitInfo) -> None:
    pass


def _remove(container: Any) -> None:
    try:
        with contextlib.suppress(docker.errors.APIError, requests.exceptions.RequestException):
            container.remove(force=True)
    finally:
        with _removals_lock:
            _removals.discard(threading.current_thread())


def wait_for_removals(timeout: float = 10.0) -> None:
    """Block until containers being removed are gone (at exit, and in tests)."""
    end = time.monotonic() + timeout
    while True:
        with _removals_lock:
            pending = list(_removals)
        if not pending or time.monotonic() >= end:
            return
        pending[0].join(max(0.0, end - time.monotonic()))
