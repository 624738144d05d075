"""CLI subcommands: one module each, with add_parser(subparsers) and run(args) -> int."""

from __future__ import annotations

import sys
from pathlib import Path

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
    return find_function(project, name)


def load_settings() -> Settings:
    """The user's settings; a settings file that could not be read is said once, on stderr."""
    settings = Settings()
    problem = settings.take_load_problem()
    if problem:
        print(f"warning: {problem}", file=sys.stderr)
    return settings
