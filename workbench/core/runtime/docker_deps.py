"""A function's requirements.txt, installed once per content hash with the function's own image."""

from __future__ import annotations

import contextlib
import os
import threading
from pathlib import Path
from typing import Any

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.languages import family_for, find_family
from workbench.core.languages.cache_build import build_once
from workbench.core.progress import CancelToken, Sink
from workbench.core.runtime import docker_engine, docker_sandbox, engine_calls
from workbench.core.runtime.engine_calls import bind
from workbench.core.runtime.engine_http import EngineError
from workbench.core.settings import cache_dir

# Passed to pip inside the container so that the user's index and proxy settings apply.
PIP_VARIABLES = (
    "PIP_INDEX_URL",
    "PIP_EXTRA_INDEX_URL",
    "PIP_TRUSTED_HOST",
    "HTTP_PROXY",
    "HTTPS_PROXY",
    "NO_PROXY",
    "http_proxy",
    "https_proxy",
    "no_proxy",
)
# npm's registry and proxy settings, passed the same way.
NPM_VARIABLES = ("npm_config_registry", "NPM_CONFIG_REGISTRY", "npm_config_proxy")
LOCK_FILES = ("package-lock.json", "npm-shrinkwrap.json")
CA_TARGET = "/etc/lambda-workbench-extra-ca.pem"


def dependency_manifest(function: FunctionConfig) -> Path | None:
    """The function family's dependency file (requirements.txt, package.json), if any."""
    family = find_family(function.runtime)
    return family.dependency_manifest(function.code_dir) if family else None


def manifest_bytes(manifest: Path) -> bytes:
    """The manifest and the lock files beside it: what decides the install's content."""
    data = manifest.read_bytes()
    for name in LOCK_FILES:
        lock = manifest.parent / name
        if lock.is_file():
            data += b"\0" + name.encode() + b"\0" + lock.read_bytes()
    return data


def dependencies_dir(requirements: bytes, image_id: str, architecture: str) -> Path:
    import hashlib  # here: only functions with dependencies need it (OpenSSL's load, ~3 ms)

    digest = hashlib.sha256(requirements + b"\0" + image_id.encode() + architecture.encode())
    return cache_dir() / "dependencies" / digest.hexdigest()[:24]


def ensure_dependencies(
    function: FunctionConfig, image: str, cancel: CancelToken, sink: Sink
) -> Path:
    """The folder holding the function's dependencies (mounted at the family's mount).

    Safe across threads and processes: cache_build.build_once installs under a file
    lock into a private folder that is renamed into place only when complete.
    """
    requirements = dependency_manifest(function)
    assert requirements is not None
    client = docker_engine.client()
    image_id = str(engine_calls.image(client, image)["Id"])
    target = dependencies_dir(manifest_bytes(requirements), image_id, function.architecture)

    def install(partial: Path) -> None:
        sink.progress(f"Installing {requirements.name} for {function.name} in {image}", None)
        _run_pip(image, function.runtime, requirements, partial, cancel, sink)
        sink.progress("Dependencies installed", 1.0)

    def waiting() -> None:
        sink.progress("Waiting for another workbench to finish installing", None)

    # A complete folder is never replaced (a running container may have it mounted).
    return build_once(target, install, cancel, on_wait=waiting)


def _run_pip(
    image: str,
    runtime: str,
    requirements: Path,
    out: Path,
    cancel: CancelToken,
    sink: Sink,
) -> None:
    """Run the family's installer (pip, npm) in the function's own image."""
    # The output stream and the wait below have no read timeout (attach, wait(timeout=
    # None)): a step that prints nothing for more than the client's 60 s (a big wheel
    # building) must not fail the install.
    client = docker_engine.client()
    environment = {name: os.environ[name] for name in PIP_VARIABLES if name in os.environ}
    environment.update({n: os.environ[n] for n in NPM_VARIABLES if n in os.environ})
    net = docker_engine.networking()
    install = family_for(runtime).docker_install(requirements)
    if install is None:
        raise WorkbenchError(f"{runtime} functions have no dependency file to install.")
    try:
        container = engine_calls.create(
            client,
            image,
            entrypoint=list(install.entrypoint),
            command=list(install.command),
            environment=environment,
            user=f"{os.getuid()}:{os.getgid()}" if hasattr(os, "getuid") else None,
            mounts=[
                bind("/manifest", str(requirements.parent.resolve()), read_only=True),
                bind("/out", str(out.resolve())),
                *_ca_mounts(environment),
            ],
            tmpfs={"/tmp": "rw,exec,size=1024m"},
            network_mode="host" if net.host_network else None,
            labels=docker_sandbox.labels(FunctionConfig("pip", "pip", requirements.parent)),
            detach=True,
        )
    except EngineError as error:
        raise WorkbenchError(
            f"Docker could not start pip in {image}: {getattr(error, 'explanation', error)}"
        ) from error
    lines: list[str] = []
    try:
        stream = client.attach(container.id)
        container.start()
        reader = threading.Thread(
            target=_forward, args=(stream, lines, sink), name="pip-output", daemon=True
        )
        reader.start()
        while reader.is_alive():
            if cancel.cancelled:
                raise Cancelled("Installing dependencies")
            reader.join(0.1)
        code = int(container.wait(timeout=None).get("StatusCode", -1))
    except EngineError as error:
        raise WorkbenchError(
            f"Docker stopped answering while installing {requirements} ({error}). "
            "Check that the engine is running and invoke again."
        ) from error
    finally:
        with contextlib.suppress(EngineError):
            container.remove(force=True)
    if code != 0:
        # npm's "complete log" is a file inside the removed container: not worth naming.
        kept = [line for line in lines if "A complete log of this run" not in line]
        tail = "".join(kept[-15:]).strip()
        tool = "npm" if requirements.name == "package.json" else "pip"
        raise WorkbenchError(
            f"{tool} could not install {requirements} (exit status {code}). {tool} said:\n"
            f"{tail}\nFix {requirements.name} and invoke again."
        )


def _ca_mounts(environment: dict[str, str]) -> list[dict[str, Any]]:
    """The user's extra CA certificates for npm (a TLS-inspecting proxy), when configured."""
    value = os.environ.get("NODE_EXTRA_CA_CERTS")
    if not value or not Path(value).is_file():
        return []
    environment["NODE_EXTRA_CA_CERTS"] = CA_TARGET
    return [bind(CA_TARGET, str(Path(value).resolve()), read_only=True)]


def _forward(stream: Any, lines: list[str], sink: Sink) -> None:
    with contextlib.suppress(EngineError, OSError):
        for chunk in stream:
            text = chunk.decode("utf-8", errors="replace")
            lines.extend(text.splitlines(keepends=True))
            sink.output(text)
