"""Command line: `lambda-workbench [PATH]` opens the window; subcommands work headless."""

from __future__ import annotations

import argparse
import atexit
import importlib
import os
import sys
import threading
from pathlib import Path

from workbench import __version__
from workbench.core.errors import WorkbenchError

# Subcommand name -> module in workbench.commands; imported only when used so
# that `invoke` starts fast.
COMMANDS = {
    "invoke": "run a function locally",
    "events": "list and generate sample events",
    "functions": "list the functions of a folder or SAM template",
    "package": "build the deployment zip of a function",
    "deploy": "create or update the function on AWS",
    "test": "run saved events as tests against their expectations",
    "load": "invoke a function many times at once and summarise",
    "tune": "find the memory size that costs least or runs fastest",
    "serve": "serve the project's API routes and function URLs on localhost",
}


def main(argv: list[str] | None = None) -> int:
    args_list = sys.argv[1:] if argv is None else argv
    if not args_list or (args_list[0] not in COMMANDS and args_list[0] not in _TOP_FLAGS):
        typo = command_typo(args_list[0]) if args_list else None
        if typo:
            print(f"lambda-workbench: {typo}", file=sys.stderr)
            return 2
        from workbench import app

        return app.main(args_list)
    parser = argparse.ArgumentParser(
        prog="lambda-workbench",
        description="Write, run and deploy AWS Lambda functions on your own machine. "
        "Run without a command to open the window.",
    )
    parser.add_argument("--version", action="version", version=f"lambda-workbench {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    chosen = args_list[0]
    for name, help_text in COMMANDS.items():
        if name == chosen:
            importlib.import_module(f"workbench.commands.{name}").add_parser(sub)
        else:
            sub.add_parser(name, help=help_text)
    args, unknown = parser.parse_known_args(args_list)
    if unknown and args.command in sub.choices:
        # The command's own usage, not the top-level one, says what it does take.
        sub.choices[args.command].error(f"unrecognized arguments: {' '.join(unknown)}")
    elif unknown:
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command is None:
        parser.print_help()
        return 0
    module = importlib.import_module(f"workbench.commands.{args.command}")
    try:
        return int(module.run(args))
    except WorkbenchError as error:
        print(f"lambda-workbench: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("lambda-workbench: interrupted.", file=sys.stderr)
        return 130


_TOP_FLAGS = ("-h", "--help", "--version")


def command_typo(word: str) -> str | None:
    """A sentence when `word` is no folder but looks like a mistyped command (`invok`)."""
    if word.startswith("-") or Path(word).exists():
        return None
    import difflib  # only for a word that is no command

    close = difflib.get_close_matches(word, list(COMMANDS), n=1, cutoff=0.82)
    if not close:
        return None
    return (
        f"{word!r} is not a command, and there is no folder or file of that name; did you "
        f"mean {close[0]!r}? Commands: {', '.join(COMMANDS)}."
    )


def entry() -> None:
    """The `lambda-workbench` program: main(), then for headless commands a quick exit.

    Tearing the interpreter down (every module of the Docker SDK, requests, boto3...)
    takes 50-60 ms after a command has finished; a CLI invoke is run again and again,
    so once the command's own threads have ended and the exit handlers have run (they
    remove containers, flush logs), the process ends with os._exit.
    """
    args = sys.argv[1:]
    code = main(args)
    if not args or args[0] not in COMMANDS:
        raise SystemExit(code)  # the window, --help, --version: the normal way out
    for thread in threading.enumerate():
        if thread is not threading.main_thread() and not thread.daemon:
            thread.join()
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or 1  # a closed pipe: what Python's own exit would have reported
    os._exit(code if isinstance(code, int) else 1)
