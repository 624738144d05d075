"""A Python function's own packages for the process runner, and the SDK Lambda provides.

- requirements.txt is installed once per content and interpreter version into the
  cache (pip --target), as the Docker runner does with the function's image;
- the AWS SDK (boto3, botocore and their dependencies, shared/lambda-facts.md §4)
  is a cache folder holding only those packages: links to the workbench's own
  copies when it has them (works offline, costs nothing), else a pip install.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.languages.cache_build import build_once, is_built
from workbench.core.languages.python_interpreters import Interpreter
from workbench.core.progress import CancelToken, Sink
from workbench.core.settings import cache_dir

# What a managed Python runtime has besides the standard library.
SDK_DISTRIBUTIONS = (
    "boto3",
    "botocore",
    "s3transfer",
    "jmespath",
    "python-dateutil",
    "six",
    "urllib3",
)
PIP_TIMEOUT_S = 15 * 60
_NO_PIP = "No module named pip"


def requirements_dir(
    requirements: Path, interpreter: Interpreter, cancel: CancelToken, sink: Sink
) -> Path:
    """A folder with requirements.txt installed for this interpreter's version (cached)."""
    import platform  # here: importing it cost ~3 ms of every start, with or without requirements

    content = requirements.read_bytes()
    digest = hashlib.sha256(content)
    digest.update(f"\0{interpreter.runtime}\0{sys.platform}\0{platform.machine()}".encode())
    target = cache_dir() / "process-deps" / digest.hexdigest()[:24]
    if is_built(target):
        return target

    def build(partial: Path) -> None:
        sink.progress(f"Installing {requirements} for Python {interpreter.full_version}", None)
        pip_install(interpreter, partial, ["-r", str(requirements)], requirements.parent, cancel)
        sink.progress("Dependencies installed", 1.0)

    return build_once(target, build, cancel)


def sdk_dir(interpreter: Interpreter, cancel: CancelToken, sink: Sink) -> Path | None:
    """A folder holding only boto3 and its dependencies (None when none can be had)."""
    found = _workbench_sdk()
    if found is not None and os.name != "nt":
        site, infos = found
        # The location too: links into a deleted environment must not be reused.
        key = f"{site};{';'.join(infos)}"
        target = cache_dir() / "python-sdk" / hashlib.sha256(key.encode()).hexdigest()[:24]
        return build_once(target, lambda partial: _link_sdk(site, infos, partial), cancel)
    target = cache_dir() / "python-sdk" / f"pip-{interpreter.runtime}"
    if is_built(target):
        return target

    def build(partial: Path) -> None:
        sink.progress(f"Installing boto3 for Python {interpreter.full_version}", None)
        pip_install(interpreter, partial, ["boto3"], partial, cancel)

    try:
        return build_once(target, build, cancel)
    except WorkbenchError as error:
        sink.progress(f"boto3 is not available to the function: {error}", None)
        return None


def _workbench_sdk() -> tuple[Path, list[str]] | None:
    """The site-packages holding the workbench's own SDK and its .dist-info folders.

    One directory listing, not importlib.metadata: this runs on every cold start.
    """
    if getattr(sys, "frozen", False):
        return None  # inside the desktop bundle the packages are not plain files
    spec = importlib.util.find_spec("boto3")
    if spec is None or spec.origin is None:
        return None
    site = Path(spec.origin).parent.parent
    try:
        entries = os.listdir(site)
    except OSError:
        return None
    wanted = {name.replace("-", "_").lower() for name in SDK_DISTRIBUTIONS}
    infos = sorted(
        entry
        for entry in entries
        if entry.endswith(".dist-info") and entry.split("-")[0].lower() in wanted
    )
    return (site, infos) if len(infos) == len(wanted) else None


def _link_sdk(site: Path, infos: list[str], partial: Path) -> None:
    """Link each SDK distribution's top-level packages and metadata into `partial`."""
    for info in infos:
        tops = {info}
        try:
            listed = (site / info / "top_level.txt").read_text(encoding="utf-8").split()
            tops.update(name for name in listed if (site / name).is_dir())
            tops.update(f"{name}.py" for name in listed if (site / f"{name}.py").is_file())
        except OSError:  # no top_level.txt: the first part of every installed file
            record = (site / info / "RECORD").read_text(encoding="utf-8", errors="replace")
            for line in record.splitlines():
                first = line.split(",", 1)[0].split("/", 1)[0]
                if first and first not in ("..", "__pycache__") and not first.endswith(".pth"):
                    tops.add(first)
        for top in sorted(tops):
            source, link = site / top, partial / top
            if source.exists() and not link.exists():
                link.symlink_to(source, target_is_directory=source.is_dir())


def pip_install(
    interpreter: Interpreter, target: Path, args: list[str], cwd: Path, cancel: CancelToken
) -> None:
    """pip install into `target`: the interpreter's pip, else the workbench's for that version."""
    common = ["install", "--disable-pip-version-check", "--no-input", "--target", str(target)]
    code, output = _run([interpreter.path, "-I", "-m", "pip", *common, *args], cwd, cancel)
    if code != 0 and _NO_PIP in output and not getattr(sys, "frozen", False):
        version = f"{interpreter.version[0]}.{interpreter.version[1]}"
        command = [sys.executable, "-m", "pip", *common, "--python-version", version]
        command += ["--implementation", "cp", "--only-binary=:all:", *args]
        code, output = _run(command, cwd, cancel)
    if code != 0:
        tail = " | ".join(line for line in output.strip().splitlines()[-4:] if line.strip())
        raise WorkbenchError(
            f"pip could not install {' '.join(args)} for Python {interpreter.full_version} "
            f"(exit status {code}): {tail or 'no output'}. Fix requirements.txt and invoke again."
        )


def _run(command: list[str], cwd: Path, cancel: CancelToken) -> tuple[int, str]:
    env = dict(os.environ, PIP_NO_COLOR="1", PYTHONUNBUFFERED="1")
    for name in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(name, None)
    try:
        proc = subprocess.Popen(
            command,
            cwd=cwd,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
    except OSError as error:
        raise WorkbenchError(f"Could not start pip ({error.strerror}).") from error
    chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.communicate()[0]), daemon=True)
    reader.start()
    deadline = time.monotonic() + PIP_TIMEOUT_S
    while reader.is_alive():
        if cancel.cancelled or time.monotonic() > deadline:
            proc.kill()
            reader.join(5)
            cancel.raise_if_cancelled("Installing dependencies")
            raise WorkbenchError(f"pip took over {PIP_TIMEOUT_S // 60} minutes and was stopped.")
        reader.join(0.1)
    text = b"".join(chunks)[-20_000:].decode("utf-8", errors="replace")
    return proc.returncode, text


def find_pip() -> list[str]:
    """The command that runs pip: this Python's, or (in the desktop bundle, whose
    executable is the app itself) a Python 3 with pip found on PATH."""
    if not getattr(sys, "frozen", False):
        return [sys.executable, "-m", "pip"]
    for name in ("python3", "python", "py"):
        found = shutil.which(name)
        if not found:
            continue
        try:
            check = subprocess.run(
                [found, "-m", "pip", "--version"],
                capture_output=True,
                timeout=20,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if check.returncode == 0:
            return [found, "-m", "pip"]
    raise WorkbenchError(
        "Installing requirements.txt needs pip, and no Python 3 with pip was found on PATH "
        "(the desktop app has no pip of its own). Install Python 3 with pip, or put the "
        "dependencies into the code folder yourself."
    )
