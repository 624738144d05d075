"""`lambda-workbench events`: list the sample event catalog and print generated events."""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from workbench.core.errors import WorkbenchError


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "events",
        help="list and generate sample events",
        description="Sample events for every Lambda trigger, filled with fresh ids and times.",
    )
    actions = parser.add_subparsers(dest="events_command", metavar="ACTION")
    listing = actions.add_parser("list", help="list the sample event templates")
    listing.add_argument("--service", metavar="S", help="only templates of this service")
    listing.add_argument(
        "--search",
        metavar="WORD",
        nargs="+",
        help="only templates whose name, service, title or description contain every word",
    )
    listing.add_argument("--output", choices=("text", "json"), default="text")
    show = actions.add_parser("show", help="print a generated event as JSON")
    show.add_argument("name", metavar="NAME", help="template name (see 'events list')")
    show.add_argument(
        "--param",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="set a parameter; lists and objects are given as JSON (repeatable)",
    )
    show.add_argument(
        "--parameters", action="store_true", help="list the template's parameters instead"
    )


def run(args: argparse.Namespace) -> int:
    # Imported here so that `lambda-workbench invoke` never pays for the catalog.
    from workbench.core import events

    if args.events_command == "list":
        infos = events.list_templates(args.service)
        if args.search:
            wanted = {info.name for info in infos}
            found = events.search_templates(" ".join(args.search))
            infos = [i for i in found if i.name in wanted]
        if args.output == "json":
            _emit(json.dumps([_as_json(info) for info in infos], indent=2))
        else:
            _emit(_table(infos))
        return 0
    if args.events_command == "show":
        info = events.get_template(args.name)
        if args.parameters:
            _emit(
                "\n".join(
                    f"{p.name} ({p.kind}, default {json.dumps(p.default, ensure_ascii=False)}):"
                    f" {p.description}"
                    for p in info.parameters
                )
            )
            return 0
        params = dict(_split(item) for item in args.param)
        event = events.generate_event(info.name, params)
        _emit(json.dumps(event, indent=2, ensure_ascii=False))
        return 0
    print("usage: lambda-workbench events {list,show} ...", file=sys.stderr)
    return 2


def _split(item: str) -> tuple[str, str]:
    key, sep, value = item.partition("=")
    if not sep or not key.strip():
        raise WorkbenchError(
            f"--param {item!r} is not KEY=VALUE; write for example --param bucket=my-bucket."
        )
    return key.strip(), value


def _as_json(info: Any) -> dict[str, Any]:
    return {
        "name": info.name,
        "service": info.service,
        "title": info.title,
        "description": info.description,
        "parameters": [
            {"name": p.name, "default": p.default, "kind": p.kind, "description": p.description}
            for p in info.parameters
        ],
    }


def _table(infos: list[Any]) -> str:
    if not infos:
        return "No sample events match."
    width = max(len(i.name) for i in infos)
    service_width = max(len(i.service) for i in infos)
    return "\n".join(
        f"{info.name:<{width}}  {info.service:<{service_width}}  {info.title}" for info in infos
    )


def _emit(text: str) -> None:
    """Print to stdout; a reader that stops early (| head) is not an error."""
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # Python's documented recipe: point stdout at devnull so the exit flush is quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
