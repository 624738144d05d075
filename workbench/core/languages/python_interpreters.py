"""Find a Python interpreter of a function's runtime version on this machine.

Looked for in order: the function's own `.venv`, `pythonX.Y` on PATH, `uv python
find X.Y`, pyenv's versions folder; failing all of them, another Python 3 (with a
warning, once per process), because a near version is better than no local run.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

from workbench.core.errors import WorkbenchError

_VERSION = re.compile(r"^python(\d+)\.(\d+)$")
_PATCH_DIR = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
_QUERY_TIMEOUT_S = 10.0
_cache: dict[tuple[str, int], tuple[int, int, int]] = {}
_warned: set[tuple[str, str]] = set()
_guard = threading.Lock()


@dataclass(frozen=True)
class Interpreter:
    """One Python found on this machine, and where it was found."""

    path: str
    version: tuple[int, int]
    full_version: str  # "3.12.1" when known, else "3.12"
    source: str  # for sentences: "the function's .venv", "PATH", "uv", "pyenv", ...
    venv: Path | None = None  # the .venv folder when it is the function's own

    @property
    def runtime(self) -> str:
        """The Lambda runtime id this interpreter really is (python3.11)."""
        return f"python{self.version[0]}.{self.version[1]}"

    def describe(self) -> str:
        return f"Python {self.full_version} from {self.source} ({self.path})"


def runtime_version(runtime: str) -> tuple[int, int] | None:
    """'python3.12' -> (3, 12); None when the id is not pythonX.Y."""
    match = _VERSION.match(runtime)
    return (int(match[1]), int(match[2])) if match else None


def find_interpreter(code_dir: Path, runtime: str) -> tuple[Interpreter, str | None]:
    """The interpreter to run `runtime` with, and a warning sentence when it is another version.

    The warning is given once per process for each runtime and interpreter, so
    repeated invokes do not repeat it.
    """
    wanted = runtime_version(runtime)
    if wanted is None:
        raise WorkbenchError(f"{runtime!r} is not a Python runtime id such as python3.12.")
    found = _function_venv(code_dir)
    if found is None:
        found = _exact(wanted)
    if found is None:
        found = _any_python3()
    if found is None:
        raise WorkbenchError(
            f"The process runner needs Python {wanted[0]}.{wanted[1]} (or any Python 3) to run "
            "this function and found none on PATH, from uv or in pyenv; install Python "
            f"{wanted[0]}.{wanted[1]} or use the Docker runner."
        )
    warning = None
    if found.version != wanted:
        key = (runtime, found.path)
        with _guard:
            first = key not in _warned
            _warned.add(key)
        if first:
            want = f"{wanted[0]}.{wanted[1]}"
            why = (
                "the function's .venv uses it"
                if found.venv is not None
                else f"no Python {want} was found on PATH, from uv or in pyenv"
            )
            warning = (
                f"This {runtime} function ran on Python {found.full_version} ({found.path}) "
                f"because {why}; behaviour may differ from Lambda's. Install Python {want} "
                "(for example with uv or pyenv) or use the Docker runner."
            )
    return found, warning


def _function_venv(code_dir: Path) -> Interpreter | None:
    venv = code_dir / ".venv"
    for candidate in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
        if candidate.exists():
            full = _venv_version(venv) or _query(str(candidate))
            if full is None:
                return None
            return Interpreter(
                str(candidate), _major_minor(full), full, "the function's .venv", venv
            )
    return None


def _venv_version(venv: Path) -> str | None:
    try:
        text = (venv / "pyvenv.cfg").read_text(encoding="utf-8", errors="replace")[:10_000]
    except OSError:
        return None
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key.strip() in ("version", "version_info"):
            match = re.match(r"\s*(\d+\.\d+(?:\.\d+)?)", value)
            if match:
                return match[1]
    return None


def _major_minor(full: str) -> tuple[int, int]:
    major, minor = full.split(".")[:2]
    return int(major), int(minor)


def _exact(wanted: tuple[int, int]) -> Interpreter | None:
    name = f"python{wanted[0]}.{wanted[1]}"
    want = f"{wanted[0]}.{wanted[1]}"
    for path in _which_all(name):
        return Interpreter(path, wanted, want, "PATH")
    uv = shutil.which("uv")
    if uv is not None:
        found = _uv_find(uv, want)
        if found is not None:
            return Interpreter(found, wanted, _query(found) or want, "uv")
    root = _pyenv_root()
    if root is not None:
        best: tuple[int, Path] | None = None
        versions = root / "versions"
        try:
            entries = list(versions.iterdir()) if versions.is_dir() else []
        except OSError:
            entries = []
        for entry in entries:
            match = _PATCH_DIR.match(entry.name)
            if match and (int(match[1]), int(match[2])) == wanted:
                binary = entry / "bin" / name
                if binary.exists() and (best is None or int(match[3]) > best[0]):
                    best = (int(match[3]), binary)
        if best is not None:
            return Interpreter(str(best[1]), wanted, best[1].parents[1].name, "pyenv")
    return None


def _which_all(name: str) -> list[str]:
    """Every `name` on PATH, skipping pyenv shims (they fail unless that version is selected)."""
    found = []
    for folder in os.environ.get("PATH", "").split(os.pathsep):
        if not folder or _is_shims(Path(folder)):
            continue
        candidate = shutil.which(name, path=folder)
        if candidate is not None:
            found.append(candidate)
    return found


def _is_shims(folder: Path) -> bool:
    return folder.name == "shims" and (folder.parent / "versions").is_dir()


def _pyenv_root() -> Path | None:
    configured = os.environ.get("PYENV_ROOT")
    root = Path(configured) if configured else Path.home() / ".pyenv"
    return root if (root / "versions").is_dir() else None


def _uv_find(uv: str, version: str) -> str | None:
    try:
        run = subprocess.run(
            [uv, "python", "find", "--system", "--no-python-downloads", version],
            capture_output=True,
            text=True,
            timeout=_QUERY_TIMEOUT_S,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    path = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else ""
    return path if run.returncode == 0 and path and Path(path).exists() else None


def _any_python3() -> Interpreter | None:
    if not getattr(sys, "frozen", False):
        # The workbench's own interpreter: its packages stay out (it runs isolated).
        info = sys.version_info
        return Interpreter(
            sys.executable,
            (info.major, info.minor),
            f"{info.major}.{info.minor}.{info.micro}",
            "the workbench's own Python",
        )
    for name in ("python3", "python"):
        for path in _which_all(name):
            full = _query(path)
            if full is not None and full.startswith("3."):
                return Interpreter(path, _major_minor(full), full, "PATH")
    return None


def _query(path: str) -> str | None:
    """The full version of an interpreter, asked once per file and modification."""
    try:
        key = (path, os.stat(path).st_mtime_ns)
    except OSError:
        return None
    with _guard:
        known = _cache.get(key)
    if known is None:
        try:
            run = subprocess.run(
                [path, "-I", "-S", "-c", "import sys; print(*sys.version_info[:3], sep='.')"],
                capture_output=True,
                text=True,
                timeout=_QUERY_TIMEOUT_S,
                stdin=subprocess.DEVNULL,
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        match = _PATCH_DIR.match(run.stdout.strip())
        if run.returncode != 0 or match is None:
            return None
        known = (int(match[1]), int(match[2]), int(match[3]))
        with _guard:
            _cache[key] = known
    return ".".join(map(str, known))
