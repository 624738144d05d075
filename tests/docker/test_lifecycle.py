"""Crashed workbenches leave no containers behind; dependencies and layers reach /opt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import zipfile
from pathlib import Path

import docker
import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.runtime import docker_env

pytestmark = pytest.mark.docker
ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import sys, threading
from pathlib import Path
from workbench.core.function import FunctionConfig
from workbench.core.runtime.invoker import Invoker
function = FunctionConfig(name="crashy", handler="sandbox.identity", code_dir=Path(sys.argv[1]))
invoker = Invoker(function, "docker", image=sys.argv[2])
invoker.prestart()
print(invoker._env.container.id, flush=True)
if sys.argv[3] == "hang":
    threading.Event().wait()
sys.exit(0)  # a normal exit without closing the Invoker: the atexit hook must clean up
"""


def test_containers_of_a_crashed_workbench_are_removed_at_next_start(
    docker_image, docker_invoker, monkeypatch
):
    from tests.docker.conftest import HANDLERS

    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(HANDLERS), docker_image, "hang"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None
        container_id = child.stdout.readline().decode().strip()
    finally:
        os.kill(child.pid, signal.SIGKILL)  # a crash: no clean-up code runs
        child.wait()
    engine = docker.from_env()
    assert engine.containers.get(container_id).labels["lambda-workbench.pid"] == str(child.pid)
    # A new workbench process checks once, at its first start.
    monkeypatch.setattr(docker_env, "_orphans_checked", False)
    docker_invoker("sandbox.identity").prestart()
    with pytest.raises(docker.errors.NotFound):
        engine.containers.get(container_id)


def test_containers_are_removed_when_the_workbench_exits(docker_image):
    from tests.docker.conftest import HANDLERS

    child = subprocess.run(
        [sys.executable, "-c", CHILD, str(HANDLERS), docker_image, "exit"],
        cwd=ROOT,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )
    container_id = child.stdout.decode().strip()
    assert child.returncode == 0 and container_id, child.stderr.decode()
    # The exiting workbench sends the removal and does not wait for the engine to finish.
    engine = docker.from_env()
    for _ in range(300):  # bounded: 30 s
        try:
            engine.containers.get(container_id)
        except docker.errors.NotFound:
            break
        threading.Event().wait(0.1)
    with pytest.raises(docker.errors.NotFound):
        engine.containers.get(container_id)


def _tiny_wheel(folder: Path, value: str) -> None:
    """A minimal pure-Python wheel, so the test needs no package index."""
    folder.mkdir(parents=True)
    info = "tinydep-1.0.dist-info"
    with zipfile.ZipFile(folder / "tinydep-1.0-py3-none-any.whl", "w") as wheel:
        wheel.writestr("tinydep.py", f"VALUE = {value!r}\n")
        wheel.writestr(f"{info}/METADATA", "Metadata-Version: 2.1\nName: tinydep\nVersion: 1.0\n")
        wheel.writestr(
            f"{info}/WHEEL",
            "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
        )
        wheel.writestr(f"{info}/RECORD", "")


def _function_with_requirements(tmp_path: Path, requirements: str) -> Path:
    code = tmp_path / "fn"
    code.mkdir()
    (code / "app.py").write_text(
        textwrap.dedent(
            """
            def handler(event, context):
                import tinydep
                return tinydep.VALUE
            """
        )
    )
    _tiny_wheel(code / "wheels", "from requirements")
    (code / "requirements.txt").write_text(requirements)
    return code


class Recorder:
    def __init__(self) -> None:
        self.messages: list[str] = []
        self.text: list[str] = []

    def progress(self, message: str, fraction: float | None = None) -> None:
        self.messages.append(message)

    def output(self, text: str) -> None:
        self.text.append(text)


def test_requirements_are_installed_once_into_opt_python(docker_invoker, tmp_path):
    code = _function_with_requirements(tmp_path, "--no-index\n--find-links wheels\ntinydep==1.0\n")
    sink = Recorder()
    invoker = docker_invoker("app.handler", code_dir=code)
    result = invoker.invoke(b"{}", sink=sink)
    assert result.payload_json() == "from requirements", result.logs
    assert any("Installing requirements.txt" in m for m in sink.messages)
    assert "Successfully installed tinydep-1.0" in "".join(sink.text)
    # Same content: the cached folder is reused, pip does not run again.
    invoker.reset()
    again = Recorder()
    assert invoker.invoke(b"{}", sink=again).payload_json() == "from requirements"
    assert not any("Installing" in m for m in again.messages)


def test_pip_failure_shows_pips_message(docker_invoker, tmp_path):
    code = _function_with_requirements(tmp_path, "--no-index\n--find-links wheels\nnotthere==9\n")
    invoker = docker_invoker("app.handler", code_dir=code)
    with pytest.raises(WorkbenchError) as caught:
        invoker.invoke(b"{}")
    message = str(caught.value)
    assert "pip could not install" in message
    assert "No matching distribution found for notthere==9" in message


def test_layers_appear_under_opt(docker_invoker, tmp_path):
    first, second = tmp_path / "layer1", tmp_path / "layer2"
    (first / "python").mkdir(parents=True)
    (second / "python").mkdir(parents=True)
    (first / "python" / "one.py").write_text("VALUE = 'layer one'\n")
    (first / "python" / "shared.py").write_text("VALUE = 'first'\n")
    (second / "python" / "shared.py").write_text("VALUE = 'second'\n")
    from tests.docker.conftest import HANDLERS

    invoker = docker_invoker("sandbox.opt_listing", code_dir=HANDLERS, layers=[first, second])
    result = invoker.invoke(b'{"modules": ["one", "shared"]}')
    # Later layers win, as when Lambda extracts them in order into /opt.
    assert result.payload_json() == {"one": "layer one", "shared": "second"}, result.logs
