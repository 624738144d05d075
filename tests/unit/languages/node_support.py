"""Invokers over the Node.js conformance handlers: the workbench's client or aws-lambda-ric."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from workbench.core.function import FunctionConfig
from workbench.core.languages.base import Launch, with_init
from workbench.core.languages.nodejs import FAMILY
from workbench.core.progress import CancelToken, Sink
from workbench.core.runtime.invoker import Invoker
from workbench.core.runtime.process_env import ProcessEnvironment

NODE_CONFORMANCE = FIXTURES / "node_conformance"
PEER_VERSION = "3.3.0"  # scripts/node-peer.sh builds it
RUNTIMES = ["workbench", "aws-lambda-ric"]


def peer_package() -> Path:
    """Where scripts/node-peer.sh put aws-lambda-ric; fails in CI when it is missing."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    prefix = Path(
        os.environ.get("LAMBDA_WORKBENCH_NODE_PEER")
        or cache / "lambda-workbench-node-peer" / PEER_VERSION
    )
    package = prefix / "node_modules" / "aws-lambda-ric"
    if not (prefix / ".complete").exists() or not package.is_dir():
        reason = (
            "aws-lambda-ric is not built here; run scripts/node-peer.sh "
            "(scripts/test-services.sh does)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return package


class PeerEnvironment(ProcessEnvironment):
    """AWS's aws-lambda-ric on this host, started like the workbench's client."""

    def __init__(self, function, api_address, on_output, on_exit, peer: Path):  # type: ignore[no-untyped-def]
        super().__init__(function, api_address, on_output, on_exit)
        self.peer = peer

    def launch(self, cancel: CancelToken, sink: Sink) -> Launch:
        ours = FAMILY.process_launch(self.function, self.api_address)
        # AWS's client takes the handler as its argument and the task root from the cwd;
        # it runs under the same init as ours (node follows reaper.py's --exec).
        node = next(a for a in ours.argv if Path(a).name.startswith("node"))
        argv = with_init((node, str(self.peer / "bin" / "index.mjs"), self.function.handler))
        return replace(ours, argv=argv)

    def _consume(self, data: bytes) -> bytes:
        self._last_output = time.perf_counter()
        return super()._consume(data)

    def flush_output(self, request_id: str, timeout: float) -> None:
        # aws-lambda-ric writes no end marker: wait for 200 ms of quiet.
        start = time.perf_counter()
        end = start + timeout
        while time.perf_counter() < end and self.alive:
            last = max(getattr(self, "_last_output", 0.0), start)
            if time.perf_counter() - last > 0.2:
                return
            threading.Event().wait(0.01)


def make_invoker(
    runtime: str, handler: str, code_dir: Path = NODE_CONFORMANCE, **changes: object
) -> Invoker:
    function = FunctionConfig(
        name="conformance", handler=handler, code_dir=code_dir, runtime="nodejs20.x"
    )
    function = replace(function, **changes)  # type: ignore[arg-type]
    if runtime == "workbench":
        return Invoker(function, "process")
    peer = peer_package()

    def factory(runner, function, api_address, on_output, on_exit, **_):  # type: ignore[no-untyped-def]
        return PeerEnvironment(function, api_address, on_output, on_exit, peer)

    return Invoker(function, "process", environment_factory=factory)
