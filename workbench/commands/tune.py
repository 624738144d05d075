"""`lambda-workbench tune`: measure a function at several memory sizes and pick one."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    from workbench.commands.load import add_function_arguments
    from workbench.core.tune import DEFAULT_STRATEGY, STRATEGIES

    p = sub.add_parser(
        "tune",
        help="find the memory size that costs least or runs fastest",
        description="Per memory size, one cold start then N warm invokes in a Docker "
        "container limited to that memory and its share of CPU (1,769 MB = 1 vCPU), then a "
        "recommendation with AWS Lambda Power Tuning's strategies.",
    )
    add_function_arguments(p)
    p.add_argument(
        "--memory",
        required=True,
        metavar="MB,MB,...",
        help="memory sizes to try, e.g. 128,256,512,1024,1769",
    )
    p.add_argument(
        "--invokes", type=int, default=10, metavar="N", help="warm invokes per size (default 10)"
    )
    p.add_argument("--strategy", choices=STRATEGIES, default=DEFAULT_STRATEGY)
    p.add_argument(
        "--runner",
        choices=("auto", "docker", "process"),
        default=None,
        help="docker (the default); the process runner cannot limit memory or CPU",
    )
    p.add_argument("--image", help="container image for the Docker runner")
    p.add_argument("--output", choices=("text", "json"), default="text")


def _table(rows: list) -> str:  # rows: list[SizeResult]
    def num(value: float | int | None, pattern: str = "{:.2f}") -> str:
        return "-" if value is None else pattern.format(value)

    header = ("memory", "init ms", "p50 ms", "p90 ms", "billed p50", "$/M x86_64",
              "$/M arm64", "max mem", "errors")  # fmt: skip
    lines = [header]
    for r in rows:
        data = r.to_json_dict()
        per_million = {}
        for arch in ("x86_64", "arm64"):
            cost = r.cost_per_invoke(arch)
            per_million[arch] = None if cost is None else cost * 1e6
        lines.append(
            (
                f"{r.memory_mb} MB",
                num(data["initDurationMs"]),
                num(data["p50Ms"]),
                num(data["p90Ms"]),
                num(data["billedMsP50"], "{} ms"),
                num(per_million["x86_64"], "{:.4f}"),
                num(per_million["arm64"], "{:.4f}"),
                num(data["maxMemoryUsedMb"], "{} MB"),
                str(r.errors),
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.rjust(widths[i]) for i, cell in enumerate(line)) for line in lines
    )


def run(args: argparse.Namespace) -> int:
    from workbench.commands import function_from_args
    from workbench.commands.invoke import read_event
    from workbench.core.runtime.host import FunctionHost
    from workbench.core.runtime.runners import resolve_runner
    from workbench.core.tune import check_invokes, parse_memory_sizes, recommend, tune

    if args.runner == "process":
        raise WorkbenchError(
            "tune needs the Docker runner: only a container limits memory and CPU the way "
            "Lambda does, so the process runner's numbers would be the same at every size. "
            "Start Docker and use --runner docker."
        )
    sizes = parse_memory_sizes(args.memory)
    check_invokes(args.invokes)
    event = read_event(args.event)
    function = function_from_args(Path(args.path), args.function)
    settings = Settings()
    runner = resolve_runner("docker")
    image = args.image or settings.get("images").get(function.runtime)
    text = args.output == "text"
    results = []

    def on_size(result) -> None:
        results.append(result)
        if not text:
            print(json.dumps(result.to_json_dict()), flush=True)
        elif result.first_error:
            print(f"{result.memory_mb} MB: {result.first_error}", file=sys.stderr)

    def on_progress(size: int, done: int, total: int) -> None:
        if text and sys.stderr.isatty():
            sys.stderr.write(f"\r{size} MB: {done}/{total} invokes\033[K")
            sys.stderr.flush()

    with FunctionHost(runner, image=image, settings=settings, default_limit=1) as host:
        try:
            tune(
                host,
                function,
                event,
                sizes,
                args.invokes,
                on_size=on_size,
                on_progress=on_progress,
            )
        except KeyboardInterrupt:
            if text and sys.stderr.isatty():
                sys.stderr.write("\r\033[K")
            print(
                f"lambda-workbench: interrupted after {len(results)} of {len(sizes)} sizes.",
                file=sys.stderr,
            )
            if text and results:
                print(_table(results))
            return 130
    if text and sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
    choice = recommend(results, args.strategy)
    if text:
        print(_table(results))
        print()
        label = f"{choice.memory_mb} MB" if choice.memory_mb else "none"
        print(f"recommended ({choice.strategy}): {label}. {choice.reason}")
    else:
        print(json.dumps(choice.to_json_dict()), flush=True)
    return 0 if choice.memory_mb is not None else 1
