"""Invokers over the conformance handlers, with our bootstrap or AWS's awslambdaric."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from tests.conftest import FIXTURES
from workbench.core.function import FunctionConfig
from workbench.core.languages import Launch
from workbench.core.progress import CancelToken, Sink
from workbench.core.runtime.invoker import Invoker
from workbench.core.runtime.lambda_env import lambda_environment
from workbench.core.runtime.process_env import ProcessEnvironment

CONFORMANCE = FIXTURES / "conformance"


class AwsRicEnvironment(ProcessEnvironment):
    """AWS's own runtime client (awslambdaric) on this host, as the protocol peer."""

    presents_token = False  # it cannot send the workbench's token header

    def launch(self, cancel: CancelToken, sink: Sink) -> Launch:
        # The workbench's own environment, where awslambdaric is installed.
        env = lambda_environment(self.function, self.api_address, task_root=str(CONFORMANCE))
        env.update(PATH=os.environ.get("PATH", ""), PYTHONIOENCODING="utf-8")
        argv = (sys.executable, "-u", "-m", "awslambdaric", self.function.handler)
        return Launch(argv=argv, env=env, cwd=self.function.code_dir)

    def _consume(self, data: bytes) -> bytes:
        self._last_output = time.perf_counter()
        return super()._consume(data)

    def flush_output(self, request_id: str, timeout: float) -> None:
        # awslambdaric writes no end marker: wait for 200 ms of quiet, counted from
        # this call or the latest output, whichever is later (older output, such as
        # init logs, must not make a late-arriving invoke's output look flushed).
        start = time.perf_counter()
        end = start + timeout
        while time.perf_counter() < end and self.alive:
            last = max(getattr(self, "_last_output", 0.0), start)
            if time.perf_counter() - last > 0.2:
                return
            threading.Event().wait(0.01)


RUNTIMES = ["workbench", "awslambdaric"]


def make_invoker(runtime: str, handler: str, **changes: object) -> Invoker:
    function = FunctionConfig(name="conformance", handler=handler, code_dir=CONFORMANCE)
    for key, value in changes.items():
        setattr(function, key, value)
    factory = None
    if runtime == "awslambdaric":
        pytest.importorskip("awslambdaric", reason="awslambdaric has Linux wheels only")

        def factory(runner, function, api_address, on_output, on_exit, **_):  # type: ignore[no-untyped-def]
            return AwsRicEnvironment(function, api_address, on_output, on_exit)

    return Invoker(function, "process", environment_factory=factory)


@pytest.fixture(params=RUNTIMES)
def runtime(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def invoker_for(runtime: str) -> Iterator[Callable[..., Invoker]]:
    made: list[Invoker] = []

    def build(handler: str, **changes: object) -> Invoker:
        invoker = make_invoker(runtime, handler, **changes)
        made.append(invoker)
        return invoker

    yield build
    for invoker in made:
        invoker.close()
