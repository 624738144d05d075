"""What a Lambda sandbox container looks like: limits, mounts, labels, cgroup memory, clean-up."""

from __future__ import annotations

import contextlib
import datetime
import os
import re
import shutil
import socket
import time
from pathlib import Path
from typing import Any

from workbench.core.function import FunctionConfig
from workbench.core.runtime import engine_calls
from workbench.core.runtime.engine_calls import bind
from workbench.core.runtime.engine_http import Engine, EngineError
from workbench.core.settings import cache_dir

LABEL = "lambda-workbench"  # every container the workbench starts carries it
LABEL_PID = "lambda-workbench.pid"
LABEL_HOST = "lambda-workbench.host"
LABEL_FUNCTION = "lambda-workbench.function"
SANDBOX_USER = "993:990"  # Lambda's sbx_user1051
MB_PER_VCPU = 1769  # Lambda gives one full vCPU at 1,769 MB
INIT_VCPUS = 2  # init runs unthrottled up to about 2 vCPUs on Lambda (README, metrics)
CPU_PERIOD_US = 100_000
# The project's secrets file (project/model.py SECRETS_FILE; runtime must not import project).
SECRETS_FILE = ".lambda-workbench.secrets.json"
PIDS_LIMIT = 1024  # Lambda's process/thread limit for a function
CGROUP_ROOT = Path("/sys/fs/cgroup")


def labels(function: FunctionConfig) -> dict[str, str]:
    return {
        LABEL: "1",
        LABEL_PID: str(os.getpid()),
        LABEL_HOST: socket.gethostname(),
        LABEL_FUNCTION: function.function_name,
    }


def proportional_vcpus(memory_mb: int, host_cores: int | None = None) -> float:
    return min(memory_mb / MB_PER_VCPU, host_cores or os.cpu_count() or 1)


def init_vcpus(host_cores: int | None = None) -> float:
    return float(min(INIT_VCPUS, host_cores or os.cpu_count() or 1))


def cpu_quota_us(vcpus: float) -> int:
    """CFS quota per CPU_PERIOD_US for `vcpus` (the engine refuses less than 1 ms)."""
    return max(1000, int(vcpus * CPU_PERIOD_US))


def hidden_file_mounts(function: FunctionConfig) -> list[dict[str, Any]]:
    """An empty read-only file over the secrets file, so a function never sees any secret."""
    if not (function.code_dir / SECRETS_FILE).exists():
        return []
    empty = cache_dir() / "empty-file"
    if not empty.exists():
        empty.parent.mkdir(parents=True, exist_ok=True)
        empty.write_bytes(b"")
        empty.chmod(0o444)
    return [bind(f"/var/task/{SECRETS_FILE}", str(empty), read_only=True)]


def dependency_mount_path(function: FunctionConfig) -> str:
    """Where the function family's installed dependencies go (/opt/python, /var/node_modules)."""
    from workbench.core.languages import find_family

    family = find_family(function.runtime)
    return (family.dependency_mount if family else None) or "/opt/python"


def layer_mounts(function: FunctionConfig, dependencies: Path | None) -> list[dict[str, Any]]:
    """Mounts that make /opt look like Lambda's merged layers (+ installed dependencies).

    Each top-level entry of each layer is bind-mounted read-only under /opt;
    when two sources provide the same entry, they are merged into a cached
    copy (later layers win, as in Lambda).
    """
    sources: dict[str, list[Path]] = {}
    outside: list[dict[str, Any]] = []
    if dependencies is not None:
        target = dependency_mount_path(function)
        if target.startswith("/opt/") and target.count("/") == 2:
            sources.setdefault(target.removeprefix("/opt/"), []).append(dependencies)
        else:
            outside.append(bind(target, str(dependencies), read_only=True))
    for layer in function.layers:
        if not layer.is_dir():
            continue
        for entry in sorted(layer.iterdir()):
            sources.setdefault(entry.name, []).append(entry)
    mounts = []
    for name, paths in sources.items():
        source = paths[0] if len(paths) == 1 else _merged(name, paths)
        mounts.append(bind(f"/opt/{name}", str(source), read_only=True))
    return outside + mounts


def _merged(name: str, paths: list[Path]) -> Path:
    import hashlib  # here: only merged layers need it (loading OpenSSL costs ~4 ms)

    digest = hashlib.sha256()
    for path in paths:
        for file in sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]:
            stat = file.stat()
            digest.update(f"{file}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    target = cache_dir() / "layers" / f"{name}-{digest.hexdigest()[:16]}"
    if not target.exists():
        partial = target.with_name(target.name + f".{os.getpid()}.partial")
        shutil.rmtree(partial, ignore_errors=True)
        for path in paths:
            if path.is_dir():
                shutil.copytree(path, partial, dirs_exist_ok=True)
            else:
                partial.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, partial)
        with contextlib.suppress(OSError):  # another workbench may have won the race
            os.replace(partial, target)
        shutil.rmtree(partial, ignore_errors=True)
    return target


def container_options(
    function: FunctionConfig,
    environment: dict[str, str],
    network: dict[str, Any],
    cpu_vcpus: float | None,
    dependencies: Path | None,
    tmp: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Keyword arguments for `engine_calls.create`, shaped like Lambda's sandbox."""
    memory = f"{function.memory_mb}m"
    options: dict[str, Any] = {
        "command": [function.handler],
        **_entrypoint(function),
        "environment": environment,
        "user": SANDBOX_USER,
        "working_dir": "/var/task",
        "mounts": [
            bind("/var/task", str(function.code_dir.resolve()), read_only=True),
            *hidden_file_mounts(function),
            *layer_mounts(function, dependencies),
        ],
        "read_only": True,
        "security_opt": ["no-new-privileges"],
        "cap_drop": ["ALL"],
        "pids_limit": PIDS_LIMIT,
        "mem_limit": memory,
        "memswap_limit": memory,  # equal to the memory limit: no swap
        "labels": labels(function),
        "detach": True,
        "stdin_open": False,
        "tty": False,
        # A tiny init as PID 1: the runtime can then die of its own signals (a function that
        # SIGKILLs or SIGTERMs itself ends the environment with Runtime.ExitError, as on Lambda).
        "init": True,
        **network,
    }
    if tmp is not None:
        options["mounts"].append(tmp)  # docker_tmp: not charged to memory
    else:
        # Lambda's /tmp allows exec; Docker's tmpfs default would not.
        size = function.ephemeral_storage_mb
        options["tmpfs"] = {"/tmp": f"rw,exec,nosuid,nodev,size={size}m,mode=1777"}
    if cpu_vcpus is not None:
        options["cpu_period"] = CPU_PERIOD_US
        options["cpu_quota"] = cpu_quota_us(cpu_vcpus)
    return options


def _entrypoint(function: FunctionConfig) -> dict[str, Any]:
    """A family's own entrypoint (custom runtimes: find the bootstrap as Lambda does), if any."""
    from workbench.core.languages import find_family

    entrypoint = getattr(find_family(function.runtime), "container_entrypoint", None)
    return {"entrypoint": list(entrypoint)} if entrypoint else {}


def remove_orphans(client: Engine) -> int:
    """Remove containers left by workbench processes on this host that no longer exist."""
    removed = 0
    host = socket.gethostname()
    try:
        found = engine_calls.list_containers(client, f"{LABEL_HOST}={host}")
    except EngineError:
        return 0
    for container in found:
        try:
            pid = int(container.labels.get(LABEL_PID, "0"))
        except ValueError:
            pid = 0
        if pid and pid_alive(pid):
            continue
        with contextlib.suppress(EngineError):
            container.remove(force=True)
            removed += 1
    return removed


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie has exited; only its parent has not reaped it yet.
    with contextlib.suppress(OSError):
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        return state != "Z"
    return True


def cgroup_memory_files(container_id: str, pid: int | None) -> list[Path]:
    """Candidate peak-memory files of a container's cgroup on this host (v1 and v2)."""
    relative: list[str] = []
    if pid:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
                _, controllers, path = line.split(":", 2)
                if controllers in ("memory", "") or "memory" in controllers.split(","):
                    relative.append(path.lstrip("/"))
    relative += [
        f"docker/{container_id}",
        f"system.slice/docker-{container_id}.scope",
        f"machine.slice/libpod-{container_id}.scope",
    ]
    files = []
    for rel in relative:
        files.append(CGROUP_ROOT / "memory" / rel / "memory.max_usage_in_bytes")  # v1
        files.append(CGROUP_ROOT / rel / "memory.peak")  # v2, kernel 5.19+
    return files


def read_peak_bytes(files: list[Path]) -> tuple[int, Path] | None:
    for file in files:
        try:
            return int(file.read_text().strip()), file
        except (OSError, ValueError):
            continue
    return None


def cgroup_cpu_file(pid: int | None) -> Path | None:
    """The CFS quota file of a process's cgroup on this host (v1 cpu.cfs_quota_us, v2 cpu.max)."""
    if not pid:
        return None
    with contextlib.suppress(OSError, ValueError):
        for line in Path(f"/proc/{pid}/cgroup").read_text().splitlines():
            _, controllers, path = line.split(":", 2)
            rel = path.lstrip("/")
            if controllers == "":
                candidate = CGROUP_ROOT / rel / "cpu.max"
            elif "cpu" in controllers.split(","):
                candidate = CGROUP_ROOT / controllers / rel / "cpu.cfs_quota_us"
            else:
                continue
            if candidate.exists():
                return candidate
    return None


def write_cpu_quota(file: Path, quota_us: int) -> bool:
    """Set a cgroup's CPU quota directly (~0.1 ms, against ~20 ms for `docker update`)."""
    value = f"{quota_us} {CPU_PERIOD_US}" if file.name == "cpu.max" else str(quota_us)
    try:
        file.write_text(value)
    except OSError:
        return False
    return True


def process_start(attrs: dict[str, Any], before_start: float) -> float:
    """When the container's first process started, on the perf_counter clock.

    The engine's own work in `start` (network, mounts, runc: 50-300 ms) is not the
    function's init; Lambda's Init Duration starts with the runtime. Falls back to the
    moment start was requested when the engine's clock disagrees (a VM's clock).
    """
    text = str((attrs.get("State") or {}).get("StartedAt") or "")
    match = re.fullmatch(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?Z", text)
    if match is None:
        return before_start
    whole = datetime.datetime.fromisoformat(match[1]).replace(tzinfo=datetime.timezone.utc)
    started = whole.timestamp() + float(f"0.{match[2] or 0}")
    now_perf, now_wall = time.perf_counter(), time.time()
    launched = now_perf - (now_wall - started)
    return launched if before_start <= launched <= now_perf else before_start
