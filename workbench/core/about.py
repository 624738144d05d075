"""The versions a bug report needs: app, Python, OS, Qt, Scintilla, Docker engine, boto3."""

from __future__ import annotations

import platform
from importlib import metadata

from workbench import __version__

# Reverse-DNS application id: the .desktop file's name, the AppStream id, the
# macOS bundle id. The window passes it to QGuiApplication.setDesktopFileName.
APP_ID = "io.github.lambdaworkbench.LambdaWorkbench"
NOT_RUNNING = "not running"
CHECKING = "checking…"
# Seconds to wait for the engine: About must answer quickly even when a remote
# DOCKER_HOST is unreachable.
DOCKER_TIMEOUT_S = 2.0


def package_version(distribution: str) -> str:
    """The installed version of a distribution, or "not installed"."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "not installed"


def docker_engine_version(timeout: float = DOCKER_TIMEOUT_S) -> str:
    """The Docker engine's version (at DOCKER_HOST or the default socket), or "not running"."""
    from workbench.core.runtime.engine_http import Engine, EngineError

    try:
        version = Engine(timeout=timeout).version().get("Version")
    except EngineError:
        return NOT_RUNNING
    return str(version) if version else NOT_RUNNING


def versions(qt_version: str = "unknown", docker_engine: str = CHECKING) -> list[tuple[str, str]]:
    """(label, version) rows. The UI passes Qt's runtime version; core never imports Qt."""
    return [
        ("Lambda Workbench", __version__),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("Operating system", platform.platform()),
        ("Qt", qt_version),
        ("PySide6", package_version("PySide6-Essentials")),
        ("Scintilla (pyside6-scintilla)", package_version("pyside6-scintilla")),
        ("Lexilla", package_version("lexilla")),
        ("Docker engine", docker_engine),
        ("Docker SDK", package_version("docker")),
        ("boto3", package_version("boto3")),
    ]


def as_text(rows: list[tuple[str, str]]) -> str:
    """Plain text for pasting into a bug report."""
    return "\n".join(f"{label}: {value}" for label, value in rows) + "\n"
