"""`lambda-workbench load` through the CLI with the process runner: summary, throttles, Ctrl+C."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.unit.testing.support import ROOT, cli, sam_project, write

KEYS = [
    "requests",
    "concurrency",
    "environments",
    "coldStarts",
    "errors",
    "throttles",
    "wallS",
    "throughputPerS",
    "p50Ms",
    "p90Ms",
    "p99Ms",
    "maxMemoryUsedMb",
    "costUsd",
    "costPerMillionUsd",
]
PROCESS = ("--runner", "process")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    flags = tmp_path / "flags"
    flags.mkdir()
    sam_project(
        tmp_path / "app",
        {
            "Sleepy": "sleepy",
            "Limited": "sleepy",
            "Closed": "sleepy",
            "Lonely": "lonely",
            "Counted": "counted",
        },  # fmt: skip
        reserved={"Limited": 2, "Closed": 0},
        env=f"FLAG_DIR: {flags}",
    )
    write(tmp_path / "fast.json", '{"s": 0.02}')
    return tmp_path


def load(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return cli("load", str(project / "app"), "--event", str(project / "fast.json"), *PROCESS, *args)


def summary_of(run) -> dict:
    data = json.loads(run.stdout.splitlines()[-1])
    assert list(data) == KEYS
    return data


def test_json_summary_counts_environments_and_cost(project):
    run = load(
        project,
        "--function",
        "Sleepy",
        "--requests",
        "24",
        "--concurrency",
        "3",
        "--memory",
        "256",
        "--output",
        "json",
    )
    assert run.returncode == 0, run.stderr
    data = summary_of(run)
    assert data["requests"] == 24 and data["concurrency"] == 3
    assert 1 <= data["environments"] <= 3 and data["coldStarts"] == data["environments"]
    assert data["errors"] == 0 and data["throttles"] == 0
    assert 20 <= data["p50Ms"] <= data["p90Ms"] <= data["p99Ms"]
    assert data["maxMemoryUsedMb"] > 5
    # 24 invokes of >= 20 ms at 256 MB, plus the requests, on x86_64.
    assert data["costUsd"] > 24 * (0.25 * 0.020 * 0.0000166667 + 0.0000002)
    assert data["costPerMillionUsd"] == pytest.approx(data["costUsd"] / 24 * 1e6, rel=1e-3)


def test_reserved_concurrency_limits_environments_and_throttles(project):
    run = load(
        project,
        "--function",
        "Limited",
        "--requests",
        "30",
        "--concurrency",
        "6",
        "--output",
        "json",
    )
    assert run.returncode == 0, run.stderr
    assert "ReservedConcurrentExecutions 2" in run.stderr
    data = summary_of(run)
    assert data["environments"] <= 2 and data["throttles"] > 0
    assert data["requests"] == 30
    run = load(
        project, "--function", "Closed", "--requests", "5", "--concurrency", "2", "--output", "json"
    )
    data = summary_of(run)
    assert (data["throttles"], data["environments"], data["p50Ms"]) == (5, 0, None)


def test_a_handler_failing_only_under_concurrency(project):
    alone = load(project, "--function", "Lonely", "--requests", "6", "--concurrency", "1")
    assert alone.returncode == 0, alone.stdout + alone.stderr
    crowd = load(project, "--function", "Lonely", "--requests", "24", "--concurrency", "4")
    assert crowd.returncode == 1
    last = crowd.stdout.strip().splitlines()[-1]
    assert last.startswith("first error")
    assert last.endswith("RuntimeError: another invoke is running")
    errors = next(line for line in crowd.stdout.splitlines() if line.startswith("errors"))
    assert int(errors.split()[-1]) > 0
    assert "Traceback" not in crowd.stderr


@pytest.mark.parametrize(
    ("args", "sentence"),
    [
        (("--requests", "5", "--concurrency", "0"), "--concurrency 0 runs nothing"),
        (("--requests", "0", "--concurrency", "2"), "--requests 0 runs nothing"),
        (("--requests", "99999999999", "--concurrency", "2"), "give at most 10,000,000"),
        (("--requests", "5", "--concurrency", "5000"), "give at most 256"),
        (("--requests", "5", "--concurrency", "2", "--memory", "64"), "outside Lambda's range"),
    ],
)
def test_bad_arguments_get_a_sentence(project, args, sentence):
    run = load(project, "--function", "Sleepy", *args)
    assert run.returncode == 2
    assert sentence in run.stderr and "Traceback" not in run.stderr


def _environments_of(code_dir: Path) -> list[int]:
    """Processes running in the code folder, one per environment (its init, not the runtime
    the init forked)."""
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if Path(os.readlink(entry / "cwd")) == code_dir:
                    stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    parents[int(entry.name)] = int(stat[1])
            except (OSError, ValueError, IndexError):
                continue
    return sorted(pid for pid, parent in parents.items() if parent not in parents)


def test_ctrl_c_prints_a_partial_summary_and_leaves_no_environment(project):
    write(project / "slow.json", '{"s": 0.3}')
    code_dir = (project / "app" / "src").resolve()
    done = project / "flags" / "done"
    command = [sys.executable, "-m", "workbench", "load", str(project / "app"), "--function",
               "Counted", "--event", str(project / "slow.json"), *PROCESS, "--requests",
               "100000", "--concurrency", "4", "--output", "json"]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)), cwd=ROOT)  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        # A worker takes its next request only after its last result is counted, so a sixth
        # finished invoke means at least two results are in the summary.
        while time.monotonic() < deadline and (
            not done.exists() or len(done.read_text().splitlines()) < 6
        ):
            time.sleep(0.05)
        assert len(_environments_of(code_dir)) == 4
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:  # a failed check must not leave a 100,000-request load running
            child.kill()
            child.communicate()
    assert child.returncode == 130, err
    data = json.loads(out.splitlines()[-1])
    assert list(data) == KEYS and 2 <= data["requests"] < 100000
    assert "interrupted after" in err and "Traceback" not in err
    assert _environments_of(code_dir) == []


def test_text_output_shows_a_progress_bar_on_a_terminal(project):
    import pty

    master, slave = pty.openpty()
    command = [sys.executable, "-m", "workbench", "load", str(project / "app"), "--function",
               "Sleepy", "--event", str(project / "fast.json"), *PROCESS, "--requests", "40",
               "--concurrency", "2"]  # fmt: skip
    child = subprocess.run(command, stdout=subprocess.PIPE, stderr=slave, text=True, timeout=120,
                           env=dict(os.environ, PYTHONPATH=str(ROOT)), cwd=ROOT)  # fmt: skip
    os.close(slave)
    shown = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    os.close(master)
    assert child.returncode == 0
    assert b"/40  " in shown and b" in flight" in shown and b"[#" in shown
    assert child.stdout.splitlines()[0].split() == ["requests", "40"]
