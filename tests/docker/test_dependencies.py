"""The dependency cache across processes, and pip steps longer than a client read timeout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.docker.test_lifecycle import Recorder, _function_with_requirements
from workbench.core.runtime import docker_engine
from workbench.core.runtime.engine_http import Engine

pytestmark = pytest.mark.docker
ROOT = Path(__file__).resolve().parents[2]


def test_four_processes_starting_the_same_function_at_once_all_import_it(docker_image, tmp_path):
    code = _function_with_requirements(tmp_path, "--no-index\n--find-links wheels\ntinydep==1.0\n")
    command = [
        sys.executable, "-m", "workbench", "invoke", str(code), "--handler", "app.handler",
        "--runner", "docker", "--image", docker_image, "--output", "json",
    ]  # fmt: skip
    # One shared cache (the autouse fixture gave this process its own folders).
    env = dict(os.environ, LAMBDA_WORKBENCH_CACHE_DIR=str(tmp_path / "shared-cache"))
    workers = [
        subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(4)
    ]
    outcomes = []
    for worker in workers:
        out, err = worker.communicate(timeout=300)
        outcomes.append((worker.returncode, out.decode(), err.decode()))
    for code_, out, err in outcomes:
        assert code_ == 0, (out, err)
        assert json.loads(out.splitlines()[-1])["payload"] == "from requirements"
    installed = list((tmp_path / "shared-cache" / "dependencies").iterdir())
    assert [p.name for p in installed if not p.name.endswith(".lock")] == [
        p.name for p in installed if p.is_dir()
    ]
    assert len([p for p in installed if p.is_dir()]) == 1  # no partial folder left


SLOW_BACKEND = """
import os, time, zipfile

def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    time.sleep(4)  # quiet, longer than the client read timeout the test sets
    name = "slowdep-1.0-py3-none-any.whl"
    info = "slowdep-1.0.dist-info"
    with zipfile.ZipFile(os.path.join(wheel_directory, name), "w") as wheel:
        wheel.writestr("slowdep.py", "VALUE = 'built slowly'\\n")
        wheel.writestr(f"{info}/METADATA", "Metadata-Version: 2.1\\nName: slowdep\\n"
                       "Version: 1.0\\n")
        wheel.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\\nGenerator: test\\n"
                       "Root-Is-Purelib: true\\nTag: py3-none-any\\n")
        wheel.writestr(f"{info}/RECORD", "")
    return name
"""


def test_a_quiet_pip_step_longer_than_the_read_timeout_completes(
    docker_invoker, tmp_path, monkeypatch
):
    code = tmp_path / "fn"
    package = code / "slowdep"
    package.mkdir(parents=True)
    (package / "backend.py").write_text(SLOW_BACKEND)
    (package / "pyproject.toml").write_text(
        '[build-system]\nrequires = []\nbuild-backend = "backend"\nbackend-path = ["."]\n'
    )
    (code / "requirements.txt").write_text("slowdep @ file:///manifest/slowdep\n")
    (code / "app.py").write_text(
        textwrap.dedent(
            """
            def handler(event, context):
                import slowdep
                return slowdep.VALUE
            """
        )
    )
    # The shared client with a 2 s read timeout stands in for its real 60 s one.
    docker_engine.client()
    engine = Engine(timeout=2)
    engine.version()
    monkeypatch.setattr(docker_engine, "_client", engine)
    sink = Recorder()
    result = docker_invoker("app.handler", code_dir=code).invoke(b"{}", sink=sink)
    assert result.payload_json() == "built slowly", result.logs
    # pip's output after the quiet step still arrives (the stream was not cut by a timeout).
    assert "Successfully installed slowdep-1.0" in "".join(sink.text)
