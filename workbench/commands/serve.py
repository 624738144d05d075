"""`lambda-workbench serve`: the project's API Gateway routes and function URLs on localhost."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the project's API routes and function URLs on localhost",
        description="Serve a project's API Gateway routes (REST and HTTP APIs) and function "
        "URLs over HTTP, each request running the function as Lambda would. Ctrl+C stops it.",
    )
    p.add_argument("path", help="project folder or SAM template")
    p.add_argument("--port", type=int, default=3000, help="port of the APIs (default 3000; 0: any)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument(
        "--runner",
        choices=("auto", "docker", "process"),
        default=None,
        help="where functions run (default: the runner setting, auto)",
    )
    p.add_argument("--image", help="container image for the Docker runner (every function)")
    p.add_argument(
        "--function",
        action="append",
        default=[],
        metavar="NAME",
        help="serve only this function's routes (repeatable)",
    )
    p.add_argument("--output", choices=("text", "json"), default="text")


class _Printer:
    """Prints the route table and one line per request; lines never interleave."""

    def __init__(self, output: str) -> None:
        self.json = output == "json"
        self._lock = threading.Lock()

    def line(self, text: str) -> None:
        with self._lock:
            print(text, flush=True)

    def object(self, value: dict[str, Any]) -> None:
        self.line(json.dumps(value, ensure_ascii=False))

    def routes(self, rows: list[dict[str, Any]], port: int) -> None:
        if self.json:
            for row in rows:
                self.object(row)
            self.object({"ready": True, "port": port})
            return
        width = max((len(r["method"]) for r in rows), default=3)
        kinds = {"rest": "REST API", "http": "HTTP API", "url": "function URL"}
        for row in rows:
            self.line(
                f"  {row['method']:<{width}}  {row['url']:<45}  -> {row['function']}"
                f"  ({kinds[row['kind']]})"
            )
        self.line(f"Serving on port {port}. Saving a function's code reloads it; Ctrl+C stops.")

    def served(self, served: Any) -> None:
        if self.json:
            self.object(served.to_json_dict())
            return
        result = served.result
        who = served.function or "-"
        text = f"{served.method} {served.path} {served.status} {who}"
        if result is not None:
            memory = result.max_memory_used_mb if result.max_memory_used_mb is not None else "?"
            text += (
                f"  Duration: {result.duration_ms:.2f} ms"
                f"  Billed Duration: {result.billed_duration_ms} ms"
                f"  Memory Size: {result.memory_size_mb} MB  Max Memory Used: {memory} MB"
            )
            if result.init_duration_ms is not None:
                text += f"  Init Duration: {result.init_duration_ms:.2f} ms"
            text += "  (cold)" if result.cold_start else ""
        if served.problem and served.status >= 400:
            text += f"  [{served.problem}]"
        self.line(text)

    def note(self, text: str) -> None:
        # Notes go to stderr so `--output json` stays one object per line on stdout.
        with self._lock:
            print(text, file=sys.stderr, flush=True)


def run(args: argparse.Namespace) -> int:
    from workbench.core.http.server import ApiServer
    from workbench.core.http.watch import CodeWatcher
    from workbench.core.project import open_project
    from workbench.core.project.routes import serve_spec
    from workbench.core.runtime.host import FunctionHost
    from workbench.core.runtime.runners import resolve_runner

    if not 0 <= args.port <= 65535:
        raise WorkbenchError(f"--port {args.port} is not a port number (0-65535).")
    printer = _Printer(args.output)
    project = open_project(Path(args.path))
    for sentence in [*project.warnings, *project.errors]:
        printer.note(f"warning: {sentence}")
    known = set(project.function_names)
    wanted = set(args.function)
    unknown = wanted - known
    if unknown:
        raise WorkbenchError(
            f"There is no function {', '.join(sorted(unknown))} in {args.path}; "
            f"available: {', '.join(sorted(known)) or 'none'}."
        )
    spec = serve_spec(project, wanted or None)
    for sentence in spec.warnings:
        printer.note(f"warning: {sentence}")
    if not spec.routes:
        raise WorkbenchError(
            f"{project.template or project.root} defines no API routes or function URLs to "
            "serve; add an Api or HttpApi event or a FunctionUrlConfig to a function."
        )
    settings = Settings()
    runner = resolve_runner(args.runner or settings.get("runner"))
    functions = {f.name: f for f in project.functions}
    needed = [functions[n] for n in sorted(spec.functions()) if n in functions]
    images = settings.get("images")
    with FunctionHost(
        runner, settings=settings, default_limit=settings.get("serve_concurrency")
    ) as host:
        throttled = set()
        for config in needed:
            if config.reserved_concurrency == 0:
                throttled.add(config.name)  # Lambda throttles every invoke of such a function
            host.add(
                config,
                limit=config.reserved_concurrency or None,
                image=args.image or images.get(config.runtime),
            )
        server = ApiServer(
            spec,
            host,
            bind=args.host,
            port=args.port,
            throttled=throttled,
            on_served=printer.served,
        )
        server.start()
        stop = threading.Event()
        previous = _on_signals(stop)
        watcher = None
        try:
            printer.routes(server.route_table(), server.port)

            def reload(names: list[str], path: str) -> None:
                for name in names:
                    try:
                        host.retire(name)
                    except WorkbenchError:
                        continue
                printer.note(f"{Path(path).name} changed: {', '.join(names)} reloaded.")

            watcher = CodeWatcher({f.name: f.code_dir for f in needed}, reload)
            watcher.start()
            while not stop.wait(0.5):
                pass
        finally:
            signal.signal(signal.SIGINT, previous[0])
            signal.signal(signal.SIGTERM, previous[1])
            if watcher is not None:
                watcher.stop()
            server.stop()
    printer.note("Stopped.")
    return 0


def _on_signals(stop: threading.Event) -> tuple[Any, Any]:
    """Ctrl+C and SIGTERM end serving cleanly (environments and containers are closed)."""

    def handler(_signum: int, _frame: Any) -> None:
        stop.set()

    return signal.signal(signal.SIGINT, handler), signal.signal(signal.SIGTERM, handler)
