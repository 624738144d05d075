"""`lambda-workbench events`: the sample event catalog, SAM CLI names, console import/export."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "events",
        help="list and generate sample events",
        description="Sample events for every Lambda trigger, filled with fresh ids and times.",
    )
    actions = parser.add_subparsers(dest="events_command", metavar="ACTION")
    listing = actions.add_parser("list", help="list the sample event templates by service")
    listing.add_argument(
        "--service", metavar="S", help="only templates of this service (ours or SAM CLI's name)"
    )
    listing.add_argument(
        "--search",
        metavar="WORD",
        nargs="+",
        help="only templates whose name, service, title or description contain every word",
    )
    listing.add_argument("--output", choices=("text", "json"), default="text")
    show = actions.add_parser(
        "show",
        help="print a generated event as JSON",
        description="Print a generated event. NAME is a template ('events list'), or SAM CLI's"
        " two words (show s3 put --bucket b --key k), whose options map onto ours.",
    )
    show.add_argument("name", metavar="NAME", help="template name, or SAM's SERVICE EVENT")
    show.add_argument(
        "rest",
        nargs=argparse.REMAINDER,
        metavar="...",
        help="SAM's EVENT word; --param KEY=VALUE (repeatable; lists and objects as JSON);"
        " --parameters to list the template's parameters; --OPTION VALUE sets a parameter by"
        " SAM's option name or ours",
    )
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
    info = actions.add_parser("info", help="what sends a template, its AWS doc page and knobs")
    info.add_argument("name", metavar="NAME")
    info.add_argument("--output", choices=("text", "json"), default="text")
    imp = actions.add_parser(
        "import", help="save the Lambda console's shareable test events as saved events"
    )
    imp.add_argument("file", metavar="FILE", type=Path, help="the _<function>-schema document")
    imp.add_argument("path", metavar="PATH", nargs="?", default=".", type=Path, help="project")
    imp.add_argument("--function", metavar="NAME", help="function (default: from the file)")
    imp.add_argument("--name", metavar="EVENT", action="append", help="only this event")
    imp.add_argument("--force", action="store_true", help="replace saved events of that name")
    exp = actions.add_parser(
        "export", help="write saved events as a console shareable test-event document"
    )
    exp.add_argument("path", metavar="PATH", nargs="?", default=".", type=Path, help="project")
    exp.add_argument("--function", metavar="NAME", required=True)
    exp.add_argument("--name", metavar="EVENT", action="append", help="only this event")
    exp.add_argument("--out", metavar="FILE", type=Path, help="write here instead of stdout")


def run(args: argparse.Namespace) -> int:
    # Imported here so that `lambda-workbench invoke` never pays for the catalog.
    from workbench.core import events

    if args.events_command == "list":
        return _list(events, args)
    if args.events_command == "show":
        return _show(events, args.name, args.rest, args.param, args.parameters)
    if args.events_command == "info":
        entry = _as_json(events.get_template(args.name))
        if args.output == "json":
            _emit(json.dumps(entry, indent=2, ensure_ascii=False))
        else:
            _emit(_info_text(entry))
        return 0
    if args.events_command == "import":
        document = events.read_console_file(args.file)
        function = args.function or document.function
        if not function:
            raise WorkbenchError(
                f"{args.file} does not say whose events these are; give --function NAME."
            )
        paths = events.import_console_events(
            args.path, function, document, args.name, overwrite=args.force
        )
        print(f"Imported {len(paths)} event(s) into {paths[0].parent}.", file=sys.stderr)
        return 0
    if args.events_command == "export":
        exported = events.export_console_events(args.path, args.function, args.name)
        text = json.dumps(exported, indent=2, ensure_ascii=False)
        if args.out is None:
            _emit(text)
            return 0
        events.write_console_file(args.out, exported)
        print(
            f"Wrote {len(exported['components']['examples'])} event(s) to {args.out}; upload it"
            f" as schema _{args.function}-schema in the registry lambda-testevent-schemas.",
            file=sys.stderr,
        )
        return 0
    print("usage: lambda-workbench events {list,show,info,import,export} ...", file=sys.stderr)
    return 2


def _list(events: Any, args: argparse.Namespace) -> int:
    infos = events.list_templates(args.service)
    if args.search:
        wanted = {info.name for info in infos}
        found = events.search_templates(" ".join(args.search))
        infos = [i for i in found if i.name in wanted]
    if args.output == "json":
        _emit(json.dumps([_as_json(info) for info in infos], indent=2))
    elif args.search:
        # Best match first: a ranked list, not grouped.
        _emit(_table(infos))
    else:
        _emit(_grouped(infos))
    return 0


def _show(events: Any, name: str, rest: list[str], before: list[str], list_before: bool) -> int:
    word, options, params, list_params = _parse_rest(rest)
    params = {**dict(_split(item) for item in before), **params}
    list_params = list_params or list_before
    notes: tuple[str, ...] = ()
    if word is None and " " in name.strip():
        name, word = name.split(None, 1)
    if word is not None:
        request = events.resolve_sam(name, word, options)
        info = events.get_template(request.template)
        values = {**request.params}
        partition, notes = request.partition, request.notes
    else:
        info = _template_or_sam_service(events, name)
        values = {}
        for key, value in options.items():
            values[info.parameter(key.replace("-", "_")).name] = value
        partition = None
    if list_params:
        _emit(
            "\n".join(
                f"{p.name} ({p.kind}, default {json.dumps(p.default, ensure_ascii=False)}):"
                f" {p.description}"
                for p in info.parameters
            )
        )
        return 0
    values.update(params)
    event = events.generate_event(info.name, values)
    if partition:
        from workbench.core.events.sam import apply_partition

        event = apply_partition(event, partition)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    _emit(json.dumps(event, indent=2, ensure_ascii=False))
    return 0


def _template_or_sam_service(events: Any, name: str) -> Any:
    try:
        return events.get_template(name)
    except WorkbenchError:
        from workbench.core.events.sam import find_sam_event, sam_services

        if name.strip().lower() in sam_services():
            find_sam_event(name, None)  # raises: names SAM's events of that service
        raise


def _parse_rest(rest: list[str]) -> tuple[str | None, dict[str, str], dict[str, str], bool]:
    """SAM's event word, --OPTION VALUE pairs, --param KEY=VALUE pairs, --parameters."""
    word = None
    options: dict[str, str] = {}
    params: dict[str, str] = {}
    list_params = False
    items = iter(rest)
    for position, item in enumerate(items):
        if not item.startswith("--"):
            if position == 0:
                word = item
                continue
            raise WorkbenchError(
                f"Unexpected {item!r}; options are written --NAME VALUE or --param KEY=VALUE."
            )
        key, has_value, value = item[2:].partition("=")
        if key == "parameters" and not has_value:
            list_params = True
            continue
        if not key:
            raise WorkbenchError(f"{item!r} is not an option; write for example --bucket b.")
        if not has_value:
            following = next(items, None)
            if following is None or following.startswith("--"):
                raise WorkbenchError(f"--{key} needs a value, for example --{key} VALUE.")
            value = following
        if key == "param":
            pkey, pvalue = _split(value)
            params[pkey] = pvalue
        else:
            options[key] = value
    return word, options, params, list_params


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
        "serviceTitle": info.service_title,
        "title": info.title,
        "description": info.description,
        "trigger": info.trigger,
        "docs": info.docs,
        "sam": list(info.sam),
        "parameters": [
            {"name": p.name, "default": p.default, "kind": p.kind, "description": p.description}
            for p in info.parameters
        ],
    }


def _info_text(entry: dict[str, Any]) -> str:
    lines = [
        f"{entry['title']} ({entry['name']}, {entry['serviceTitle']})",
        entry["description"],
        f"Sent by: {entry['trigger']}",
        f"AWS docs: {entry['docs']}",
    ]
    if entry["sam"]:
        lines.append("SAM CLI: " + ", ".join(f"generate-event {s}" for s in entry["sam"]))
    lines += ["Parameters:"] + [
        f"  {p['name']} ({p['kind']}, default {json.dumps(p['default'], ensure_ascii=False)})"
        for p in entry["parameters"]
    ]
    return "\n".join(lines)


def _table(infos: list[Any]) -> str:
    if not infos:
        return "No sample events match."
    width = max(len(i.name) for i in infos)
    service_width = max(len(i.service) for i in infos)
    return "\n".join(
        f"{info.name:<{width}}  {info.service:<{service_width}}  {info.title}" for info in infos
    )


def _grouped(infos: list[Any]) -> str:
    """One block per service (by its name), each line: name, service id, title, trigger."""
    if not infos:
        return "No sample events match."
    width = max(len(i.name) for i in infos)
    service_width = max(len(i.service) for i in infos)
    title_width = max(len(i.title) for i in infos)
    groups: dict[str, list[Any]] = {}
    for info in sorted(infos, key=lambda i: (i.service_title.lower(), i.name)):
        groups.setdefault(info.service_title or info.service, []).append(info)
    blocks = []
    for title, members in groups.items():
        rows = [
            f"  {i.name:<{width}}  {i.service:<{service_width}}  {i.title:<{title_width}}"
            f"  {i.trigger}".rstrip()
            for i in members
        ]
        blocks.append("\n".join([f"{title} ({len(members)})", *rows]))
    return "\n\n".join(blocks)


def _emit(text: str) -> None:
    """Print to stdout; a reader that stops early (| head) is not an error."""
    try:
        sys.stdout.write(text + "\n")
        sys.stdout.flush()
    except BrokenPipeError:
        # Python's documented recipe: point stdout at devnull so the exit flush is quiet.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
