"""`lambda-workbench test`: saved events with an expectation are regression tests."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workbench.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "test",
        help="run saved events as tests against their expectations",
        description="Invoke every saved event (events/<function>/<name>.json) that has an "
        "expectation (events/<function>/expected/<name>.json) and check the result. "
        "Exit 0 when all pass, 1 when any failed, 2 when nothing could run.",
    )
    p.add_argument("path", help="project folder, or a SAM template.yaml")
    p.add_argument(
        "--function",
        action="append",
        default=[],
        metavar="NAME",
        help="only this function (repeatable; default: all)",
    )
    p.add_argument(
        "--update",
        action="store_true",
        help="record the current result of every saved event as its expectation",
    )
    p.add_argument("--junit", metavar="FILE", help="also write a JUnit XML report")
    p.add_argument(
        "--runner",
        choices=("auto", "docker", "process"),
        default=None,
        help="where to run (default: the runner setting, auto)",
    )
    p.add_argument("--image", help="container image for the Docker runner")
    p.add_argument("--output", choices=("text", "json"), default="text")


def _print_text(outcome) -> None:  # outcome: CaseResult
    label = {"passed": "PASS ", "failed": "FAIL ", "error": "ERROR"}[outcome.status]
    name = f"{outcome.function}/{outcome.event}"
    took = f" ({outcome.duration_s * 1000:.0f} ms)" if outcome.result is not None else ""
    message = f": {outcome.message}" if outcome.message else ""
    print(f"{label} {name}{took}{message}", flush=True)
    for more in outcome.differences[1:]:
        print(f"        {more}")


def run(args: argparse.Namespace) -> int:
    from workbench.core.project import open_project
    from workbench.core.runtime.host import FunctionHost
    from workbench.core.runtime.runners import resolve_runner
    from workbench.core.testing import runner as testing
    from workbench.core.testing.junit import write_junit

    project = open_project(Path(args.path))
    for warning in project.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    names = testing.select_functions(project, args.function)
    cases = testing.collect(project, names, update=args.update)
    if not args.function and not args.update:
        cases += testing.orphan_folders(project)
    if not cases:
        what = "saved events" if args.update else "saved events with an expectation"
        print(
            f"lambda-workbench: there are no {what} in {project.root / 'events'}; save an event "
            "and run `lambda-workbench test PATH --update` to record its result as expected.",
            file=sys.stderr,
        )
        return 2
    settings = Settings()
    runner = resolve_runner(args.runner or settings.get("runner"))
    results = []

    def report(outcome) -> None:
        results.append(outcome)
        if args.output == "json":
            print(json.dumps(outcome.to_json_dict(), ensure_ascii=False), flush=True)
        else:
            _print_text(outcome)

    with FunctionHost(runner, image=args.image, settings=settings, default_limit=1) as host:
        images = settings.get("images")
        for function in project.functions:
            if function.name in names:
                host.add(function, limit=1, image=args.image or images.get(function.runtime))
        try:
            testing.run_cases(host, cases, update=args.update, on_result=report)
        finally:
            counts = testing.summary(results)
            if args.junit:
                write_junit(Path(args.junit), results)
            if args.output == "json":
                print(json.dumps(counts), flush=True)
            else:
                print(
                    f"{counts['passed']} passed, {counts['failed']} failed, "
                    f"{counts['errors']} errors"
                )
    return testing.exit_code(results)
