"""`lambda-workbench invoke`: run a function locally and print what Lambda would."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import replace
from pathlib import Path

from workbench.commands import function_from_args
from workbench.core.errors import WorkbenchError
from workbench.core.function import DEFAULT_RUNTIME, FunctionConfig, validate_limits
from workbench.core.invoke import InvocationResult, parse_event
from workbench.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "invoke",
        help="run a function locally",
        description="Run a function locally, the way Lambda would.",
    )
    p.add_argument("path", help="function folder (or project folder / SAM template)")
    p.add_argument("--function", help="function name in a project with several")
    p.add_argument("--handler", help="MODULE.FUNCTION, when no project settings name it")
    p.add_argument("--runtime", help=f"Lambda runtime id (default {DEFAULT_RUNTIME})")
    p.add_argument("--event", help="event JSON file, or - for standard input (default {})")
    p.add_argument(
        "--runner",
        choices=("auto", "docker", "process"),
        default=None,
        help="where to run it (default: the runner setting, auto)",
    )
    p.add_argument("--image", help="container image for the Docker runner")
    p.add_argument("--memory", type=int, metavar="MB", help="memory size in MB")
    p.add_argument("--timeout", type=int, metavar="SECONDS", help="timeout in seconds")
    p.add_argument(
        "--env",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="environment variable (repeatable)",
    )
    p.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help="invoke N times in one environment (warm after the first)",
    )
    p.add_argument(
        "--debug-port",
        type=int,
        metavar="N",
        help="run under the debugger and wait for an IDE (DAP attach) on 127.0.0.1:N",
    )
    p.add_argument("--output", choices=("text", "json"), default="text")


def read_event(source: str | None) -> bytes:
    if source is None:
        return b"{}"
    if source == "-":
        text = sys.stdin.read()
        where = "standard input"
    else:
        try:
            text = Path(source).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise WorkbenchError(f"Could not read the event file {source}: {error}.") from None
        where = source
    try:
        return parse_event(text)
    except WorkbenchError as error:
        raise WorkbenchError(f"{where}: {error}") from None


def apply_overrides(function: FunctionConfig, args: argparse.Namespace) -> FunctionConfig:
    changes: dict[str, object] = {}
    if args.handler:
        changes["handler"] = args.handler
    if args.runtime:
        changes["runtime"] = args.runtime
    if args.memory is not None:
        changes["memory_mb"] = args.memory
    if args.timeout is not None:
        changes["timeout_s"] = args.timeout
    if args.env:
        env = dict(function.environment)
        for item in args.env:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise WorkbenchError(f"--env {item!r} must look like KEY=VALUE.")
            env[key] = value
        changes["environment"] = env
    function = replace(function, **changes)  # type: ignore[arg-type]
    problems = validate_limits(function)
    if problems:
        raise WorkbenchError(" ".join(problems))
    return function


def print_text(result: InvocationResult) -> None:
    if result.error is None:
        payload = result.payload_json()
        print(
            json.dumps(payload, indent=2, ensure_ascii=False)
            if not isinstance(payload, str) or result.payload_text().startswith('"')
            else payload
        )
    else:
        print(json.dumps(result.error, indent=2, ensure_ascii=False))
    print()
    print(result.logs, end="")
    for hint in result.hints:
        print(f"hint: {hint}")
    state = "cold" if result.cold_start else "warm"
    init = f", init {result.init_duration_ms:.2f} ms" if result.init_duration_ms else ""
    memory = (
        f"{result.max_memory_used_mb}/{result.memory_size_mb} MB"
        if result.max_memory_used_mb is not None
        else f"?/{result.memory_size_mb} MB"
    )
    outcome = "ok" if result.succeeded else f"error {result.error.get('errorType')}"  # type: ignore[union-attr]
    print(
        f"{outcome}: {state} {result.runner}, {result.duration_ms:.2f} ms "
        f"(billed {result.billed_duration_ms} ms{init}), memory {memory}, "
        f"${result.cost_usd:.10f}"
    )


def run(args: argparse.Namespace) -> int:
    from workbench.core.runtime.host import FunctionHost
    from workbench.core.runtime.runners import resolve_runner

    if args.repeat < 1:
        raise WorkbenchError("--repeat must be 1 or more.")
    event = read_event(args.event)
    function = apply_overrides(function_from_args(Path(args.path), args.function), args)
    settings = Settings()
    runner = resolve_runner(args.runner or settings.get("runner"))
    image = args.image or settings.get("images").get(function.runtime)
    if args.debug_port is not None:
        return _run_debug(args, function, event, runner)
    failed = False
    with FunctionHost(runner, image=image, settings=settings, default_limit=1) as host:
        host.add(function)
        for _ in range(args.repeat):
            result = host.invoke(function.name, event)
            failed = failed or not result.succeeded
            if args.output == "json":
                print(json.dumps(result.to_json_dict(), ensure_ascii=False), flush=True)
            else:
                print_text(result)
    return 1 if failed else 0


def _run_debug(
    args: argparse.Namespace, function: FunctionConfig, event: bytes, runner: str
) -> int:
    from workbench.core.debug.external import invoke_for_ide

    if args.repeat != 1:
        raise WorkbenchError("--debug-port runs one invoke; leave out --repeat.")
    if not 1 <= args.debug_port <= 65535:
        raise WorkbenchError(f"--debug-port {args.debug_port} is not a TCP port (1-65535).")
    if runner != "process":
        raise WorkbenchError(
            "--debug-port runs the handler in the process runner for now; add --runner process."
        )
    result = invoke_for_ide(
        function,
        event,
        args.debug_port,
        announce=lambda line: print(line, file=sys.stderr, flush=True),
    )
    if args.output == "json":
        print(json.dumps(result.to_json_dict(), ensure_ascii=False), flush=True)
    else:
        print_text(result)
    return 0 if result.succeeded else 1
