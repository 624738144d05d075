"""Which engine to talk to: DOCKER_HOST, else the docker CLI's current context, else the
default socket, as `docker` itself decides.

Docker Desktop on Linux, Colima, Rancher Desktop and OrbStack set a context (in
~/.docker/config.json) instead of DOCKER_HOST, so `docker ps` works while the default
socket does not exist; without this the runner would say no engine answers.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOST = "unix:///var/run/docker.sock"
MAX_CONFIG_BYTES = 1024 * 1024


@dataclass(frozen=True)
class EngineAddress:
    host: str  # e.g. unix:///run/user/1000/docker.sock, tcp://localhost:2375
    source: str  # what chose it, for sentences: "DOCKER_HOST", "docker context colima", ...


def engine_address(environ: dict[str, str] | None = None) -> EngineAddress:
    environ = dict(os.environ) if environ is None else environ
    if environ.get("DOCKER_HOST"):
        return EngineAddress(environ["DOCKER_HOST"], "DOCKER_HOST")
    config = Path(environ.get("DOCKER_CONFIG") or Path.home() / ".docker")
    current = _read_json(config / "config.json").get("currentContext")
    name = environ.get("DOCKER_CONTEXT") or (current if isinstance(current, str) else "")
    if name and name != "default":
        import hashlib  # here: only a named context needs it

        digest = hashlib.sha256(name.encode()).hexdigest()
        meta = _read_json(config / "contexts" / "meta" / digest / "meta.json")
        endpoint = (meta.get("Endpoints") or {}).get("docker") or {}
        host = endpoint.get("Host") if isinstance(endpoint, dict) else None
        if isinstance(host, str) and host:
            return EngineAddress(host, f"docker context {name}")
    return EngineAddress(DEFAULT_HOST, "the default socket")


def _read_json(path: Path) -> dict:
    """A small JSON object from disk, or {} (missing, unreadable, too big, not an object)."""
    try:
        with open(path, "rb") as file:
            data = json.loads(file.read(MAX_CONFIG_BYTES + 1)[:MAX_CONFIG_BYTES])
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
