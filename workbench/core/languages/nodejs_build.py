"""TypeScript (and bundled JavaScript) functions built with esbuild, as `sam build` does.

A SAM function with `Metadata: BuildMethod: esbuild` is bundled from its entry points
(BuildProperties.EntryPoints, else the handler's file) into a cache folder keyed by the
content of its sources, and that folder is what runs (process and Docker) and what is
packaged: the handler names the built file, as on Lambda. Without esbuild installed the
function does not run: one sentence says how to install it. Nothing stale ever runs: a
changed source is a new key, so a new build.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.progress import CancelToken, NullSink, Sink
from workbench.core.settings import cache_dir

BUILD_TIMEOUT_S = 120.0
_SOURCES = (".ts", ".mts", ".cts", ".tsx", ".js", ".mjs", ".cjs", ".jsx", ".json")
_SKIP = {"node_modules", ".git", ".aws-sam", "dist", "build", "coverage"}
_MAX_FILES = 5000


def uses_esbuild(function: FunctionConfig) -> bool:
    return (function.build_method or "").lower() == "esbuild"


def find_esbuild(code_dir: Path) -> str | None:
    """esbuild from the function's (or an enclosing project's) node_modules, else PATH."""
    name = "esbuild.cmd" if os.name == "nt" else "esbuild"
    for folder in [code_dir, *list(code_dir.parents)[:3]]:
        candidate = folder / "node_modules" / ".bin" / name
        if candidate.is_file():
            return str(candidate)
    return shutil.which("esbuild")


def source_digest(function: FunctionConfig) -> str:
    """What decides the build: every source's path, size and time, plus the build settings."""
    digest = hashlib.sha256(f"{function.handler}\0{function.build_properties!r}\0".encode())
    count = 0
    for dirpath, dirnames, filenames in os.walk(function.code_dir):
        dirnames[:] = sorted(d for d in dirnames if d not in _SKIP and not d.startswith("."))
        for name in sorted(filenames):
            if not name.endswith(_SOURCES):
                continue
            path = Path(dirpath) / name
            try:
                info = path.stat()
            except OSError:
                continue
            digest.update(f"{path}\0{info.st_size}\0{info.st_mtime_ns}\n".encode())
            count += 1
            if count >= _MAX_FILES:
                return digest.hexdigest()[:24]
    return digest.hexdigest()[:24]


def _entry_points(function: FunctionConfig) -> list[str]:
    entries = function.build_properties.get("EntryPoints")
    if isinstance(entries, list) and entries:
        return [str(e) for e in entries]
    folder, _, base = function.handler.rpartition("/")
    module = (folder + "/" if folder else "") + base.partition(".")[0]
    for suffix in (".ts", ".mts", ".tsx", ".js", ".mjs"):
        if (function.code_dir / f"{module}{suffix}").is_file():
            return [f"{module}{suffix}"]
    raise WorkbenchError(
        f"{function.name} is built with esbuild but no entry point was found: add "
        "BuildProperties: EntryPoints: [app.ts] to its Metadata in the template."
    )


def _strings(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def esbuild_command(esbuild: str, function: FunctionConfig, out: Path) -> list[str]:
    props = function.build_properties
    major = function.runtime.removeprefix("nodejs").removesuffix(".x")
    command = [esbuild, *_entry_points(function), "--bundle", "--platform=node"]
    command += [f"--target={props.get('Target') or 'node' + major}"]
    command += [f"--format={props.get('Format') or 'cjs'}", f"--outdir={out}"]
    command.append("--log-level=warning")
    if str(props.get("Minify", "")).lower() == "true":
        command.append("--minify")
    if str(props.get("Sourcemap", "")).lower() == "true":
        command.append("--sourcemap")
    for external in _strings(props.get("External")):
        command.append(f"--external:{external}")
    for extension in _strings(props.get("OutExtension")):
        command.append(f"--out-extension:{extension}")
    return command


def built_function(
    function: FunctionConfig, cancel: CancelToken | None = None, sink: Sink | None = None
) -> FunctionConfig:
    """The function as it runs: itself, or (esbuild) a copy whose code_dir is the build."""
    if not uses_esbuild(function):
        return function
    cancel, sink = cancel or CancelToken(), sink or NullSink()
    esbuild = find_esbuild(function.code_dir)
    if esbuild is None:
        raise WorkbenchError(
            f"{function.name} is built with esbuild (Metadata: BuildMethod: esbuild in the "
            f"template) and esbuild is not installed; run 'npm install --save-dev esbuild' in "
            f"{function.code_dir}, then invoke again."
        )
    target = cache_dir() / "esbuild" / source_digest(function)
    if not (target / ".complete").is_file():
        _build(esbuild, function, target, cancel, sink)
    return replace(function, code_dir=target, build_method=None)


def _build(
    esbuild: str, function: FunctionConfig, target: Path, cancel: CancelToken, sink: Sink
) -> None:
    sink.progress(f"Building {function.name} with esbuild", None)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}."))
    try:
        command = esbuild_command(esbuild, function, partial)
        try:
            run = subprocess.run(
                command,
                cwd=function.code_dir,
                capture_output=True,
                text=True,
                timeout=BUILD_TIMEOUT_S,
                stdin=subprocess.DEVNULL,
            )
        except subprocess.TimeoutExpired:
            raise WorkbenchError(
                f"esbuild did not finish building {function.name} within "
                f"{BUILD_TIMEOUT_S:.0f} s; build it yourself and check the entry points."
            ) from None
        except OSError as error:
            raise WorkbenchError(f"esbuild could not be started ({error}).") from error
        cancel.raise_if_cancelled("Building")
        if run.returncode != 0:
            tail = "\n".join((run.stderr or run.stdout).strip().splitlines()[-12:])
            raise WorkbenchError(
                f"esbuild could not build {function.name} (exit status {run.returncode}):\n"
                f"{tail}\nFix the code and invoke again."
            )
        # Lambda's sandbox user is not the owner: the build must be world-readable.
        for path in [partial, *partial.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        (partial / ".complete").write_text("ok\n")
        # Another process may have built the same sources first: its build is identical.
        with contextlib.suppress(OSError):
            os.replace(partial, target)
    except (Cancelled, WorkbenchError, OSError):
        shutil.rmtree(partial, ignore_errors=True)
        raise
    shutil.rmtree(partial, ignore_errors=True)
