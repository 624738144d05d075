"""The runtime-family interface: what differs between Python, Node.js and custom runtimes.

The execution host, the runners, the project reader, packaging and the window never
ask "is this Python?"; they ask the function's family (`family_for(runtime)`).
A family is stateless apart from caches and is safe to use from any thread.

Contract for a family's process runtime (what `process_launch` starts), so the
process runner can host it without knowing the language:

- it talks to the Runtime API at `AWS_LAMBDA_RUNTIME_API` (shared/lambda-facts.md §1);
- after all output of an invocation is written, and before posting its response or
  error, it writes `OUTPUT_SENTINEL + request_id + "\\n"` to stdout: that is how the
  runner attributes output to invokes exactly, with no quiet period;
- optionally it sends its own peak RSS in KiB in the `Workbench-Max-Rss-Kb` header of
  the response/error post (`MAX_RSS_HEADER`);
- stdout and stderr are one pipe; stdin is not used (the runner holds it open: under
  `with_init` it is how the environment's init notices the workbench has gone).

Wrap a launch's argv with `with_init(argv)` so that nothing the handler starts (even
with a new session) outlives the environment: see core/runtime/reaper.py.
"""

from __future__ import annotations

import os
import re
import sys
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from workbench.core.function import FunctionConfig
from workbench.core.progress import CancelToken, NullSink, Sink

# Host variables a local runtime needs to start at all; nothing else of the host is passed.
HOST_VARIABLES = ("PATH", "SYSTEMROOT", "COMSPEC", "TEMP", "TMP", "HOME", "USERPROFILE")
# Written by a process runtime after each invocation's output (see the module docstring).
OUTPUT_SENTINEL = "\x1e\x1eworkbench-invocation-done:"
MAX_RSS_HEADER = "Workbench-Max-Rss-Kb"


@dataclass(frozen=True)
class Launch:
    """How to start one process execution environment of a function.

    `argv[0]` is the program (an absolute path); `env` is the complete environment
    (nothing of the workbench's own is inherited); `cwd` is the working directory
    (Lambda's /var/task: the code folder). `hints` are sentences for the result
    (which interpreter ran, version mismatches); `runtime_version` names what ran,
    e.g. "Python 3.12.1" or "Node.js 22.4.0".
    """

    argv: tuple[str, ...]
    env: Mapping[str, str]
    cwd: Path
    runtime_version: str = ""
    hints: tuple[str, ...] = ()


@dataclass(frozen=True)
class DockerInstall:
    """How to install a dependency manifest inside the function's own image.

    The workbench mounts the manifest's folder read-only at `/manifest` and an empty,
    writable output folder at `/out`, runs `entrypoint` + `command` as the caller's
    user, and then mounts `/out` at the family's `dependency_mount` for every
    environment of the function.
    """

    entrypoint: tuple[str, ...]
    command: tuple[str, ...]


@dataclass(frozen=True)
class Starter:
    """A new-function template: code, the file it goes in and a matching event.

    The code goes into `<module><suffix>` and the handler is `<module>.<function>`
    (module is "app" in SAM projects, the family's default otherwise).
    `make_event` is called when the function is created so ids and timestamps are fresh.
    """

    description: str
    code: str
    event_name: str
    make_event: Callable[[], dict[str, Any]]
    suffix: str = ".py"
    function: str = "lambda_handler"


def starter_event(name: str, **params: Any) -> dict[str, Any]:
    """A fresh event from the sample catalog, so starters get real, current shapes."""
    # Imported here: the catalog is not needed to run a function (CLI start-up time).
    from workbench.core.events import generate_event

    return generate_event(name, params or None)


class LanguageFamily(ABC):
    """One language's runtimes (python3.x, nodejs2x.x, provided.*).

    Attributes:
        name: short id ("python", "nodejs", "provided").
        display_name: for sentences ("Python", "Node.js").
        default_module: module part of a new function's handler ("lambda_function").
        source_suffixes: suffixes of the family's source files, for handler discovery
            and the editor (".py",).
        dependency_mount: where installed dependencies appear in a container
            ("/opt/python"), or None when the family installs none.
        frame_pattern: a regex with named groups `path` and `line` that finds one
            stack frame in a trace or in logs of this family's runtime.
        starters: template name -> Starter, for "New function".

    A family is one shared instance (its module's FAMILY) whose attributes are class
    attributes: plain classes, not dataclasses, because building the three families'
    dataclasses took ~6 ms of every CLI start.
    """

    name: str
    display_name: str
    default_module: str
    source_suffixes: tuple[str, ...]
    dependency_mount: str | None
    frame_pattern: re.Pattern[str]
    starters: Mapping[str, Starter] = MappingProxyType({})

    # Runtimes

    @abstractmethod
    def matches(self, runtime: str) -> bool:
        """True when `runtime` (a Lambda runtime id such as python3.12) is this family's."""

    def execution_env(self, runtime: str) -> str:
        """AWS_EXECUTION_ENV for a runtime id (e.g. AWS_Lambda_python3.12)."""
        return f"AWS_Lambda_{runtime}"

    # Running

    @abstractmethod
    def process_launch(
        self,
        function: FunctionConfig,
        api_address: str,
        *,
        cancel: CancelToken | None = None,
        sink: Sink | None = None,
    ) -> Launch:
        """What to run for one process environment of `function` against `api_address`.

        May take time the first time (finding an interpreter, building the dependency
        cache): reports on `sink`, stops with Cancelled when `cancel` is set. Raises
        WorkbenchError with a sentence when it cannot (no interpreter, pip failed).
        """

    def check_process(self, function: FunctionConfig) -> None:  # noqa: B027
        """Raise WorkbenchError (a sentence) when `function` cannot run as a local process.

        Called when a process environment is created, before anything starts; it
        must be quick (the slow work belongs in process_launch).
        """

    # Project

    @abstractmethod
    def find_handlers(self, folder: Path) -> list[str]:
        """Handler strings ("module.function") found in `folder`'s source, never executing it."""

    @abstractmethod
    def handler_problem(self, code_dir: Path, handler: str) -> str | None:
        """Why `handler` cannot work in `code_dir` (a sentence), or None when it looks fine."""

    # Dependencies

    @abstractmethod
    def dependency_manifest(self, code_dir: Path) -> Path | None:
        """The file that lists the function's dependencies (requirements.txt), if any."""

    def docker_install(self, manifest: Path) -> DockerInstall | None:
        """How to install `manifest` inside the function's image (None: nothing to install)."""
        return None

    def deploy_install(
        self, manifest: Path, target: Path, runtime: str, architecture: str
    ) -> list[str] | None:
        """A host command that installs `manifest` into `target` for Lambda's platform.

        None when the family ships no such step (dependencies go in the code folder).
        """
        return None

    # Results

    def error_hints(self, error: dict[str, Any] | None, function: FunctionConfig) -> list[str]:
        """Sentences that help with a failed invoke's error (e.g. a module not shipped)."""
        return []

    def ran_other_version(self, user_agent: str, runtime: str) -> str | None:
        """What ran, e.g. "Python 3.11.2", when a runtime client's User-Agent (sent with
        its first `next`) shows another version than `runtime`; None when it matches or
        the agent does not tell."""
        return None


def host_environment(lambda_env: Mapping[str, str]) -> dict[str, str]:
    """A process runtime's whole environment: Lambda's variables plus HOST_VARIABLES."""
    env = dict(lambda_env)
    for name in HOST_VARIABLES:
        if name in os.environ:
            env.setdefault(name, os.environ[name])
    return env


def no_progress(cancel: CancelToken | None, sink: Sink | None) -> tuple[CancelToken, Sink]:
    """Defaults for the optional cancel/sink arguments."""
    return cancel or CancelToken(), sink or NullSink()


def with_init(argv: Sequence[str]) -> tuple[str, ...]:
    """`argv` run under the environment init (reaper.py --exec) on Linux, else unchanged.

    The init needs a plain Python: the workbench's own (isolated, -I -S), which the
    desktop bundle does not have, so there the runtime runs without it.
    """
    if not sys.platform.startswith("linux") or getattr(sys, "frozen", False):
        return tuple(argv)
    from workbench.core.runtime import reaper

    return (sys.executable, "-I", "-S", "-B", reaper.__file__, "--exec", *argv)
