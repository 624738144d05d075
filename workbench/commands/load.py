"""`lambda-workbench load`: many invokes at once, as a burst of traffic would bring them."""

from __future__ import annotations

import argparse
import json
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig, validate_limits
from workbench.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "load",
        help="invoke a function many times at once and summarise",
        description="Send N invokes with at most C in flight. Environments are created on "
        "demand, each cold once, up to C or the function's ReservedConcurrentExecutions; "
        "beyond that invokes are throttled (TooManyRequestsException) and counted. "
        "Exit 0 when no invoke failed, 1 when some did, 2 when none could run.",
    )
    add_function_arguments(p)
    p.add_argument("--requests", type=int, required=True, metavar="N", help="invokes to send")
    p.add_argument(
        "--concurrency", type=int, required=True, metavar="C", help="invokes in flight at most"
    )
    p.add_argument(
        "--runner",
        choices=("auto", "docker", "process"),
        default=None,
        help="where to run (default: the runner setting, auto)",
    )
    p.add_argument("--image", help="container image for the Docker runner")
    p.add_argument("--memory", type=int, metavar="MB", help="memory size in MB")
    p.add_argument("--output", choices=("text", "json"), default="text")


def add_function_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help="function folder, project folder or SAM template")
    p.add_argument("--function", help="function name in a project with several")
    p.add_argument("--event", help="event JSON file, or - for standard input (default {})")


def with_memory(function: FunctionConfig, memory: int | None) -> FunctionConfig:
    if memory is None:
        return function
    function = replace(function, memory_mb=memory)
    problems = validate_limits(function)
    if problems:
        raise WorkbenchError(" ".join(problems))
    return function


class ProgressBar:
    """A one-line bar on standard error while a run goes on (only on a terminal)."""

    WIDTH = 30

    def __init__(self, total: int) -> None:
        self.total = total
        self.shown = sys.stderr.isatty()
        self._last = 0.0

    def update(self, summary: Any, in_flight: int, force: bool = False) -> None:
        now = time.monotonic()
        if not self.shown or (not force and now - self._last < 0.1):
            return
        self._last = now
        sys.stderr.write("\r" + render_bar(summary.requests, self.total, in_flight))
        sys.stderr.flush()

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def render_bar(done: int, total: int, in_flight: int, width: int = ProgressBar.WIDTH) -> str:
    filled = int(width * done / total) if total else width
    return f"[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,}  {in_flight} in flight"


def summary_table(data: dict[str, Any], first_error: str | None) -> str:
    def ms(key: str) -> str:
        return "-" if data[key] is None else f"{data[key]:.2f}"

    memory = "-" if data["maxMemoryUsedMb"] is None else f"{data['maxMemoryUsedMb']} MB"
    rows = [
        ("requests", f"{data['requests']:,}"),
        ("concurrency", str(data["concurrency"])),
        ("environments", f"{data['environments']} ({data['coldStarts']} cold starts)"),
        ("errors", f"{data['errors']:,}"),
        ("throttles", f"{data['throttles']:,}"),
        ("wall time", f"{data['wallS']:.2f} s ({data['throughputPerS']:.1f} invokes/s)"),
        ("duration p50/p90/p99", f"{ms('p50Ms')} / {ms('p90Ms')} / {ms('p99Ms')} ms"),
        ("max memory used", memory),
        ("cost", f"${data['costUsd']:.8f} (${data['costPerMillionUsd']:.2f} per million)"),
    ]
    if first_error:
        rows.append(("first error", first_error))
    width = max(len(name) for name, _ in rows)
    return "\n".join(f"{name:<{width}}  {value}" for name, value in rows)


def run(args: argparse.Namespace) -> int:
    from workbench.commands import function_from_args
    from workbench.commands.invoke import read_event
    from workbench.core.load import check_load_args, run_load
    from workbench.core.runtime.host import FunctionHost
    from workbench.core.runtime.runners import resolve_runner

    check_load_args(args.requests, args.concurrency)
    event = read_event(args.event)
    function = with_memory(function_from_args(Path(args.path), args.function), args.memory)
    settings = Settings()
    runner = resolve_runner(args.runner or settings.get("runner"))
    image = args.image or settings.get("images").get(function.runtime)
    reserved = function.reserved_concurrency
    limit = min(args.concurrency, reserved) if reserved else args.concurrency
    if reserved is not None and reserved < args.concurrency:
        print(
            f"note: {function.name} has ReservedConcurrentExecutions {reserved}: at most "
            f"{reserved} environments; invokes beyond that are throttled.",
            file=sys.stderr,
        )
    bar = ProgressBar(args.requests) if args.output == "text" else None
    with FunctionHost(runner, image=image, settings=settings, default_limit=limit) as host:
        host.add(function, limit=limit)
        try:
            summary = run_load(
                host,
                function.name,
                event,
                args.requests,
                args.concurrency,
                reserved=reserved,
                on_progress=bar.update if bar else None,
            )
        finally:
            if bar:
                bar.close()
    data = summary.to_json_dict()
    if args.output == "json":
        print(json.dumps(data), flush=True)
    else:
        print(summary_table(data, summary.first_error), flush=True)
    if summary.interrupted:
        print(
            f"lambda-workbench: interrupted after {summary.requests:,} of {args.requests:,} "
            "requests; the summary covers those.",
            file=sys.stderr,
        )
        return 130
    return 1 if summary.errors else 0
