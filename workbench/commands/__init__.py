"""CLI subcommands: one module each, with add_parser(subparsers) and run(args) -> int."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.project import find_function, open_project
from workbench.core.settings import Settings


def function_from_args(
    path: Path,
    name: str | None,
    *,
    region: str | None = None,
    parameters: dict[str, str] | None = None,
) -> FunctionConfig:
    """The function PATH and --function name; the project's warnings and problems go to stderr."""
    project = open_project(path, region=region, parameters=parameters)
    for warning in project.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for problem in project.errors:
        print(f"problem: {problem}", file=sys.stderr)
    function = find_function(project, name)
    if name is None and len(project.functions) > 1:
        # Say which one runs or ships: picking the first of several silently surprises.
        names = ", ".join(project.function_names)
        print(
            f"note: {path} has {len(project.functions)} functions ({names}); using "
            f"{function.name}. Choose another with --function NAME.",
            file=sys.stderr,
        )
    return function


def load_settings() -> Settings:
    """The user's settings; a settings file that could not be read is said once, on stderr."""
    settings = Settings()
    problem = settings.take_load_problem()
    if problem:
        print(f"warning: {problem}", file=sys.stderr)
    return settings


def parse_parameter_overrides(items: list[str]) -> dict[str, str]:
    """KEY=VALUE words, or SAM's ParameterKey=K,ParameterValue=V (several per string too)."""
    values: dict[str, str] = {}
    for item in items:
        try:
            words = shlex.split(item)
        except ValueError as error:
            raise WorkbenchError(f"--parameter-overrides {item!r}: {error}.") from None
        for word in words:
            if word.startswith("ParameterKey="):
                key_part, sep, value_part = word.partition(",ParameterValue=")
                key, value = key_part.removeprefix("ParameterKey="), value_part
            else:
                key, sep, value = word.partition("=")
            if not sep or not key:
                raise WorkbenchError(
                    f"--parameter-overrides {word!r} must look like NAME=VALUE "
                    "(or ParameterKey=NAME,ParameterValue=VALUE)."
                )
            values[key] = value
    return values
