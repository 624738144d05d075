"""requirements.txt dependencies installed for Lambda's platform, cached by content hash."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

from workbench.core.deploy.package import Package, build_package
from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.languages import find_family
from workbench.core.progress import CancelToken, NullSink, Sink
from workbench.core.settings import cache_dir


def pip_command(target: Path, requirements: Path, runtime: str, architecture: str) -> list[str]:
    """The runtime family's installer for Lambda's platform (pip wheels, npm for linux)."""
    family = find_family(runtime)
    command = family.deploy_install(requirements, target, runtime, architecture) if family else None
    if command is None:
        raise WorkbenchError(
            f"{requirements.name} dependencies can only be installed for Python and Node.js "
            f"runtimes, not {runtime}; install them into the code folder yourself."
        )
    return command


def cache_key(requirements: Path, runtime: str, architecture: str) -> str:
    digest = hashlib.sha256()
    digest.update(f"{runtime}\0{architecture}\0".encode())
    digest.update(requirements.read_bytes())
    for lock in ("package-lock.json", "npm-shrinkwrap.json"):  # npm ci installs what they say
        if (requirements.parent / lock).is_file():
            digest.update(b"\0" + (requirements.parent / lock).read_bytes())
    return digest.hexdigest()[:32]


def install_dependencies(
    function: FunctionConfig,
    *,
    use_container: bool = False,
    cancel: CancelToken | None = None,
    sink: Sink | None = None,
) -> Path | None:
    """The folder holding the function's dependencies (None without requirements.txt).

    Reused from the cache when requirements.txt, runtime and architecture are unchanged.
    """
    cancel = cancel or CancelToken()
    sink = sink or NullSink()
    family = find_family(function.runtime)
    requirements = family.dependency_manifest(function.code_dir) if family else None
    if requirements is None:
        return None
    if use_container:
        raise WorkbenchError(
            "Building dependencies inside the function's container image is not supported "
            "yet; packages with Linux wheels on PyPI install without it."
        )
    key = cache_key(requirements, function.runtime, function.architecture)
    final = cache_dir() / "deploy-deps" / key
    if final.is_dir():
        sink.progress("Dependencies unchanged: using the cached install")
        return final
    final.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(dir=final.parent, prefix=f".{key}."))
    try:
        sink.progress(
            f"Installing {requirements.name} for {function.runtime} {function.architecture}"
        )
        command = pip_command(work, requirements, function.runtime, function.architecture)
        code, output = _run(command, cancel, sink)
        if code != 0:
            if requirements.name == "package.json":
                raise WorkbenchError(
                    f"npm could not install package.json for {function.runtime} on "
                    f"{function.architecture} (exit {code}). Fix package.json (or the lock "
                    f"file) and package again. Last output: {_tail(output)}"
                )
            raise WorkbenchError(
                f"pip could not install requirements.txt for {function.runtime} on "
                f"{function.architecture} (exit {code}). A package without a Linux wheel for "
                f"this platform cannot be installed this way. Last output: {_tail(output)}"
            )
        try:
            os.replace(work, final)
        except OSError:
            # Another deploy finished the same install first; its copy is identical.
            shutil.rmtree(work, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return final


def _tail(output: str) -> str:
    lines = [line for line in output.strip().splitlines() if line.strip()]
    return " | ".join(lines[-3:]) or "(none)"


def _run(command: list[str], cancel: CancelToken, sink: Sink) -> tuple[int, str]:
    """Run pip, streaming its output to the sink; kill it if the user cancels."""
    env = dict(os.environ, PIP_NO_COLOR="1", PYTHONUNBUFFERED="1")
    try:
        proc = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env
        )
    except OSError as error:
        raise WorkbenchError(f"Could not start pip ({error.strerror}).") from error
    collected: list[str] = []

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            collected.append(line)
            sink.output(line)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    while proc.poll() is None:
        if cancel.wait(0.2):
            proc.kill()
            proc.wait()
            reader.join(timeout=5)
            cancel.raise_if_cancelled("Installing dependencies")
    reader.join(timeout=5)
    return proc.returncode, "".join(collected)


def package_function(
    function: FunctionConfig,
    *,
    use_container: bool = False,
    cancel: CancelToken | None = None,
    sink: Sink | None = None,
) -> Package:
    """Dependencies (cached) then the deterministic zip: what package and deploy ship."""
    family = find_family(function.runtime)
    prepare = getattr(family, "prepare", None)
    if prepare is not None:
        built = prepare(function, cancel, sink)
        if built.code_dir != function.code_dir:  # a bundle (esbuild) carries its packages
            return build_package(built, cancel=cancel, sink=sink)
    deps = install_dependencies(function, use_container=use_container, cancel=cancel, sink=sink)
    # Installed for Lambda's platform: the code folder's own node_modules (built for this
    # machine, with dev dependencies) must not override them.
    node = deps is not None and family is not None and family.name == "nodejs"
    excludes = ("/node_modules/",) if node else ()
    return build_package(
        function, dependencies_dir=deps, cancel=cancel, sink=sink, extra_excludes=excludes
    )
