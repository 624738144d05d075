"""FunctionHost: pools of real process environments, many functions, throttling, retirement."""

from __future__ import annotations

import contextlib
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import FIXTURES
from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.runtime.host import FunctionHost, PoolState, Throttled
from workbench.core.runtime.policy import DeadlineClock, InvokePolicy

HOST_FIXTURE = FIXTURES / "host"


def fn(name: str = "f", handler: str = "app.tagged", **changes: object) -> FunctionConfig:
    function = FunctionConfig(name=name, handler=handler, code_dir=HOST_FIXTURE, timeout_s=10)
    for key, value in changes.items():
        setattr(function, key, value)
    return function


def event(tag: str, s: float = 0.0) -> bytes:
    return json.dumps({"tag": tag, "s": s}).encode()


@pytest.fixture
def host():
    made = FunctionHost("process")
    yield made
    made.close()


def pid_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    with open(f"/proc/{pid}/stat") as stat:  # a zombie has exited
        return stat.read().rsplit(")", 1)[1].split()[0] == "Z"


def check_own(result, tag: str, function: str = "f") -> dict:
    assert result.succeeded, result.error
    payload = json.loads(result.payload)
    assert payload["tag"] == tag and payload["function"] == function
    assert payload["requestId"] == result.request_id
    # The output of this invoke and nothing else, between START and END.
    body = result.logs.split(f"START RequestId: {result.request_id}", 1)[1]
    body = body.split(f"END RequestId: {result.request_id}", 1)[0]
    lines = [line for line in body.splitlines()[1:] if line.strip()]
    assert lines == [f"out {tag} {result.request_id}"]
    return payload


def test_eight_concurrent_invokes_get_eight_environments_each_cold_once(host):
    host.add(fn(), limit=8)
    with ThreadPoolExecutor(8) as pool:
        first = list(pool.map(lambda i: host.invoke("f", event(f"a{i}", 0.4)), range(8)))
    pids = {check_own(r, f"a{i}")["pid"] for i, r in enumerate(first)}
    assert len(pids) == 8 and all(r.cold_start for r in first)
    with ThreadPoolExecutor(8) as pool:
        second = list(pool.map(lambda i: host.invoke("f", event(f"b{i}", 0.2)), range(8)))
    assert {check_own(r, f"b{i}")["pid"] for i, r in enumerate(second)} <= pids
    assert not any(r.cold_start for r in second)
    state = host.state("f")
    assert (state.environments, state.busy, state.invokes, state.cold_starts) == (8, 0, 16, 8)


def test_four_functions_at_once_never_cross(host):
    names = ["alpha", "beta", "gamma", "delta"]
    for name in names:
        host.add(fn(name, memory_mb=128 + names.index(name)), limit=2)
    jobs = [(name, f"{name}-{i}") for name in names for i in range(6)]
    with ThreadPoolExecutor(8) as pool:
        results = list(
            pool.map(lambda job: host.invoke(job[0], event(job[1], 0.05), wait=True), jobs)
        )
    for (name, tag), result in zip(jobs, results, strict=True):
        check_own(result, tag, function=name)
        assert result.memory_size_mb == 128 + names.index(name)
        assert result.function_name == name
    assert all(host.state(name).environments <= 2 for name in names)


def test_busy_pool_at_its_limit_throttles_or_waits(host):
    host.add(fn(), limit=1)
    running = threading.Thread(target=host.invoke, args=("f", event("slow", 0.8)))
    running.start()
    deadline = time.monotonic() + 10
    while host.state("f").busy == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    with pytest.raises(Throttled) as caught:
        host.invoke("f", event("next"))
    assert "TooManyRequestsException" in str(caught.value)
    waited = host.invoke("f", event("waited"), wait=True)
    running.join()
    check_own(waited, "waited")
    assert host.state("f").environments == 1


def wait_for(condition, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.01)
    return True


def test_retire_ends_idle_environments_now_and_busy_ones_after_their_invoke(host):
    host.add(fn(), limit=2)
    with ThreadPoolExecutor(2) as pool:  # two environments, both idle afterwards
        warm = list(pool.map(lambda t: host.invoke("f", event(t, 0.3)), ["one", "two"]))
    pids = {check_own(r, t)["pid"] for r, t in zip(warm, ["one", "two"], strict=True)}
    assert len(pids) == 2
    results = {}
    slow = threading.Thread(target=lambda: results.update(r=host.invoke("f", event("slow", 1.5))))
    slow.start()
    assert wait_for(lambda: host.state("f").busy == 1)
    host.update(fn(memory_mb=256))
    busy_pid = next(s.invoker._env.runtime_pid for s in host._pools["f"].busy)
    idle_pid = (pids - {busy_pid}).pop()
    assert wait_for(lambda: pid_gone(idle_pid), 5)  # the idle environment ended at once
    assert not pid_gone(busy_pid)  # the busy one finishes its invoke
    slow.join()
    assert check_own(results["r"], "slow")["pid"] == busy_pid
    assert results["r"].memory_size_mb == 128  # it ran to the end with its settings
    after = host.invoke("f", event("after"))
    assert after.cold_start and after.memory_size_mb == 256
    assert check_own(after, "after")["pid"] not in (idle_pid, busy_pid)
    assert wait_for(lambda: pid_gone(busy_pid), 5)


def test_an_environment_that_dies_while_pooled_is_replaced(host):
    host.add(fn())
    pid = check_own(host.invoke("f", event("one")), "one")["pid"]
    os.kill(pid, 9)
    deadline = time.monotonic() + 5
    while not pid_gone(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    result = host.invoke("f", event("two"))
    assert result.cold_start
    assert check_own(result, "two")["pid"] != pid


def test_close_while_invokes_run_cancels_them_and_leaves_no_process():
    host = FunctionHost("process")
    host.add(fn(), limit=3)
    outcomes: list[object] = []
    pids = []

    def run(i: int) -> None:
        try:
            outcomes.append(host.invoke("f", event(f"t{i}", 30)))
        except Cancelled as error:
            outcomes.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(3)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 10
    while host.state("f").busy < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    time.sleep(0.5)  # the handlers are in their sleep
    for slot in list(host._pools["f"].busy):
        env = slot.invoker._env
        if env is not None and env.process is not None:
            pids.append(env.process.pid)
    assert len(pids) == 3
    started = time.monotonic()
    host.close()
    for thread in threads:
        thread.join(10)
    assert time.monotonic() - started < 10
    assert len(outcomes) == 3 and all(isinstance(o, Cancelled) for o in outcomes)
    assert all(pid_gone(pid) for pid in pids)
    with pytest.raises(WorkbenchError, match="shut down"):
        host.invoke("f", event("late"))


def test_unknown_function_and_bad_limits_get_sentences(host):
    with pytest.raises(WorkbenchError, match="no function 'nope'"):
        host.invoke("nope", b"{}")
    with pytest.raises(WorkbenchError, match="1 or more"):
        host.add(fn(), limit=0)
    with pytest.raises(WorkbenchError, match="1 or more"):
        FunctionHost("process", default_limit=0)


def test_reap_idle_ends_old_environments(host):
    host.add(fn())
    pid = check_own(host.invoke("f", event("one")), "one")["pid"]
    assert host.reap_idle(older_than_s=60) == 0
    time.sleep(0.05)
    assert host.reap_idle(older_than_s=0.01) == 1
    assert host.state("f").environments == 0
    deadline = time.monotonic() + 5
    while not pid_gone(pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert pid_gone(pid)


def test_state_changes_are_reported_by_callback():
    seen: list[PoolState] = []
    host = FunctionHost("process", on_state=seen.append)
    try:
        host.add(fn())
        host.invoke("f", event("one"))
    finally:
        host.close()
    assert seen[0].environments == 0
    assert any(s.busy == 1 for s in seen)
    assert seen[-1].busy == 0 and seen[-1].idle == 1 and seen[-1].invokes == 1


def test_set_functions_adds_updates_and_removes(host):
    host.set_functions([fn("a"), fn("b")])
    host.invoke("a", event("x"))
    host.set_functions([fn("a", memory_mb=512), fn("c")])
    assert sorted(host.names()) == ["a", "c"]
    result = host.invoke("a", event("y"))
    assert result.cold_start and result.memory_size_mb == 512


def test_prestart_makes_the_next_invoke_warm(host):
    host.add(fn())
    host.prestart("f")
    result = host.invoke("f", event("one"))
    assert result.cold_start  # the first invoke of an environment reports its init
    assert result.init_duration_ms is not None
    second = host.invoke("f", event("two"))
    assert not second.cold_start


def test_counted_logs_keep_no_output_but_count_it(host):
    host.add(fn())
    result = host.invoke("f", event("quiet"), policy=InvokePolicy(keep_logs=False))
    assert result.succeeded
    assert "out quiet" not in result.logs
    assert result.logs_truncated_bytes == len(f"out quiet {result.request_id}\n")
    assert f"REPORT RequestId: {result.request_id}" in result.logs


class PauseOnOutput:
    """A sink that stops Lambda's clock when the handler first prints, for `hold` seconds."""

    def __init__(self, clock: DeadlineClock, hold: float) -> None:
        self.clock, self.hold, self.timer = clock, hold, None

    def progress(self, message: str, fraction: float | None = None) -> None:
        pass

    def output(self, text: str) -> None:
        if self.timer is None and "sleeping" in text:
            self.clock.pause()
            self.timer = threading.Timer(self.hold, self.clock.resume)
            self.timer.start()


def test_paused_clock_stops_the_timeout(host):
    host.add(fn(handler="app.sleeps", timeout_s=1))
    host.prestart("f")
    clock = DeadlineClock()
    sink = PauseOnOutput(clock, hold=1.6)
    result = host.invoke("f", b'{"s": 1.8}', policy=InvokePolicy(clock=clock), sink=sink)
    assert result.succeeded, result.error
    assert 1500 <= result.paused_ms <= 2500
    assert result.duration_ms < 1000  # Duration leaves out the time held
    assert any("held the function" in hint for hint in result.hints)
    plain = host.invoke("f", b'{"s": 1.8}')
    assert plain.error and plain.error["errorType"] == "Sandbox.Timedout"


def test_request_over_lambdas_limit_is_refused_with_the_clouds_message(host):
    host.add(fn())
    with pytest.raises(WorkbenchError, match="limit 6291456 bytes"):
        host.invoke("f", b'"' + b"x" * 6_291_455 + b'"')


def test_reserved_concurrency_is_read_from_the_template(tmp_path):
    from workbench.core.project import open_project

    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def handler(event, context):\n    return 1\n")
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Fn:\n"
        "    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: src\n"
        "      Handler: app.handler\n      Runtime: python3.12\n"
        "      ReservedConcurrentExecutions: 3\n"
    )
    project = open_project(tmp_path)
    assert project.functions[0].reserved_concurrency == 3


def test_stop_and_close_are_not_blocked_by_a_prestart_that_holds_the_environment():
    from workbench.core.progress import CancelToken
    from workbench.core.runtime.invoker import Invoker

    slow = FunctionConfig(name="slow", handler="app.handler", code_dir=FIXTURES / "slow_init")
    invoker = Invoker(slow, "process")
    prestart = threading.Thread(target=lambda: _quietly(invoker.prestart))
    prestart.start()
    time.sleep(0.3)  # the prestart now holds the environment's lock, waiting for init
    cancel = CancelToken()
    threading.Timer(0.2, cancel.cancel).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        invoker.invoke(b"{}", cancel=cancel)  # Stop: answered while the prestart waits
    assert time.monotonic() - started < 2
    started = time.monotonic()
    invoker.close()  # quitting: ends the starting environment at once
    prestart.join(5)
    assert not prestart.is_alive() and time.monotonic() - started < 3


def _quietly(call) -> None:
    with contextlib.suppress(Cancelled):
        call()
