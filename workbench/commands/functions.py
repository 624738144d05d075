"""`lambda-workbench functions`: list the functions of a folder or SAM template."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from workbench.commands import parse_parameter_overrides
from workbench.core.function import FunctionConfig
from workbench.core.project import open_project
from workbench.core.project.secrets import masked


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "functions",
        help="list the functions of a folder or SAM template",
        description="List the functions of a plain folder or a SAM template with their settings. "
        "Warnings and problems go to standard error. Exit status: 0 when nothing stops a "
        f"function from running, {PROBLEMS_EXIT} when problems were printed, 2 when the "
        "project could not be opened.",
    )
    p.add_argument("path", help="project folder, or a SAM template.yaml")
    p.add_argument(
        "--parameter-overrides",
        action="extend",
        nargs="+",
        default=[],
        metavar="KEY=VALUE",
        help="template parameter values (also SAM's ParameterKey=K,ParameterValue=V)",
    )
    p.add_argument("--output", choices=("text", "json"), default="text")


# Problems (not warnings) were printed: some function cannot run as written. Distinct from
# 1 (a function error in `invoke`) and 2 (could not open the project at all).
PROBLEMS_EXIT = 3


def to_json(config: FunctionConfig) -> dict[str, Any]:
    return {
        "name": config.name,
        "handler": config.handler,
        "runtime": config.runtime,
        "codeDir": str(config.code_dir),
        "memorySizeMb": config.memory_mb,
        "timeoutSeconds": config.timeout_s,
        "architecture": config.architecture,
        "ephemeralStorageMb": config.ephemeral_storage_mb,
        "environment": masked(config.environment, config.secret_names),
    }


def _text(root: Path, config: FunctionConfig) -> str:
    try:
        code = config.code_dir.relative_to(root).as_posix() or "."
    except ValueError:
        code = str(config.code_dir)
    lines = [
        f"{config.name}",
        f"  handler      {config.handler}  ({config.runtime}, {config.architecture})",
        f"  code         {code}",
        f"  memory       {config.memory_mb} MB, timeout {config.timeout_s} s, "
        f"ephemeral storage {config.ephemeral_storage_mb} MB",
    ]
    if config.deploy_name:
        lines.append(f"  on AWS as    {config.deploy_name}")
    for key, value in masked(config.environment, config.secret_names).items():
        lines.append(f"  env          {key}={value}")
    for layer in config.layers:
        lines.append(f"  layer        {layer}")
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    parameters = parse_parameter_overrides(args.parameter_overrides)
    project = open_project(Path(args.path), parameters=parameters)
    for warning in project.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for error in project.errors:
        print(f"problem: {error}", file=sys.stderr)
    status = PROBLEMS_EXIT if project.errors else 0
    if args.output == "json":
        print(json.dumps([to_json(f) for f in project.functions], indent=2))
        return status
    if not project.functions:
        print(f"No functions in {project.template or project.root}.")
        return status
    print("\n\n".join(_text(project.root, f) for f in project.functions))
    return status
