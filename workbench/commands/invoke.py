"""`lambda-workbench invoke`: run a function locally and print what Lambda would."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from workbench.commands import function_from_args, load_settings, parse_parameter_overrides
from workbench.core.errors import WorkbenchError
from workbench.core.function import (
    DEFAULT_RUNTIME,
    FunctionConfig,
    environment_problems,
    validate_limits,
)
from workbench.core.invoke import MAX_REQUEST_BYTES, InvocationResult, parse_event
from workbench.core.project import TEMPLATE_NAMES
from workbench.core.project.envvars import read_env_vars_json


def is_sam(path: Path) -> bool:
    """True when PATH opens as a SAM template (a template file, or a folder holding one)."""
    if path.is_file():
        return True
    return any((path / name).is_file() for name in TEMPLATE_NAMES)


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
    p.add_argument(
        "--network",
        choices=("isolated", "host"),
        help="Docker: isolated (default; no host loopback) or host (reach local services)",
    )
    p.add_argument("--docker-network", metavar="NAME", help="Docker: join this existing network")
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
        "--region",
        help="AWS region the function sees (AWS_REGION, its ARN); default: AWS_REGION, "
        "AWS_DEFAULT_REGION or your AWS profile's region, else us-east-1",
    )
    p.add_argument(
        "--env-file",
        metavar="FILE.json",
        help='environment values in SAM CLI\'s --env-vars format: {"Parameters": {...} for '
        'every function, "<LogicalId>": {...} for one}',
    )
    p.add_argument(
        "--parameter-overrides",
        action="extend",
        nargs="+",
        default=[],
        metavar="KEY=VALUE",
        help="template parameter values (also SAM's ParameterKey=K,ParameterValue=V)",
    )
    p.add_argument(
        "--client-context",
        metavar="JSON",
        help="client context (a JSON object) the handler sees as context.client_context",
    )
    p.add_argument(
        "--debug-port",
        type=int,
        metavar="N",
        help="run under the debugger and wait for an IDE (DAP attach) on 127.0.0.1:N",
    )
    p.add_argument("--output", choices=("text", "json"), default="text")


def read_event(source: str | None) -> bytes:
    """The event bytes, read no further than Lambda's request limit (/dev/zero ends too)."""
    if source is None:
        return b"{}"
    if source == "-":
        data = sys.stdin.buffer.read(MAX_REQUEST_BYTES + 1)
        where = "standard input"
    else:
        try:
            with open(source, "rb") as handle:
                data = handle.read(MAX_REQUEST_BYTES + 1)
        except OSError as error:
            reason = error.strerror or str(error)
            raise WorkbenchError(f"Could not read the event file {source}: {reason}.") from None
        where = source
    try:
        return parse_event(data)
    except WorkbenchError as error:
        raise WorkbenchError(f"{where}: {error}") from None


_REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d{1,2}")
_MAX_CONFIG_BYTES = 1024 * 1024


def default_region() -> str:
    """The caller's region as the AWS CLI finds it (environment, then profile), else us-east-1."""
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        if os.environ.get(name):
            return os.environ[name]
    path = Path(os.environ.get("AWS_CONFIG_FILE") or Path.home() / ".aws" / "config")
    profile = os.environ.get("AWS_PROFILE") or os.environ.get("AWS_DEFAULT_PROFILE") or "default"
    if not path.is_file():
        return "us-east-1"
    import configparser  # here: most invokes never read a config file (start-up time)

    parser = configparser.ConfigParser(interpolation=None)
    try:
        with path.open("rb") as handle:
            parser.read_string(handle.read(_MAX_CONFIG_BYTES).decode("utf-8", "replace"))
    except (OSError, configparser.Error):
        return "us-east-1"  # an unreadable AWS config is the AWS CLI's to report, not ours
    section = "default" if profile == "default" else f"profile {profile}"
    return parser.get(section, "region", fallback="") or "us-east-1"


def choose_region(requested: str | None) -> str:
    region = requested or default_region()
    if not _REGION.fullmatch(region):
        where = "--region" if requested else "Your AWS region setting"
        raise WorkbenchError(
            f"{where} {region!r} is not an AWS region name; use one such as us-east-1 or eu-west-1."
        )
    return region


# Lambda's limit for the ClientContext of an invoke: 3,583 bytes once base64-encoded.
MAX_CLIENT_CONTEXT_BASE64 = 3583


def parse_client_context(text: str | None) -> str | None:
    """The client context as compact JSON text (what the Runtime API header carries)."""
    if text is None:
        return None
    try:
        value = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise WorkbenchError(
            "--client-context must be a JSON object, for example "
            '\'{"custom": {"tenant": "a"}, "env": {"locale": "en"}}\'.'
        ) from None
    if not isinstance(value, dict):
        raise WorkbenchError("--client-context must be a JSON object, not a list or a value.")
    compact = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    if (len(compact.encode()) + 2) // 3 * 4 > MAX_CLIENT_CONTEXT_BASE64:  # its base64 size
        raise WorkbenchError(
            f"--client-context is too long: Lambda accepts {MAX_CLIENT_CONTEXT_BASE64:,} bytes "
            "once base64-encoded."
        )
    return compact


def _no_constant(name: str) -> None:
    raise ValueError(name)


def env_file_values(path_text: str, function: FunctionConfig, sam: bool) -> dict[str, str]:
    """The variables an --env-file gives this function, as `sam local invoke --env-vars` does.

    "Parameters" apply to every function, a section named after the function (logical
    id or FunctionName) to that one. In a SAM project, as in SAM CLI, only variables
    the template defines are overridden; the others are named in a warning.
    """
    data = read_env_vars_json(Path(path_text))
    values = dict(data.get("Parameters", {}))
    for key in (function.name, function.deploy_name):
        if key and key in data:
            values.update(data[key])
    if sam:
        extra = sorted(set(values) - set(function.environment))
        if extra:
            print(
                f"warning: {path_text} sets {', '.join(extra)}, which {function.name} does not "
                "define in the template; like SAM CLI, they are not set. Add them to its "
                "Environment Variables to use them.",
                file=sys.stderr,
            )
        values = {k: v for k, v in values.items() if k in function.environment}
    return values


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
    if getattr(args, "region", None):
        changes["region"] = args.region
    env = dict(function.environment)
    if getattr(args, "env_file", None):
        env.update(env_file_values(args.env_file, function, getattr(args, "sam", False)))
    given: dict[str, str] = {}
    for item in args.env:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise WorkbenchError(f"--env {item!r} must look like KEY=VALUE.")
        given[key] = value
    for problem in environment_problems(given, "--env"):
        raise WorkbenchError(problem)
    env.update(given)
    if env != function.environment:
        changes["environment"] = env
    function = replace(function, **changes)  # type: ignore[arg-type]
    problems = validate_limits(function)
    if problems:
        raise WorkbenchError(" ".join(problems))
    return function


def print_result(args: argparse.Namespace, result: InvocationResult) -> None:
    """One invoke's result as --output asks: a JSON line, or Lambda's text."""
    if args.output == "json":
        print(json.dumps(result.to_json_dict(), ensure_ascii=False), flush=True)
    else:
        print_text(result)


def print_text(result: InvocationResult) -> None:
    if result.error is None and result.payload is not None and not result.payload_is_json():
        try:
            print(result.payload.decode("utf-8"))
        except UnicodeDecodeError:
            import base64

            encoded = base64.b64encode(result.payload).decode("ascii")
            print(f"({len(result.payload):,} bytes, not UTF-8 text; base64:)\n{encoded}")
    elif result.error is None:
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
    if args.repeat < 1:
        raise WorkbenchError("--repeat must be 1 or more.")
    settings = load_settings()
    if (args.runner or settings.get("runner")) != "process":
        from workbench.core.runtime import docker_engine

        docker_engine.connect_soon()  # the engine answers while the rest loads
    from workbench.core.runtime.host import FunctionHost
    from workbench.core.runtime.runners import resolve_runner

    event = read_event(args.event)
    client_context = parse_client_context(args.client_context)
    args.region = choose_region(args.region)
    parameters = parse_parameter_overrides(args.parameter_overrides)
    function = function_from_args(
        Path(args.path), args.function, region=args.region, parameters=parameters
    )
    args.sam = is_sam(Path(args.path))
    function = apply_overrides(function, args)
    for name in ("network", "docker_network"):
        if getattr(args, name, None):
            settings.override(name, getattr(args, name))
    runner = resolve_runner(args.runner or settings.get("runner"))
    image = args.image or settings.get("images").get(function.runtime)
    if args.debug_port is not None:
        return _run_debug(args, function, event, runner, image, settings)
    failed = False
    with FunctionHost(runner, image=image, settings=settings, default_limit=1) as host:
        host.add(function)
        for _ in range(args.repeat):
            result = host.invoke(function.name, event, client_context=client_context)
            failed = failed or not result.succeeded
            print_result(args, result)
    return 1 if failed else 0


def _run_debug(
    args: argparse.Namespace,
    function: FunctionConfig,
    event: bytes,
    runner: str,
    image: str | None,
    settings: Any,
) -> int:
    from workbench.core.debug.external import invoke_for_ide

    if args.repeat != 1:
        raise WorkbenchError("--debug-port runs one invoke; leave out --repeat.")
    if not 1 <= args.debug_port <= 65535:
        raise WorkbenchError(f"--debug-port {args.debug_port} is not a TCP port (1-65535).")
    if function.runtime.startswith("nodejs"):
        return _run_node_debug(args, function, event, runner, settings)
    result = invoke_for_ide(
        function,
        event,
        args.debug_port,
        announce=lambda line: print(line, file=sys.stderr, flush=True),
        runner=runner,
        image=image,
        settings=settings,
    )
    print_result(args, result)
    return 0 if result.succeeded else 1


def _run_node_debug(
    args: argparse.Namespace, function: FunctionConfig, event: bytes, runner: str, settings: Any
) -> int:
    from workbench.core.debug.node_inspect import invoke_with_inspector

    if runner != "process":
        raise WorkbenchError(
            "--debug-port for Node.js opens the V8 inspector in the process runner; "
            "add --runner process."
        )
    result = invoke_with_inspector(
        function,
        event,
        args.debug_port,
        announce=lambda line: print(line, file=sys.stderr, flush=True),
        settings=settings,
    )
    print_result(args, result)
    return 0 if result.succeeded else 1
