"""Window entry point: `lambda-workbench [PATH] [--screenshot FILE]`."""

from __future__ import annotations

import argparse

from workbench import __version__


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="lambda-workbench",
        description="Open the workbench window on a function folder or SAM template "
        "(default: the bundled example). Subcommands: invoke, events, functions, "
        "package, deploy (see `lambda-workbench COMMAND --help`).",
    )
    parser.add_argument("path", nargs="?", help="function folder or template.yaml")
    parser.add_argument(
        "--screenshot", metavar="FILE", help="save a PNG of the ready window and exit"
    )
    parser.add_argument("--version", action="version", version=f"lambda-workbench {__version__}")
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    from workbench.ui.app.main import run  # Qt is imported only here

    return run(args.path, screenshot=args.screenshot)
