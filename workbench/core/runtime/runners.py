"""Runner kinds: where an execution environment runs (a local process, a Docker container).

Each kind is registered once under its name and creates environments from one LaunchSpec;
the host never switches on runner names.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.runtime.environment import Environment, ExitInfo
from workbench.core.settings import Settings


@dataclass(frozen=True)
class LaunchSpec:
    """Everything a runner needs to start one environment of one function."""

    function: FunctionConfig
    api_address: str
    on_output: Callable[[bytes], None]
    on_exit: Callable[[ExitInfo], None]
    image: str | None = None
    settings: Settings | None = None
    # Runner-specific extras (e.g. a debugger to load); unknown keys are ignored.
    options: Mapping[str, Any] = field(default_factory=dict)


class RunnerKind(Protocol):
    name: str

    def problem(self) -> str | None:
        """A sentence saying why this runner cannot be used here, or None when it can."""

    def create(self, spec: LaunchSpec) -> Environment: ...


# The older call shape, kept for environment factories in tests and tools:
# factory(runner, function, api_address, on_output, on_exit, image=..., settings=..., **options)
EnvironmentFactory = Callable[..., Environment]


class ProcessRunner:
    name = "process"

    def problem(self) -> str | None:
        return None

    def create(self, spec: LaunchSpec) -> Environment:
        from workbench.core.runtime.process_env import ProcessEnvironment

        check_process_runtime(spec.function)
        return ProcessEnvironment(
            spec.function, spec.api_address, spec.on_output, spec.on_exit, **dict(spec.options)
        )


class DockerRunner:
    name = "docker"

    def problem(self) -> str | None:
        try:
            engine = importlib.import_module("workbench.core.runtime.docker_engine")
        except ImportError:
            return "The Docker runner is not available in this version; use --runner process."
        status = engine.engine_status()
        return None if status.ok else str(status.sentence)

    def create(self, spec: LaunchSpec) -> Environment:
        module = importlib.import_module("workbench.core.runtime.docker_env")
        return module.DockerEnvironment(
            function=spec.function,
            api_address=spec.api_address,
            on_output=spec.on_output,
            on_exit=spec.on_exit,
            image=spec.image,
            settings=spec.settings,
            **dict(spec.options),
        )


RUNNERS: dict[str, RunnerKind] = {}


def register(kind: RunnerKind) -> None:
    RUNNERS[kind.name] = kind


register(ProcessRunner())
register(DockerRunner())


def check_process_runtime(function: FunctionConfig) -> None:
    """The process runner runs the runtimes whose language family can launch a local process."""
    try:
        languages = importlib.import_module("workbench.core.languages")
    except ImportError:
        languages = None
    if languages is not None:
        languages.family_for(function.runtime).check_process(function)
        return
    if not function.runtime.startswith("python"):
        raise WorkbenchError(
            f"The process runner runs Python functions only; {function.name} uses "
            f"{function.runtime}. Start Docker to run it in its Lambda image."
        )


def resolve_runner(requested: str = "auto") -> str:
    """The runner to use for a requested one; 'auto' means Docker when an engine answers."""
    if requested == "auto":
        return "docker" if RUNNERS["docker"].problem() is None else "process"
    kind = RUNNERS.get(requested)
    if kind is None:
        names = ", ".join(["auto", *sorted(RUNNERS)])
        raise WorkbenchError(f"Unknown runner {requested!r}: use {names}.")
    problem = kind.problem()
    if problem is not None:
        raise WorkbenchError(problem)
    return requested


def make_environment(
    runner: str,
    function: FunctionConfig,
    api_address: str,
    on_output: Callable[[bytes], None],
    on_exit: Callable[[ExitInfo], None],
    image: str | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> Environment:
    """The default EnvironmentFactory: the registered runner kind creates the environment."""
    kind = RUNNERS.get(runner)
    if kind is None:
        raise WorkbenchError(f"Unknown runner {runner!r}.")
    spec = LaunchSpec(function, api_address, on_output, on_exit, image, settings, options)
    return kind.create(spec)
