"""User settings: declared once here, stored as JSON in the platform's config directory.

Tests point the store at a temporary folder with LAMBDA_WORKBENCH_CONFIG_DIR.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError


@dataclass(frozen=True)
class Setting:
    name: str
    type: type
    default: Any
    description: str
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None


# Every setting the app knows. Add new ones here (one line each, grouped by area).
SETTINGS: tuple[Setting, ...] = (
    # Running
    Setting(
        "runner",
        str,
        "auto",
        "Where handlers run: auto (Docker when an engine answers, "
        "else a local process), docker or process.",
        choices=("auto", "docker", "process"),
    ),
    Setting(
        "images",
        dict,
        {},
        "Container image per runtime, overriding the official "
        'public.ecr.aws/lambda images, e.g. {"python3.12": "my/image:tag"}.',
    ),
    Setting(
        "limit_cpu",
        bool,
        True,
        "Limit a container's CPU in proportion to its memory, as Lambda does (1,769 MB = 1 vCPU).",
    ),
    Setting(
        "init_full_cpu",
        bool,
        True,
        "Run a container's init phase with up to 2 vCPUs, as Lambda appears to; the "
        "proportional CPU limit applies from the first invoke on.",
    ),
    Setting(
        "network",
        str,
        "isolated",
        "Network of Docker functions: isolated (own bridge; no access to the host's "
        "loopback or to other functions) or host (the host's network, e.g. a local database).",
        choices=("isolated", "host"),
    ),
    Setting(
        "docker_network",
        str,
        "",
        "An existing Docker network for function containers to join (as SAM CLI's "
        "--docker-network); empty: the workbench's own.",
    ),
    Setting(
        "log_line_cap",
        int,
        20_000,
        "Log lines kept in the Logs pane per invoke.",
        minimum=100,
        maximum=1_000_000,
    ),
    Setting(
        "history_runs",
        int,
        200,
        "Runs kept in each function's history.",
        minimum=1,
        maximum=10_000,
    ),
    Setting(
        "serve_concurrency",
        int,
        10,
        "Environments per function when serving an API, for functions without "
        "ReservedConcurrentExecutions; more requests at once are throttled as Lambda does.",
        minimum=1,
        maximum=1000,
    ),
    Setting(
        "serve_port",
        int,
        3000,
        "Port of the window's Serve API (function URLs take the next ones; 0: any free port).",
        minimum=0,
        maximum=65535,
    ),
    # Deploy
    Setting("aws_profile", str, "", "AWS profile for deploys (empty: the default chain)."),
    Setting("aws_region", str, "", "AWS region for deploys (empty: the profile's region)."),
    Setting("aws_endpoint_url", str, "", "Endpoint URL for deploys (LocalStack, moto)."),
    Setting("deploy_s3_bucket", str, "", "S3 bucket for packages over 50 MB zipped."),
    # Window
    Setting("theme", str, "auto", "Colour theme.", choices=("auto", "light", "dark")),
    Setting("recent_projects", list, [], "Recently opened projects, newest first."),
)
_BY_NAME = {s.name: s for s in SETTINGS}


def config_dir() -> Path:
    override = os.environ.get("LAMBDA_WORKBENCH_CONFIG_DIR")
    if override:
        return Path(override)
    return _user_dir("config")


def data_dir() -> Path:
    """Per-user data (history, recovery, dependency caches)."""
    override = os.environ.get("LAMBDA_WORKBENCH_DATA_DIR")
    if override:
        return Path(override)
    return _user_dir("data")


def cache_dir() -> Path:
    override = os.environ.get("LAMBDA_WORKBENCH_CACHE_DIR")
    if override:
        return Path(override)
    return _user_dir("cache")


APP_DIR_NAME = "lambda-workbench"
# Linux's answer (the XDG base directory spec): the variable when absolute, else the default.
_XDG = {
    "config": ("XDG_CONFIG_HOME", ".config"),
    "data": ("XDG_DATA_HOME", ".local/share"),
    "cache": ("XDG_CACHE_HOME", ".cache"),
}


def _user_dir(kind: str) -> Path:
    """platformdirs' user_<kind>_dir for the workbench.

    On Linux with an absolute HOME or XDG variable it is worked out here, as platformdirs
    does it: importing platformdirs took ~9 ms of every CLI start (tempfile, random...).
    Anything else (macOS, Windows, an odd HOME) asks platformdirs itself; a unit test
    checks that both agree.
    """
    if sys.platform == "linux":
        variable, default = _XDG[kind]
        base = os.environ.get(variable, "")
        if base.startswith("/"):
            return Path(base, APP_DIR_NAME)
        home = os.environ.get("HOME", "")
        if home.startswith("/"):
            return Path(os.path.expanduser(f"~/{default}"), APP_DIR_NAME)
    import platformdirs

    found = getattr(platformdirs, f"user_{kind}_dir")(APP_DIR_NAME, appauthor=False)
    return Path(found)


def atomic_write_text(path: Path, text: str, mode: int | None = None) -> None:
    """Write a text file so that a crash leaves either the old or the new content."""
    atomic_write_bytes(path, text.encode("utf-8"), mode)


def atomic_write_bytes(path: Path, data: bytes, mode: int | None = None) -> None:
    """Write a file so that a crash leaves either the old or the new content.

    `mode` forces the permissions (0o600 for secrets); by default the file keeps its
    own, or gets what a plain open() would give.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # here: only saving needs it (start-up time)

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if mode is None:
            try:
                mode = path.stat().st_mode & 0o777
            except FileNotFoundError:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# Settings files whose problem was already told to the user in this process.
_TOLD: set[str] = set()
MAX_SETTINGS_BYTES = 1024 * 1024


class Settings:
    """Typed access to the settings file; unknown or invalid values fall back to defaults."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "settings.json"
        self._values: dict[str, Any] = {}
        # Keys this version does not know (hand-edited, or from a newer version): kept on save.
        self._unknown: dict[str, Any] = {}
        self.load_problem: str | None = None
        self._write_lock = threading.Lock()
        self._writers = self._written = 0  # writers handed out / the last one written
        self.load()

    def take_load_problem(self) -> str | None:
        """load_problem the first time it is asked for in this process (say it once)."""
        if self.load_problem is None or self.load_problem in _TOLD:
            return None
        _TOLD.add(self.load_problem)
        return self.load_problem

    def load(self) -> None:
        self._values = {}
        self.load_problem = None
        if not self.path.exists():
            return
        try:
            if not self.path.is_file():
                raise ValueError("it is not a regular file")
            with self.path.open("rb") as handle:
                raw = handle.read(MAX_SETTINGS_BYTES + 1)
            if len(raw) > MAX_SETTINGS_BYTES:
                raise ValueError("it is over 1 MB")
            data = json.loads(raw.decode("utf-8"))
        except RecursionError:
            self._problem("it is nested too deeply")
            return
        except (OSError, ValueError) as error:
            self._problem(str(error))
            return
        if not isinstance(data, dict):
            self._problem("it does not hold a JSON object")
            return
        self._values = {k: v for k, v in data.items() if k in _BY_NAME}
        self._unknown = {k: v for k, v in data.items() if k not in _BY_NAME}
        invalid = []
        for name, value in self._values.items():
            try:
                self._check(_BY_NAME[name], value)
            except WorkbenchError:
                invalid.append(name)
        if invalid:
            self.load_problem = (
                f"Settings file {self.path} has invalid values for {', '.join(sorted(invalid))}; "
                "using the defaults for them."
            )

    def _problem(self, reason: str) -> None:
        self.load_problem = (
            f"Settings file {self.path} could not be read ({reason}); using defaults. "
            "Fix or delete the file to get your settings back."
        )

    def get(self, name: str) -> Any:
        setting = _BY_NAME[name]
        value = self._values.get(name, setting.default)
        try:
            self._check(setting, value)
        except WorkbenchError:
            return setting.default
        return value

    def set(self, name: str, value: Any) -> None:
        if name not in _BY_NAME:
            raise WorkbenchError(f"There is no setting called {name!r}.")
        self._check(_BY_NAME[name], value)
        self._values[name] = value
        self.save()

    def override(self, name: str, value: Any) -> None:
        """Use `value` in this process only (a command-line option); the file is not written."""
        if name not in _BY_NAME:
            raise WorkbenchError(f"There is no setting called {name!r}.")
        self._check(_BY_NAME[name], value)
        self._values[name] = value

    def save(self) -> None:
        self.writer()()

    def remember(self, name: str, value: Any) -> Callable[[], None]:
        """Set `value` now and return what writes it (a window runs that on a worker)."""
        self.override(name, value)
        return self.writer()

    def flush(self) -> None:
        """Write now if a writer handed out has not run yet (quitting; errors ignored as
        the worker ignores them)."""
        if self._written < self._writers:
            with contextlib.suppress(OSError, WorkbenchError):
                self.save()

    def writer(self) -> Callable[[], None]:
        """A function that writes the settings as they are now, safe to call on another
        thread. Of several writers, one created earlier never overwrites a later one."""
        values, unknown = dict(self._values), dict(self._unknown)
        self._writers += 1
        number = self._writers

        def write() -> None:
            with self._write_lock:
                if number < self._written:
                    return  # a newer snapshot is on disk already
                data = {**unknown, **self._on_disk_unknown(), **values}
                atomic_write_text(self.path, json.dumps(data, indent=2, sort_keys=True) + "\n")
                self._written = number

        return write

    def _on_disk_unknown(self) -> dict[str, Any]:
        """Unknown keys added to the file by hand since it was loaded (merged, never dropped)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return (
            {k: v for k, v in data.items() if k not in _BY_NAME} if isinstance(data, dict) else {}
        )

    @staticmethod
    def _check(setting: Setting, value: Any) -> None:
        if not isinstance(value, setting.type) or (setting.type is int and isinstance(value, bool)):
            raise WorkbenchError(
                f"Setting {setting.name} must be a {setting.type.__name__}, not {value!r}."
            )
        if setting.choices and value not in setting.choices:
            raise WorkbenchError(
                f"Setting {setting.name} must be one of {', '.join(setting.choices)}."
            )
        if setting.minimum is not None and value < setting.minimum:  # type: ignore[operator]
            raise WorkbenchError(f"Setting {setting.name} must be at least {setting.minimum}.")
        if setting.maximum is not None and value > setting.maximum:  # type: ignore[operator]
            raise WorkbenchError(f"Setting {setting.name} must be at most {setting.maximum}.")
