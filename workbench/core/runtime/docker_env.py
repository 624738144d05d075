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

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.languages import find_family
from workbench.core.progress import CancelToken, Sink
from workbench.core.runtime import (
    docker_engine,
    docker_network,
    docker_output,
    docker_sandbox,
    docker_tmp,
    engine_calls,
)
from workbench.core.runtime.api import RuntimeApi
from workbench.core.runtime.docker_deps import dependency_manifest, ensure_dependencies
from workbench.core.runtime.docker_output import AttachOutput, FifoOutput
from workbench.core.runtime.docker_tmp import PendingTmp, TmpStorage
from workbench.core.runtime.engine_calls import Container
from workbench.core.runtime.engine_http import EngineError, NotFound
from workbench.core.runtime.environment import Environment, ExitInfo
from workbench.core.runtime.lambda_env import lambda_environment

_open: weakref.WeakSet[DockerEnvironment] = weakref.WeakSet()
_orphans_checked = False
_orphans_lock = threading.Lock()
# Removals in flight: thread -> (container id, its /tmp storage).
_removals: dict[threading.Thread, tuple[str, TmpStorage | None]] = {}
_removals_lock = threading.Lock()


def _close_all() -> None:
    """At exit: close every environment without waiting for the engine to remove them.

    A removal takes 100-300 ms in the engine; the request is sent and the process exits
    (the engine finishes it; should it not, the next workbench removes what a dead
    process left, see remove_orphans).
    """
    for env in list(_open):
        with contextlib.suppress(Exception):
            env.close()
    with _removals_lock:
        pending = list(_removals.values())
    if not docker_engine.remove_detached([container_id for container_id, _ in pending]):
        wait_for_removals()
        return
    for _, tmp in pending:
        if tmp is not None:
            tmp.close()


atexit.register(_close_all)


def _remove_orphans_once(client: Any) -> None:
    global _orphans_checked
    with _orphans_lock:
        if not _orphans_checked:
            _orphans_checked = True
            docker_sandbox.remove_orphans(client)
            docker_tmp.remove_orphans(docker_sandbox.pid_alive)


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
        api: RuntimeApi | None = None,
        **_: object,
    ) -> None:
        super().__init__(function, api_address, on_output, on_exit)
        self.image = docker_engine.image_for(function.runtime, settings, image)
        self.settings = settings
        self.api = api or RuntimeApi.serving(api_address)
        self.container: Any = None
        self.output_mode = "attach"  # "fifo" when output is read exactly (see docker_output)
        self.network: docker_network.NetworkPlan | None = None
        self.address: str | None = None  # the container's IP on the workbench's network
        self._tmp: TmpStorage | None = None
        self._closed = False
        self._kill_sent = False
        self._output: FifoOutput | AttachOutput = AttachOutput(on_output)
        self._peak_files: list[Path] = []
        self._peak_fd: int | None = None
        self._peak_closed = False
        self._peak_bytes: int | None = None
        self._invoke_vcpus: float | None = None
        self._cpu_file: Path | None = None
        self.cpu_updater: threading.Thread | None = None  # records the share in the engine
        self._lock = threading.Lock()

    @property
    def hints(self) -> list[str]:
        """Said with the cold start: the image runs another version than the runtime.

        Known from the runtime client's User-Agent at its first `next`, so it costs nothing
        and holds for any image (an explicit --image, a settings map, an official one).
        """
        agent = self.api.user_agent if self.api is not None else ""
        family = find_family(self.function.runtime) if agent else None
        ran = family.ran_other_version(agent, self.function.runtime) if family else None
        if ran is None:
            return []
        return [
            f"The image {self.image} runs {ran}, but the function's runtime is "
            f"{self.function.runtime} (what Lambda would run): choose an image for "
            f"{self.function.runtime} (--image, or the images setting), or change the runtime."
        ]

    def _setting(self, name: str, default: Any) -> Any:
        return default if self.settings is None else self.settings.get(name)

    # Start

    def start(self, cancel: CancelToken, sink: Sink) -> None:
        pending_tmp = PendingTmp(self.function.ephemeral_storage_mb)
        try:
            self._start(pending_tmp, cancel, sink)
        except BaseException:
            if self._tmp is None:
                pending_tmp.discard()
            raise

    def _start(self, pending_tmp: PendingTmp, cancel: CancelToken, sink: Sink) -> None:
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
        config = docker_engine.ensure_image_config(self.image, cancel, sink)
        dependencies = None
        if dependency_manifest(self.function) is not None:
            dependencies = ensure_dependencies(self.function, self.image, cancel, sink)
        cancel.raise_if_cancelled("Starting the container")
        net = docker_engine.networking()
        plan = docker_network.plan(
            client, net, self._setting("network", "isolated"), self._setting("docker_network", "")
        )
        address = docker_engine.container_api_address(self.api_address, net)
        if plan.api_host is not None and self.api is not None:
            address = self.api.listen(plan.api_host)
            if plan.restrict_peer:
                self.api.restrict_peer()
        self.network = plan
        self._tmp = pending_tmp.result()
        options = docker_sandbox.container_options(
            self.function,
            lambda_environment(self.function, address),
            plan.create_options(),
            self._cpu_plan(),
            dependencies,
            self._tmp.mount(),
        )
        # A family's own entrypoint (custom runtimes) replaces the image's.
        entrypoint = options.get("entrypoint") or config.get("Entrypoint") or []
        if docker_output.supported() and not net.desktop and entrypoint:
            fifo = FifoOutput(self.on_output)
            self._output, self.output_mode = fifo, "fifo"
            options["entrypoint"] = docker_output.wrap_entrypoint(list(entrypoint))
            options["mounts"].append(fifo.mount())
        self.adjust_options(options, config)
        try:
            self.container = engine_calls.create(client, self.image, **options)
            _open.add(self)
            if isinstance(self._output, AttachOutput):
                # Attach before start so that no output is missed; the stream keeps
                # stdout and stderr in the order the runtime wrote them.
                self._output.follow(client.attach(self.container.id))
            # When the runtime really begins (after any pull or pip install), for Init Duration;
            # refined below to the moment the engine started the container's first process.
            self.launched_at = time.perf_counter()
            self.container.start()
        except NotFound as error:
            self.close()
            raise WorkbenchError(
                f"Image {self.image} is not available: {error.explanation}."
            ) from error
        except EngineError as error:
            self.close()
            raise WorkbenchError(
                f"Docker could not start a container from {self.image}: "
                f"{getattr(error, 'explanation', None) or error}"
            ) from error
        threading.Thread(target=self._wait_exit, name="docker-env-wait", daemon=True).start()
        self._inspect_started(plan)

    def adjust_options(self, options: dict[str, Any], image_config: dict[str, Any]) -> None:
        """A hook for kinds of Docker environment that need more (the debugger's mounts)."""

    def _cpu_plan(self) -> float | None:
        """vCPUs for the init phase; the invoke share is applied by begin_invokes()."""
        if not self._setting("limit_cpu", True):
            return None
        share = docker_sandbox.proportional_vcpus(self.function.memory_mb)
        if not self._setting("init_full_cpu", True):
            return share
        self._invoke_vcpus = share
        return max(share, docker_sandbox.init_vcpus())

    def begin_invokes(self) -> None:
        """From the first event on, CPU in proportion to memory (init ran with up to 2 vCPUs)."""
        vcpus, self._invoke_vcpus = self._invoke_vcpus, None
        if vcpus is None or self.container is None or not self.alive:
            return
        quota = docker_sandbox.cpu_quota_us(vcpus)
        direct = self._cpu_file is not None and docker_sandbox.write_cpu_quota(
            self._cpu_file, quota
        )
        # The engine's record is updated too (docker inspect, later restarts): off the
        # invoke's path when the cgroup already has the value, on it otherwise.
        updater = threading.Thread(
            target=_update_cpu,
            args=(self.container.id, quota),
            name="docker-env-update",
            daemon=True,
        )
        updater.start()
        self.cpu_updater = updater
        if not direct:
            updater.join()

    def _inspect_started(self, plan: docker_network.NetworkPlan) -> None:
        """Learn the container's address (its Runtime API accepts only it) and its cgroup."""
        pid = None
        attrs: dict[str, Any] = {}
        with contextlib.suppress(EngineError):
            self.container.reload()
            attrs = self.container.attrs
            pid = attrs.get("State", {}).get("Pid")
        self.launched_at = docker_sandbox.process_start(attrs, self.launched_at or 0.0)
        if plan.network is not None:
            self.address = docker_network.container_address(attrs, plan.network)
        if plan.restrict_peer and self.api is not None and plan.network is not None:
            # An empty address refuses everything: the runtime then fails instead of running
            # unguarded (it only happens when the container is already gone).
            self.api.allow_peer(docker_network.container_address(attrs, plan.network) or "")
        self._cpu_file = docker_sandbox.cgroup_cpu_file(pid)
        files = docker_sandbox.cgroup_memory_files(self.container.id, pid)
        found = docker_sandbox.read_peak_bytes(files)
        self._peak_files = [found[1]] if found else []

    # Output and exit

    def _wait_exit(self) -> None:
        container = self.container
        code: int | None = None
        oom = False
        try:
            waited = container.wait(timeout=None)  # as long as the environment lives
            code = int(waited.get("StatusCode", -1))
            # The peak stays readable until the container is removed.
            self._read_peak()
            self._close_peak()
            container.reload()
            oom = bool(container.attrs.get("State", {}).get("OOMKilled"))
        except EngineError:
            pass  # removed while waiting: close() was called
        self._output.ended(1.0)
        if oom:
            info = ExitInfo(signal=9, out_of_memory=True)
        elif code is not None and code > 128:
            info = ExitInfo(signal=code - 128)  # Docker reports death by signal n as 128+n
        else:
            info = ExitInfo(code=code)
        self._exited_with(info)

    def flush_output(self, request_id: str, timeout: float) -> None:
        """Deliver the invoke's output: exactly (FIFO), or after a short quiet period (attach)."""
        self._output.drain(timeout)

    # Memory

    def _read_peak(self) -> int | None:
        # One open file, re-read from offset 0: ~3 us instead of ~60 us for open/read/close.
        with self._lock:
            if self._peak_fd is None and self._peak_files and not self._peak_closed:
                with contextlib.suppress(OSError):
                    self._peak_fd = os.open(self._peak_files[0], os.O_RDONLY)
            value = None
            if self._peak_fd is not None:
                with contextlib.suppress(OSError, ValueError):
                    value = int(os.pread(self._peak_fd, 64, 0).strip())
            if value is not None:
                self._peak_bytes = max(self._peak_bytes or 0, value)
            return self._peak_bytes

    def _close_peak(self) -> None:
        with self._lock:
            fd, self._peak_fd = self._peak_fd, None
            self._peak_closed = True
        if fd is not None:
            with contextlib.suppress(OSError):
                os.close(fd)

    def max_memory_used_mb(self) -> int | None:
        if self.exit_info is not None and self.exit_info.out_of_memory:
            return self.function.memory_mb
        peak = self._read_peak()
        if peak is None and not self._peak_files and self.container is not None:
            peak = self._stats_peak()  # remote engine or Desktop: no host cgroup to read
        return None if peak is None else max(1, round(peak / (1024 * 1024)))

    def _stats_peak(self) -> int | None:
        try:
            stats = self.container.stats()
        except EngineError:
            return None
        memory = stats.get("memory_stats") or {}
        value = memory.get("max_usage") or memory.get("usage")
        return int(value) if value else None

    # Stop

    def kill(self) -> None:
        """Ask the engine to kill the container; returns at once (a kill takes ~100 ms there).

        The exit is reported by the wait thread when the container is gone.
        """
        container = self.container
        if container is None or not self.alive or self._kill_sent:
            return
        self._kill_sent = True
        killer = threading.Thread(target=_kill, args=(container,), name="docker-env-kill")
        killer.daemon = True
        killer.start()

    def close(self) -> None:
        """Stop listening at once; the container is killed and removed in the background.

        Killing a container takes 100-200 ms in the engine; doing it off the
        caller's thread lets a fresh environment start meanwhile (save-to-ready).
        """
        self._output.close()
        self._close_peak()
        container, tmp = self.container, self._tmp
        if container is None or self._closed:
            if tmp is not None and not self._closed:
                tmp.close()
            self._closed = True
            return
        self._closed = True
        # The owner has moved on: a late exit of this container must not reach it.
        self.on_exit = _ignore_exit
        _open.discard(self)
        remover = threading.Thread(
            target=_remove, args=(container, tmp), name="docker-env-remove", daemon=True
        )
        with _removals_lock:
            _removals[remover] = (container.id, tmp)
        remover.start()


def _kill(container: Any) -> None:
    with contextlib.suppress(EngineError):
        container.kill()


def _update_cpu(container_id: str, quota_us: int) -> None:
    with contextlib.suppress(EngineError):
        Container(docker_engine.client(), container_id).update(
            cpu_period=docker_sandbox.CPU_PERIOD_US, cpu_quota=quota_us
        )


def _ignore_exit(info: ExitInfo) -> None:
    pass


def _remove(container: Any, tmp: TmpStorage | None) -> None:
    try:
        with contextlib.suppress(EngineError):
            container.remove(force=True)
        if tmp is not None:
            tmp.close()
    finally:
        with _removals_lock:
            _removals.pop(threading.current_thread(), None)


def wait_for_removals(timeout: float = 10.0) -> None:
    """Block until containers being removed are gone (at exit, and in tests)."""
    end = time.monotonic() + timeout
    while True:
        with _removals_lock:
            pending = list(_removals)
        if not pending or time.monotonic() >= end:
            return
        pending[0].join(max(0.0, end - time.monotonic()))
