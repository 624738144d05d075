"""`lambda-workbench events` (not built yet)."""

from __future__ import annotations

import argparse

from workbench.core.errors import WorkbenchError


def add_parser(sub: argparse._SubParsersAction) -> None:
    sub.add_parser("events", help="not available yet")


def run(args: argparse.Namespace) -> int:
    raise WorkbenchError("'events' is not available yet in this version.")
