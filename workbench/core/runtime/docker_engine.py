"""The Docker engine: connection, status, networking, images per runtime and pulls."""

from __future__ import annotations

import contextlib
import os
import queue
import re
import sys
import threading
import urllib.parse
from dataclasses import dataclass
from typing import Any

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.progress import CancelToken, NullSink, Sink
from workbench.core.runtime import engine_calls
from workbench.core.runtime.engine_address import engine_address
from workbench.core.runtime.engine_http import (
    Engine,
    EngineError,
    NotFound,
    Unreachable,
    UnsupportedAddress,
)

OFFICIAL_REPOSITORY = "public.ecr.aws/lambda"
START_ENGINE_HINT = (
    "Start Docker Desktop, or on Linux start the engine with 'sudo systemctl start docker' "
    "(or 'sudo dockerd &'); for rootless Docker or Podman set DOCKER_HOST to its socket, "
    "e.g. unix:///run/user/1000/podman/podman.sock. Or choose the process runner."
)

_client_lock = threading.Lock()
_client: Engine | None = None
_connect_version: dict[str, Any] | None = None  # the shared client's first /version answer


@dataclass(frozen=True)
class EngineStatus:
    """Whether an engine answers, its version, and a sentence for the user."""

    ok: bool
    version: str | None
    sentence: str


@dataclass(frozen=True)
class Networking:
    """How a container reaches the workbench's loopback Runtime API."""

    host_network: bool  # Linux engine: share the host's network namespace
    host_address: str  # what the container uses in place of 127.0.0.1
    desktop: bool


def _connect_error(error: Exception) -> WorkbenchError:
    if isinstance(error, UnsupportedAddress):
        return WorkbenchError(error.explanation)  # says what to set instead
    address = engine_address()
    where = (
        address.host if address.source == "DOCKER_HOST" else f"{address.source} ({address.host})"
    )
    cause = error.reason if isinstance(error, Unreachable) else error
    if isinstance(cause, FileNotFoundError):
        reason = "the socket does not exist"
    elif isinstance(cause, PermissionError):
        reason = "permission denied; add your user to the 'docker' group and log in again"
    elif isinstance(cause, ConnectionRefusedError):
        reason = "connection refused"
    else:
        reason = _short(error)
    return WorkbenchError(f"No Docker engine answers at {where} ({reason}). {START_ENGINE_HINT}")


def _short(error: Exception) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return text[:200]


def client() -> Engine:
    """The shared client, for the engine `docker` would use (engine_address.py).

    Each call has its own connection and a 60 s timeout unless it passes another
    (waits and output streams pass None: they last as long as a warm environment).
    """
    global _client, _connect_version
    with _client_lock:
        if _client is None:
            try:
                candidate = Engine()
                # Proves the engine answers (as ping would) and is kept for engine_status.
                _connect_version = candidate.version()
            except EngineError as error:
                raise _connect_error(error) from error
            _client = candidate
            _ask_info(candidate)
        return _client


def connect_soon() -> None:
    """Connect on a thread of its own (a caller that will need the engine, while it reads
    the project first); `client()` then finds the connection made or waits for it."""

    def connect() -> None:
        with contextlib.suppress(WorkbenchError):  # said again by the caller's own client()
            client()

    threading.Thread(target=connect, name="docker-connect", daemon=True).start()


def forget_client() -> None:
    """Drop the shared client (the engine went away or DOCKER_HOST changed)."""
    global _client, _connect_version
    with _client_lock:
        _client = None
        _connect_version = None


def remove_detached(container_ids: list[str]) -> bool:
    """Ask a local engine to force-remove containers without waiting for it (at exit).

    Only over a Unix socket, where the engine completes a removal whose client has gone;
    False (the caller waits instead) for any other connection.
    """
    if not container_ids:
        return True
    with _client_lock:
        engine = _client
    if engine is None or engine.api_version is None or not engine.local_socket:
        return False
    for container_id in container_ids:
        try:
            engine.send_only("DELETE", f"/containers/{container_id}", {"force": True})
        except EngineError:
            return False
    return True


def engine_status() -> EngineStatus:
    """Ask the engine for its version, without raising."""
    global _connect_version
    try:
        engine = client()
        # The answer got while connecting is used once; later checks ask the engine again.
        with _client_lock:
            found, _connect_version = _connect_version, None
        version = (found or engine.version()).get("Version")
    except WorkbenchError as error:
        return EngineStatus(False, None, str(error))
    except EngineError as error:
        forget_client()
        return EngineStatus(False, None, str(_connect_error(error)))
    return EngineStatus(True, version, f"Docker engine {version} is running.")


def networking_for(info: dict[str, Any], platform: str | None = None) -> Networking:
    """Decide how containers reach the host from the engine's `info()`.

    A Linux engine on this machine shares its network namespace (host network,
    127.0.0.1). Docker Desktop runs the engine in a VM, so containers reach the
    host through host.docker.internal; the same applies when the client is not
    on Linux (the engine cannot be local then).
    """
    platform = platform or sys.platform
    operating_system = str(info.get("OperatingSystem", ""))
    desktop = "docker desktop" in operating_system.lower() or not platform.startswith("linux")
    if desktop:
        return Networking(host_network=False, host_address="host.docker.internal", desktop=True)
    if any("rootless" in str(option) for option in info.get("SecurityOptions") or []):
        # Rootless Docker's "host" network is RootlessKit's namespace; the real host's
        # loopback is its gateway 10.0.2.2 (needs host loopback enabled in RootlessKit).
        return Networking(host_network=True, host_address="10.0.2.2", desktop=False)
    return Networking(host_network=True, host_address="127.0.0.1", desktop=False)


def check_local_engine(docker_host: str | None = None) -> None:
    """The engine must run on this machine: code is bind-mounted, the API is on loopback."""
    source = "DOCKER_HOST"
    if docker_host is None:
        address = engine_address()
        docker_host, source = address.host, address.source
    if not docker_host.startswith(("tcp://", "ssh://", "http://", "https://")):
        return
    host = urllib.parse.urlsplit(docker_host).hostname or ""
    if host not in ("localhost", "127.0.0.1", "::1"):
        undo = "Unset DOCKER_HOST" if source == "DOCKER_HOST" else "Choose a local context"
        raise WorkbenchError(
            f"{source} points at another machine ({docker_host}); the Docker runner needs "
            "an engine on this machine, because it mounts your code folder and the runtime "
            f"calls back to the workbench on loopback. {undo} or use the process runner."
        )


_networking: dict[int, Networking] = {}
_info_asked: dict[int, threading.Thread] = {}


def _ask_info(engine: Engine) -> None:
    """GET /info (5-10 ms in the engine) on a thread of its own, right after connecting:
    by the time a runner needs `networking()` the answer is there."""

    def ask() -> None:
        with contextlib.suppress(EngineError):
            _networking[id(engine)] = networking_for(engine.call("GET", "/info"))

    thread = threading.Thread(target=ask, name="docker-info", daemon=True)
    _info_asked[id(engine)] = thread
    thread.start()


def networking() -> Networking:
    """How this engine's containers reach the host (asked once per client)."""
    engine = client()
    key = id(engine)
    asked = _info_asked.get(key)
    if asked is not None:
        asked.join(engine.timeout)
    if key not in _networking:
        _networking[key] = networking_for(engine.call("GET", "/info"))
    return _networking[key]


def container_api_address(api_address: str, net: Networking) -> str:
    """The Runtime API address as seen from inside a container."""
    host, _, port = api_address.rpartition(":")
    if host not in ("127.0.0.1", "localhost", "::1", "[::1]") or net.host_address == "127.0.0.1":
        return api_address
    return f"{net.host_address}:{port}"


def default_image(runtime: str) -> str:
    """The official AWS base image for a Lambda runtime id."""
    patterns = (
        (r"python(3\.\d+)", "python:{}"),
        (r"nodejs(\d+)\.x", "nodejs:{}"),
        (r"java(\d+)(?:\.al2)?", "java:{}"),
        (r"ruby(3\.\d+)", "ruby:{}"),
        (r"dotnet(\d+)", "dotnet:{}"),
        (r"provided\.(al2023|al2)", "provided:{}"),
        (r"provided", "provided:alami"),
    )
    for pattern, tag in patterns:
        match = re.fullmatch(pattern, runtime)
        if match:
            return f"{OFFICIAL_REPOSITORY}/{tag.format(*match.groups())}"
    raise WorkbenchError(
        f"There is no official Lambda image for runtime {runtime!r}; set one in the "
        "'images' setting (runtime -> image) or pass --image."
    )


def image_for(runtime: str, settings: Any = None, override: str | None = None) -> str:
    """The image to run: per-invoke override, then the `images` setting, then the official one."""
    if override:
        return override
    if settings is not None:
        images = settings.get("images") or {}
        if isinstance(images, dict) and isinstance(images.get(runtime), str) and images[runtime]:
            return str(images[runtime])
    return default_image(runtime)


def image_present(image: str) -> bool:
    try:
        engine_calls.image(client(), image)
    except NotFound:
        return False
    except EngineError as error:
        raise WorkbenchError(f"Docker could not look up image {image}: {_short(error)}") from error
    return True


def ensure_image(image: str, cancel: CancelToken | None = None, sink: Sink | None = None) -> None:
    """Pull `image` unless the engine already has it."""
    if not image_present(image):
        pull_image(image, cancel or CancelToken(), sink or NullSink())


def ensure_image_config(image: str, cancel: CancelToken, sink: Sink) -> dict[str, Any]:
    """The image's Config (Entrypoint, Env, ...), pulling it first when it is missing."""
    for _ in range(2):
        try:
            return dict(engine_calls.image(client(), image).get("Config") or {})
        except NotFound:
            pull_image(image, cancel, sink)
        except EngineError as error:
            sentence = f"Docker could not look up image {image}: {_short(error)}"
            raise WorkbenchError(sentence) from error
    raise WorkbenchError(f"Docker reported pulling {image} but the image is not there.")


def _split_tag(image: str) -> tuple[str, str]:
    if "@" in image:
        return image, ""
    repository, sep, tag = image.rpartition(":")
    if not sep or "/" in tag:
        return image, "latest"
    return repository, tag


def _pull_error(image: str, text: str) -> WorkbenchError:
    lowered = text.lower()
    if any(s in lowered for s in ("not found", "manifest unknown", "does not exist", "denied")):
        return WorkbenchError(
            f"Image {image} does not exist or is not accessible ({text}). Check the name in the "
            "'images' setting or --image, and log in with 'docker login' if it is private."
        )
    if any(
        s in lowered
        for s in ("no such host", "dial tcp", "timeout", "network is unreachable", "connection")
    ):
        return WorkbenchError(
            f"Could not download image {image}: the registry cannot be reached ({text}). "
            "Check your network connection or proxy, point the 'images' setting (or --image) "
            "at an image you already have, or run without Docker with --runner process."
        )
    return WorkbenchError(f"Could not download image {image}: {text}")


class _PullProgress:
    """Adds up per-layer byte counts from the engine's pull stream."""

    def __init__(self, image: str, sink: Sink) -> None:
        self.image = image
        self.sink = sink
        self.layers: dict[str, tuple[int, int]] = {}  # id -> (current, total) downloading
        self.finished: set[str] = set()
        self.announced: set[str] = set()

    def feed(self, event: dict[str, Any]) -> None:
        if event.get("error"):
            raise _pull_error(self.image, str(event["error"]).strip())
        layer = event.get("id")
        status = str(event.get("status", ""))
        detail = event.get("progressDetail") or {}
        if layer and status in ("Pulling fs layer", "Waiting"):
            self.announced.add(layer)
            return
        if layer and status == "Downloading" and detail.get("total"):
            self.layers[layer] = (int(detail.get("current", 0)), int(detail["total"]))
        elif layer and status in ("Download complete", "Pull complete", "Already exists"):
            self.finished.add(layer)
            if layer in self.layers:
                total = self.layers[layer][1]
                self.layers[layer] = (total, total)
        else:
            return
        done = sum(current for current, _ in self.layers.values())
        total = sum(size for _, size in self.layers.values())
        # A fraction only once every layer's size is known, so that it never goes back.
        sized = all(layer in self.layers or layer in self.finished for layer in self.announced)
        fraction = done / total if total and sized else None
        self.sink.progress(
            f"Pulling {self.image}: {done / 1e6:.1f} of {total / 1e6:.1f} MB "
            f"({len(self.finished)} layers done)",
            fraction,
        )


def pull_image(image: str, cancel: CancelToken, sink: Sink) -> None:
    """Pull with per-layer byte progress; cancelling drops the connection, which stops the pull."""
    client()  # a clear sentence when no engine answers
    # The Docker SDK here, for its registry credentials (helpers, ~/.docker/config.json).
    import docker
    import docker.errors

    # A private connection, so that closing it on cancel cannot break other users.
    try:
        environment = {**os.environ, "DOCKER_HOST": engine_address().host}  # a context too
        private = docker.from_env(timeout=None, environment=environment)
    except docker.errors.DockerException as error:
        raise _connect_error(error) from error
    api = private.api
    repository, tag = _split_tag(image)
    sink.progress(f"Pulling {image}", None)
    events: queue.Queue[Any] = queue.Queue()
    progress = _PullProgress(image, sink)

    def read() -> None:
        try:
            for event in api.pull(repository, tag=tag or None, stream=True, decode=True):
                events.put(event)
            events.put(None)
        except Exception as error:  # delivered to the caller's thread below
            events.put(error)

    reader = threading.Thread(target=read, name=f"pull {image}", daemon=True)
    reader.start()
    try:
        while True:
            if cancel.cancelled:
                raise Cancelled(f"Pulling {image}")
            try:
                item = events.get(timeout=0.1)
            except queue.Empty:
                continue
            if item is None:
                break
            if isinstance(item, docker.errors.NotFound):
                raise _pull_error(image, "not found")
            if isinstance(item, docker.errors.APIError):
                raise _pull_error(image, str(item.explanation or item))
            if isinstance(item, Exception):
                raise _pull_error(image, _short(item))
            progress.feed(item)
    finally:
        private.close()
    if not image_present(image):
        raise WorkbenchError(f"Docker reported pulling {image} but the image is not there.")
    sink.progress(f"Pulled {image}", 1.0)
