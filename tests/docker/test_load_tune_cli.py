"""`load` and `tune` through the CLI on the Docker runner: real containers, none left after."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docker
import pytest

from tests.unit.testing.support import ROOT, cli, sam_project, write
from workbench.core.runtime import docker_env

pytestmark = pytest.mark.docker


@pytest.fixture
def project(tmp_path: Path) -> Path:
    sam_project(
        tmp_path / "app", {"Sleepy": "sleepy", "Limited": "sleepy"}, reserved={"Limited": 2}
    )
    write(tmp_path / "fast.json", '{"s": 0.02}')
    return tmp_path


def containers_of(pid: int) -> list:
    engine = docker.from_env()
    # sparse: no inspect per container, which fails for one the engine is just removing
    # (an exiting workbench sends its removals and does not wait for them).
    return engine.containers.list(
        all=True, sparse=True, filters={"label": f"lambda-workbench.pid={pid}"}
    )


def docker_cli(project: Path, command: str, *args: str, image: str):
    return cli(command, str(project / "app"), "--event", str(project / "fast.json"),
               "--runner", "docker", "--image", image, *args)  # fmt: skip


def test_load_on_docker_scales_up_to_reserved_concurrency(project, docker_image):
    run = docker_cli(project, "load", "--function", "Sleepy", "--requests", "12",
                     "--concurrency", "3", "--output", "json", image=docker_image)  # fmt: skip
    assert run.returncode == 0, run.stderr
    data = json.loads(run.stdout.splitlines()[-1])
    assert data["requests"] == 12 and data["errors"] == 0 and data["throttles"] == 0
    assert 1 <= data["environments"] <= 3 and data["coldStarts"] == data["environments"]
    assert data["p50Ms"] >= 20 and data["maxMemoryUsedMb"] > 0
    run = docker_cli(project, "load", "--function", "Limited", "--requests", "20",
                     "--concurrency", "5", "--output", "json", image=docker_image)  # fmt: skip
    data = json.loads(run.stdout.splitlines()[-1])
    assert data["environments"] <= 2 and data["throttles"] > 0


def test_load_ctrl_c_on_docker_leaves_no_container(project, docker_image):
    write(project / "slow.json", '{"s": 0.5}')
    command = [sys.executable, "-m", "workbench", "load", str(project / "app"), "--function",
               "Sleepy", "--event", str(project / "slow.json"), "--runner", "docker",
               "--image", docker_image, "--requests", "100000", "--concurrency", "2",
               "--memory", "1769", "--output", "json"]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)), cwd=ROOT)  # fmt: skip
    deadline = time.monotonic() + 120
    while len(containers_of(child.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(containers_of(child.pid)) == 2
    time.sleep(4)  # long enough for the cold starts and a few 0.5 s invokes
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 130, err
    # The partial summary (how many finished depends on how fast the containers started).
    assert 0 <= json.loads(out.splitlines()[-1])["requests"] < 100000
    assert "Traceback" not in err
    docker_env.wait_for_removals()
    deadline = time.monotonic() + 30
    while containers_of(child.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert containers_of(child.pid) == []


def test_tune_on_docker_reports_each_size_and_a_recommendation(project, docker_image):
    run = docker_cli(project, "tune", "--function", "Sleepy", "--memory", "128,512,1769",
                     "--invokes", "3", "--strategy", "balanced", "--output", "json",
                     image=docker_image)  # fmt: skip
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in run.stdout.splitlines()]
    assert [row["memoryMb"] for row in lines[:-1]] == [128, 512, 1769]
    for row in lines[:-1]:
        assert list(row) == ["memoryMb", "initDurationMs", "p50Ms", "p90Ms", "billedMsP50",
                             "costPerInvokeUsd", "costPerMillionUsd", "maxMemoryUsedMb",
                             "errors"]  # fmt: skip
        assert row["initDurationMs"] > 0 and row["p50Ms"] >= 20 and row["errors"] == 0
        assert row["billedMsP50"] >= row["p50Ms"]
        assert row["costPerMillionUsd"] == pytest.approx(row["costPerInvokeUsd"] * 1e6, rel=1e-3)
    # A sleeping handler takes as long at every size, so the cost grows with memory.
    costs = [row["costPerInvokeUsd"] for row in lines[:-1]]
    assert costs == sorted(costs)
    pick = lines[-1]["recommendation"]
    assert set(pick) == {"memoryMb", "strategy", "reason"}
    assert pick["strategy"] == "balanced" and pick["memoryMb"] in (128, 512, 1769)
    assert "arm64" in pick["reason"]


def test_tune_text_table_and_an_out_of_memory_size(project, docker_image):
    write(
        project / "app" / "src" / "hog.py",
        "def handler(event, context):\n    block = bytearray(200 * 1024 * 1024)\n"
        "    return len(block)\n",
    )
    template = project / "app" / "template.yaml"
    template.write_text(template.read_text() + "\n".join([
        "  Hog:", "    Type: AWS::Serverless::Function", "    Properties:",
        "      CodeUri: src/", "      Handler: hog.handler", "      Runtime: python3.12", "",
    ]))  # fmt: skip
    run = docker_cli(project, "tune", "--function", "Hog", "--memory", "128,512",
                     "--invokes", "2", image=docker_image)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "128 MB: Runtime.ExitError" in run.stderr
    assert "recommended (cost): 512 MB." in run.stdout
    assert "Left out for errors: 128 MB." in run.stdout
    header = run.stdout.splitlines()[0].split()
    assert header[:3] == ["memory", "init", "ms"]


def test_saved_event_tests_pass_on_docker(docker_image):
    from tests.unit.testing.support import EXAMPLE

    run = cli("test", str(EXAMPLE), "--runner", "docker", "--image", docker_image,
              "--output", "json")  # fmt: skip
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads(run.stdout.splitlines()[-1]) == {"passed": 2, "failed": 0, "errors": 0}


def test_tune_ctrl_c_leaves_no_container(project, docker_image):
    command = [sys.executable, "-m", "workbench", "tune", str(project / "app"), "--function",
               "Sleepy", "--event", str(project / "fast.json"), "--image", docker_image,
               "--memory", "1769,1024", "--invokes", "1000"]  # fmt: skip
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             env=dict(os.environ, PYTHONPATH=str(ROOT)), cwd=ROOT)  # fmt: skip
    deadline = time.monotonic() + 120
    while not containers_of(child.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert containers_of(child.pid)
    time.sleep(2)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 130, err
    assert "interrupted after 0 of 2 sizes" in err and "Traceback" not in err
    deadline = time.monotonic() + 30
    while containers_of(child.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert containers_of(child.pid) == []
