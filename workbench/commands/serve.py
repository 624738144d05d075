"""`lambda-workbench serve`: the project's API Gateway routes and function URLs on localhost."""

from __future__ import annotations

import argparse
import json
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from workbench.core.settings import Settings


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="serve the project's API routes and function URLs on localhost",
        description="Serve a project's API Gateway routes (REST and HTTP APIs) and function "
        "URLs over HTTP, each request running the function as Lambda would. Ctrl+C stops it.",
    )
    p.add_argument("path", metavar="PATH", help="project folder or SAM template")
    p.add_argument(
        "--port",
        type=int,
        default=3000,
        metavar="N",
        help="port of the APIs (default 3000; 0: any)",
    )
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
    from workbench.core.http.session import ServeSession

    printer = _Printer(args.output)
    session = ServeSession(
        Path(args.path),
        port=args.port,
        bind=args.host,
        runner=args.runner,
        image=args.image,
        functions=args.function,
        settings=Settings(),
        on_served=printer.served,
        on_note=printer.note,
    )
    stop = threading.Event()
    previous = _on_signals(stop)
    try:
        try:
            session.start()
        finally:
            for sentence in session.warnings:
                printer.note(f"warning: {sentence}")
        printer.routes(session.route_table(), session.port)
        while not stop.wait(0.5):
            pass
    finally:
        session.stop()
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])
    printer.note("Stopped.")
    return 0


def _on_signals(stop: threading.Event) -> tuple[Any, Any]:
    """Ctrl+C and SIGTERM end serving cleanly (environments and containers are closed)."""

    def handler(_signum: int, _frame: Any) -> None:
        stop.set()

    return signal.signal(signal.SIGINT, handler), signal.signal(signal.SIGTERM, handler)
