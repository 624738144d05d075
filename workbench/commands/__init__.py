"""CLI subcommands: one module each, with add_parser(subparsers) and run(args) -> int."""

from __future__ import annotations

import sys
from pathlib import Path

from workbench.core.function import FunctionConfig
from workbench.core.project import load_function


def function_from_args(path: Path, name: str | None) -> FunctionConfig:
    """The function PATH and --function name; the project's warnings go to stderr."""
    function, warnings = load_function(path, name)
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return function
