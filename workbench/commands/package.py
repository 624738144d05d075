"""`lambda-workbench package` (not built yet)."""

from __future__ import annotations

import argparse

from workbench.core.errors import WorkbenchError


def add_parser(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("package", help="not available yet")


def run(args: argparse.Namespace) -> int:
    raise WorkbenchError("'package' is not available yet in this version.")
