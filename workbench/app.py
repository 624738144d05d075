"""Window entry point: `lambda-workbench [PATH] [--screenshot FILE]`."""

from __future__ import annotations

import argparse
import os
import sys

from workbench import __version__


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="lambda-workbench",
        description="Open the workbench window on a function folder or SAM template "
        "(default: the bundled example). Subcommands: invoke, events, functions, "
        "package, deploy, test, load, tune, serve (see `lambda-workbench COMMAND --help`).",
    )
    parser.add_argument("path", nargs="?", help="function folder or template.yaml")
    parser.add_argument(
        "--screenshot", metavar="FILE", help="save a PNG of the ready window and exit"
    )
    parser.add_argument("--version", action="version", version=f"lambda-workbench {__version__}")
    return parser.parse_args(argv)


def display_problem() -> str | None:
    """Why the window cannot open here (Linux without a display), before Qt aborts the process."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "There is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is "
        "set). Run it in a desktop session (or under xvfb-run), or use the commands without "
        "a window: `lambda-workbench --help` lists them."
    )


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    problem = display_problem()
    if problem:
        print(f"lambda-workbench: {problem}", file=sys.stderr)
        return 2
    from workbench.ui.app.main import run  # Qt is imported only here

    return run(args.path, screenshot=args.screenshot)
