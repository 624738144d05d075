"""What a Lambda sandbox container looks like: limits, mounts, labels, cgroup memory, clean-up."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import socket
from pathlib import Path
from typing import Any

import docker.errors
from docker.types import Mount

from workbench.core.function import FunctionConfig
from workbench.core.settings import cache_dir

LABEL = "lambda-workbench"  # every container the workbench starts carries it
LABEL_PID = "lambda-workbench.pid"
LABEL_HOST = "lambda-workbench.host"
LABEL_FUNCTION = "lambda-workbench.function"
SANDBOX_USER = "993:990"  # Lambda's sbx_user1051
MB_PER_VCPU = 1769  # Lambda gives one full vCPU at 1,769 MB
PIDS_LIMIT = 1024  # Lambda's process/thread limit for a function
CGROUP_ROOT = Path("/sys/fs/cgroup")


def labels(function: FunctionConfig) -> dict[str, str]:
    return {
        LABEL: "1",
        LABEL_PID: str(os.getpid()),
        LABEL_HOST: socket.gethostname(),
        LABEL_FUNCTION: function.function_name,
    }


def nano_cpus(memory_mb: int, host_cores: int | None = None) -> int:
    """CPU share in proportion to memory (1,769 MB = 1 vCPU), capped by the host's cores."""
    cores = host_cores or os.cpu_count() or 1
    return int(min(memory_mb / MB_PER_VCPU, cores) * 1e9)


def dependency_mount_path(function: FunctionConfig) -> str:
    """Where the function family's installed dependencies go (/opt/python, /var/node_modules)."""
    from workbench.core.languages import find_family

    family = find_family(function.runtime)
    return (family.dependency_mount if family else None) or "/opt/python"


def layer_mounts(function: FunctionConfig, dependencies: Path | None) -> list[Mount]:
    """Mounts that make /opt look like Lambda's merged layers (+ installed dependencies).

    Each top-level entry of each layer is bind-mounted read-only under /opt;
    when two sources provide the same entry, they are merged into a cached
    copy (later layers win, as in Lambda).
    """
    sources: dict[str, list[Path]] = {}
    outside: list[Mount] = []
    if dependencies is not None:
        target = dependency_mount_path(function)
        if target.startswith("/opt/") and target.count("/") == 2:
            sources.setdefault(target.removeprefix("/opt/"), []).append(dependencies)
        else:
            outside.append(Mount(target, str(dependencies), type="bind", read_only=True))
    for layer in function.layers:
        if not layer.is_dir():
            continue
        for entry in sorted(layer.iterdir()):
            sources.setdefault(entry.name, []).append(entry)
    mounts = []
    for name, paths in sources.items():
        source = paths[0] if len(paths) == 1 else _merged(name, paths)
        mounts.append(Mount(f"/opt/{name}", str(source), type="bind", read_only=True))
    return outside + mounts


def _merged(name: str, paths: list[Path]) -> Path:
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
    host_network: bool,
    limit_cpu: bool,
    dependencies: Path | None,
) -> dict[str, Any]:
    """Keyword arguments for `containers.create`, shaped like Lambda's sandbox."""
    memory = f"{function.memory_mb}m"
    options: dict[str, Any] = {
        "command": [function.handler],
        **_entrypoint(function),
        "environment": environment,
        "user": SANDBOX_USER,
        "working_dir": "/var/task",
        "mounts": [
            Mount("/var/task", str(function.code_dir.resolve()), type="bind", read_only=True),
            *layer_mounts(function, dependencies),
        ],
        # Lambda's /tmp allows exec; Docker's tmpfs default would not.
        "tmpfs": {"/tmp": f"rw,exec,nosuid,nodev,size={function.ephemeral_storage_mb}m,mode=1777"},
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
    }
    if host_network:
        options["network_mode"] = "host"
    else:
        options["extra_hosts"] = {"host.docker.internal": "host-gateway"}
    if limit_cpu:
        options["nano_cpus"] = nano_cpus(function.memory_mb)
    return options


def _entrypoint(function: FunctionConfig) -> dict[str, Any]:
    """A family's own entrypoint (custom runtimes: find the bootstrap as Lambda does), if any."""
    from workbench.core.languages import find_family

    entrypoint = getattr(find_family(function.runtime), "container_entrypoint", None)
    return {"entrypoint": list(entrypoint)} if entrypoint else {}


def remove_orphans(client: docker.DockerClient) -> int:
    """Remove containers left by workbench processes on this host that no longer exist."""
    removed = 0
    host = socket.gethostname()
    try:
        found = client.containers.list(all=True, filters={"label": f"{LABEL_HOST}={host}"})
    except docker.errors.APIError:
        return 0
    for container in found:
        try:
            pid = int(container.labels.get(LABEL_PID, "0"))
        except ValueError:
            pid = 0
        if pid and pid_alive(pid):
            continue
        with contextlib.suppress(docker.errors.APIError):
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
