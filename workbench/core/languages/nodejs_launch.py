"""How a Node.js function's process environment starts: which `node`, its version, NODE_PATH.

Policy for the major version (nodejs22.x wants Node 22): the function runs with the
matching `node` when one is found (PATH first, then nvm's versions folder); otherwise with
the `node` on PATH and a warning that says which version ran, because a near version is
better than no local run. Only a `node` older than the runtime client supports (18) is
refused.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import threading
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.languages.base import Launch, host_environment, with_init
from workbench.core.runtime.lambda_env import lambda_environment

OLDEST_MAJOR = 18  # the runtime client uses ES2022 and node: imports
_RUNTIME = re.compile(r"^nodejs(\d+)\.x$")
_VERSION = re.compile(r"^v(\d+)\.(\d+)\.(\d+)")
_QUERY_TIMEOUT_S = 10.0
_cache: dict[tuple[str, int], str | None] = {}
_warned: set[tuple[str, str]] = set()
_guard = threading.Lock()


@dataclass(frozen=True)
class Node:
    path: str
    version: str  # "20.20.2"
    source: str  # "PATH", "nvm"

    @property
    def major(self) -> int:
        return int(self.version.split(".")[0])

    def describe(self) -> str:
        return f"Node.js {self.version} from {self.source} ({self.path})"


def runtime_major(runtime: str) -> int | None:
    """'nodejs22.x' -> 22; None when the id is not nodejsNN.x."""
    match = _RUNTIME.match(runtime)
    return int(match[1]) if match else None


def bootstrap_path() -> Path:
    from workbench.core.runtime.nodejs import bootstrap_file

    return bootstrap_file()


def _disk_cache() -> Path:
    from workbench.core.settings import cache_dir

    return cache_dir() / "node-versions.json"


def _read_disk(key: str) -> str | None:
    # Asking node costs a process start (50-200 ms); a CLI invoke would pay it every time.
    try:
        data = json.loads(_disk_cache().read_text(encoding="utf-8")[:1_000_000])
    except (OSError, ValueError):
        return None
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) and _VERSION.match("v" + value) else None


def _write_disk(key: str, version: str) -> None:
    from workbench.core.settings import atomic_write_text

    try:
        data = json.loads(_disk_cache().read_text(encoding="utf-8")[:1_000_000])
    except (OSError, ValueError):
        data = {}
    if not isinstance(data, dict) or len(data) > 200:
        data = {}
    data[key] = version
    with contextlib.suppress(OSError):
        _disk_cache().parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(_disk_cache(), json.dumps(data))


def node_version(path: str) -> str | None:
    """'20.20.2' for a node binary (cached per path, size and modification time)."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    key = (path, info.st_mtime_ns)
    disk_key = f"{os.path.realpath(path)}|{info.st_size}|{info.st_mtime_ns}"
    with _guard:
        if key in _cache:
            return _cache[key]
    cached = _read_disk(disk_key)
    if cached is not None:
        with _guard:
            _cache[key] = cached
        return cached
    try:
        run = subprocess.run(
            [path, "--version"],
            capture_output=True,
            text=True,
            timeout=_QUERY_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
        match = _VERSION.match(run.stdout.strip())
        version = ".".join(match.groups()) if run.returncode == 0 and match else None
    except (OSError, subprocess.TimeoutExpired):
        version = None
    with _guard:
        _cache[key] = version
    if version is not None:
        _write_disk(disk_key, version)
    return version


def _nvm_nodes(major: int) -> list[Path]:
    root = Path(os.environ.get("NVM_DIR") or Path.home() / ".nvm") / "versions" / "node"
    try:
        entries = [e for e in root.iterdir() if e.name.startswith(f"v{major}.")]
    except OSError:
        return []

    def patch(entry: Path) -> tuple[int, ...]:
        match = _VERSION.match(entry.name)
        return tuple(int(x) for x in match.groups()) if match else (0,)

    return [e / "bin" / "node" for e in sorted(entries, key=patch, reverse=True)]


def find_node(runtime: str) -> tuple[Node, str | None]:
    """The node to run `runtime` with, and a warning sentence when it is another major.

    The warning is given once per process for each runtime and binary.
    """
    wanted = runtime_major(runtime)
    if wanted is None:
        raise WorkbenchError(f"{runtime!r} is not a Node.js runtime id such as nodejs22.x.")
    on_path = shutil.which("node")
    candidates = [(on_path, "PATH")] if on_path else []
    candidates += [(str(p), "nvm") for p in _nvm_nodes(wanted) if p.exists()]
    found: list[Node] = []
    for path, source in candidates:
        version = node_version(path)
        if version is not None:
            found.append(Node(path, version, source))
    if not found:
        raise WorkbenchError(
            f"The process runner needs Node.js {wanted} to run this {runtime} function and "
            "found no 'node' on PATH; install Node.js (nodejs.org, nvm or your package "
            "manager) or use the Docker runner."
        )
    exact = [n for n in found if n.major == wanted]
    node = exact[0] if exact else found[0]
    if node.major < OLDEST_MAJOR:
        raise WorkbenchError(
            f"The 'node' on PATH is Node.js {node.version} ({node.path}); the process runner "
            f"needs Node.js {OLDEST_MAJOR} or newer, and this {runtime} function runs Node.js "
            f"{wanted} on Lambda. Install Node.js {wanted} or use the Docker runner."
        )
    warning = None
    if node.major != wanted:
        with _guard:
            first = (runtime, node.path) not in _warned
            _warned.add((runtime, node.path))
        if first:
            warning = (
                f"This {runtime} function ran on Node.js {node.version} ({node.path}) because "
                f"no Node.js {wanted} was found on PATH or in nvm; behaviour may differ from "
                f"Lambda's. Install Node.js {wanted} (for example with nvm) or use the Docker "
                "runner."
            )
    return node, warning


def node_path(function: FunctionConfig, major: int) -> list[str]:
    """NODE_PATH in Lambda's order: each layer's nodejs/nodeNN and nodejs/node_modules."""
    paths: list[str] = []
    for layer in reversed(function.layers):  # later layers win, as in the merged /opt
        paths += [
            str(layer / "nodejs" / f"node{major}" / "node_modules"),
            str(layer / "nodejs" / "node_modules"),
        ]
    return paths


def launch(function: FunctionConfig, api_address: str, source_dir: Path | None = None) -> Launch:
    """`source_dir`: the folder the code was built from, when code_dir is a build (esbuild)."""
    code_dir = function.code_dir
    node, warning = find_node(function.runtime)
    bootstrap = bootstrap_path()
    env = lambda_environment(
        function, api_address, task_root=str(code_dir), runtime_dir=str(bootstrap.parent)
    )
    # What really runs, not what the function asked for.
    env["AWS_EXECUTION_ENV"] = f"AWS_Lambda_nodejs{node.major}.x"
    paths = node_path(function, node.major)
    if source_dir is not None and source_dir != code_dir:
        # Packages the bundle left out (External) still resolve from the source's node_modules.
        paths.append(str(source_dir / "node_modules"))
    if paths:
        env["NODE_PATH"] = os.pathsep.join(paths)
    # The official images start node with these flags (global.gc exists, as in Lambda).
    argv = (node.path, "--expose-gc", "--max-http-header-size=81920", str(bootstrap))
    return Launch(
        # Under the environment's init, as Python's: nothing outlives the environment, even
        # when the workbench itself is killed.
        argv=with_init((*argv, function.handler)),
        env=host_environment(env),
        cwd=code_dir,
        runtime_version=node.describe(),
        hints=(warning,) if warning else (),
    )
