"""Engine detection, networking, images per runtime and pull errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.progress import CancelToken, NullSink
from workbench.core.runtime import docker_engine


@pytest.mark.parametrize(
    ("runtime", "image"),
    [
        ("python3.9", "public.ecr.aws/lambda/python:3.9"),
        ("python3.13", "public.ecr.aws/lambda/python:3.13"),
        ("nodejs18.x", "public.ecr.aws/lambda/nodejs:18"),
        ("nodejs22.x", "public.ecr.aws/lambda/nodejs:22"),
        ("provided.al2023", "public.ecr.aws/lambda/provided:al2023"),
        ("provided.al2", "public.ecr.aws/lambda/provided:al2"),
        ("java21", "public.ecr.aws/lambda/java:21"),
        ("ruby3.3", "public.ecr.aws/lambda/ruby:3.3"),
        ("dotnet8", "public.ecr.aws/lambda/dotnet:8"),
    ],
)
def test_default_image_per_runtime(runtime, image):
    assert docker_engine.default_image(runtime) == image


def test_unknown_runtime_says_how_to_choose_an_image():
    with pytest.raises(WorkbenchError, match="'images' setting"):
        docker_engine.default_image("cobol1")


def test_image_choice_order(tmp_path):
    from workbench.core.settings import Settings

    settings = Settings(tmp_path / "s.json")
    assert docker_engine.image_for("python3.12", settings) == "public.ecr.aws/lambda/python:3.12"
    settings.set("images", {"python3.12": "mine/py:1"})
    assert docker_engine.image_for("python3.12", settings) == "mine/py:1"
    assert docker_engine.image_for("python3.11", settings) == "public.ecr.aws/lambda/python:3.11"
    assert docker_engine.image_for("python3.12", settings, "cli/img:2") == "cli/img:2"


@pytest.mark.parametrize(
    ("info", "platform", "host_network", "address"),
    [
        ({"OperatingSystem": "Debian GNU/Linux 12 (bookworm)"}, "linux", True, "127.0.0.1"),
        ({"OperatingSystem": "Docker Desktop"}, "darwin", False, "host.docker.internal"),
        ({"OperatingSystem": "Docker Desktop"}, "linux", False, "host.docker.internal"),
        ({"OperatingSystem": "Ubuntu 24.04"}, "win32", False, "host.docker.internal"),
        ({"OperatingSystem": "fedora"}, "linux", True, "127.0.0.1"),  # Podman on Linux
        (
            {"OperatingSystem": "Ubuntu", "SecurityOptions": ["name=seccomp", "name=rootless"]},
            "linux",
            True,
            "10.0.2.2",
        ),
    ],
)
def test_networking_detection(info, platform, host_network, address):
    net = docker_engine.networking_for(info, platform)
    assert (net.host_network, net.host_address) == (host_network, address)


def test_api_address_inside_the_container():
    linux = docker_engine.networking_for({"OperatingSystem": "Debian"}, "linux")
    desktop = docker_engine.networking_for({"OperatingSystem": "Docker Desktop"}, "darwin")
    assert docker_engine.container_api_address("127.0.0.1:41234", linux) == "127.0.0.1:41234"
    assert docker_engine.container_api_address("127.0.0.1:41234", desktop) == (
        "host.docker.internal:41234"
    )


@pytest.mark.parametrize(
    ("docker_host", "local"),
    [
        ("", True),
        ("unix:///run/user/1000/podman/podman.sock", True),
        ("tcp://127.0.0.1:2375", True),
        ("tcp://localhost:2376", True),
        ("tcp://10.1.2.3:2376", False),
        ("ssh://me@builder.example.com", False),
    ],
)
def test_remote_engines_are_refused_with_a_sentence(docker_host, local):
    if local:
        docker_engine.check_local_engine(docker_host)
    else:
        with pytest.raises(WorkbenchError, match="another machine"):
            docker_engine.check_local_engine(docker_host)


def test_no_engine_gives_a_sentence_saying_how_to_start_one(monkeypatch):
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    docker_engine.forget_client()
    try:
        status = docker_engine.engine_status()
    finally:
        docker_engine.forget_client()
    assert not status.ok and status.version is None
    assert status.sentence.startswith("No Docker engine answers")
    assert "DOCKER_HOST" in status.sentence and "process runner" in status.sentence


@pytest.mark.docker
def test_engine_status_reports_the_version(docker_image):
    status = docker_engine.engine_status()
    assert status.ok and status.version and status.version in status.sentence


@pytest.mark.docker
def test_pull_offline_or_unreachable_registry_says_so(docker_image):
    # Port 1 on loopback refuses connections: a registry that cannot be reached.
    with pytest.raises(WorkbenchError, match="registry cannot be reached"):
        docker_engine.pull_image("127.0.0.1:1/lambda/python:3.12", CancelToken(), NullSink())


@pytest.mark.docker
def test_pull_can_be_cancelled(docker_image):
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        docker_engine.pull_image("127.0.0.1:1/lambda/python:3.12", cancel, NullSink())


def test_pull_error_sentences():
    missing = docker_engine._pull_error("a/b:1", "manifest unknown: manifest unknown")
    assert "does not exist" in str(missing) and "docker login" in str(missing)


@pytest.fixture
def registry(docker_image):
    from tests.docker.registry import Registry

    served = Registry(layers=2)
    yield served
    served.close()


class Recorder:
    def __init__(self) -> None:
        self.steps: list[tuple[str, float | None]] = []

    def progress(self, message: str, fraction: float | None = None) -> None:
        self.steps.append((message, fraction))

    def output(self, text: str) -> None:
        pass


@pytest.mark.docker
def test_pull_reports_per_layer_byte_progress(registry):
    import docker

    image = f"{registry.address}/lambda/test:1"
    sink = Recorder()
    try:
        docker_engine.ensure_image(image, CancelToken(), sink)
        assert docker_engine.image_present(image)
        fractions = [f for message, f in sink.steps if " MB " in message and f is not None]
        assert fractions and fractions[-1] == 1.0
        assert fractions == sorted(fractions)
        assert any("of 6.0 MB" in message for message, _ in sink.steps), sink.steps
        assert sink.steps[-1] == (f"Pulled {image}", 1.0)
    finally:
        docker.from_env().images.remove(image, force=True)


@pytest.mark.docker
def test_pull_of_a_missing_image_says_it_does_not_exist(registry):
    with pytest.raises(WorkbenchError, match="does not exist"):
        docker_engine.pull_image(f"{registry.address}/lambda/test:2", CancelToken(), NullSink())


def test_an_image_of_another_python_than_the_runtime_is_said_once(docker_invoker):
    # The test image runs Python 3.11; the runtime client's User-Agent tells its version.
    invoker = docker_invoker("sandbox.identity", runtime="python3.12")
    cold = invoker.invoke(b"{}")
    assert cold.succeeded, cold.error
    said = [hint for hint in cold.hints if "runs Python 3.11." in hint]
    assert said and "python3.12" in said[0], cold.hints
    warm = invoker.invoke(b"{}")
    assert not [hint for hint in warm.hints if "runs Python" in hint]  # once per environment


def test_an_image_of_the_runtimes_python_gets_no_version_hint(docker_invoker):
    result = docker_invoker("sandbox.identity", runtime="python3.11").invoke(b"{}")
    assert result.succeeded, result.error
    assert not [hint for hint in result.hints if "runs Python" in hint], result.hints


def test_a_cold_docker_invoke_loads_neither_the_docker_sdk_nor_requests(docker_image, tmp_path):
    # ~150 ms of imports, a fifth of a whole cold CLI invoke (engine_http's docstring).
    code = tmp_path / "fn"
    code.mkdir(mode=0o755)
    (code / "app.py").write_text("def handler(event, context):\n    return 'ok'\n")
    (code / "app.py").chmod(0o644)
    command = [sys.executable, "-X", "importtime", "-m", "workbench", "invoke", str(code),
               "--handler", "app.handler", "--runner", "docker",
               "--image", docker_image]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert '"ok"' in done.stdout
    loaded = {line.rsplit("|", 1)[-1].strip() for line in done.stderr.splitlines() if "|" in line}
    heavy = {name for name in loaded if name.split(".")[0] in ("docker", "requests", "urllib3")}
    assert not heavy, sorted(heavy)


def test_the_docker_clis_current_context_is_used_without_docker_host(
    docker_image, tmp_path, monkeypatch
):
    import hashlib
    import json
    import os

    engine_socket = os.environ.get("DOCKER_HOST", "unix:///var/run/docker.sock")
    assert engine_socket.startswith("unix://")
    link = tmp_path / "engine.sock"
    link.symlink_to(engine_socket[len("unix://") :])  # where Colima or Desktop would put it

    def context(name, host):
        meta = tmp_path / "contexts" / "meta" / hashlib.sha256(name.encode()).hexdigest()
        meta.mkdir(parents=True)
        endpoint = {"Host": host, "SkipTLSVerify": False}
        (meta / "meta.json").write_text(
            json.dumps({"Name": name, "Metadata": {}, "Endpoints": {"docker": endpoint}})
        )
        (tmp_path / "config.json").write_text(json.dumps({"currentContext": name}))

    # Undone before the leak check that follows every Docker test (it uses the SDK,
    # which reads the context too).
    with monkeypatch.context() as patch:
        patch.delenv("DOCKER_HOST", raising=False)
        patch.setenv("DOCKER_CONFIG", str(tmp_path))
        context("wb-test", f"unix://{link}")
        patch.setattr(docker_engine, "_client", None)
        assert docker_engine.engine_status().ok
        assert docker_engine.image_present(docker_image)
        context("wb-gone", f"unix://{tmp_path}/missing.sock")
        patch.setattr(docker_engine, "_client", None)
        status = docker_engine.engine_status()
        assert not status.ok and "docker context wb-gone" in status.sentence, status.sentence
    docker_engine.forget_client()


def test_remove_detached_sends_the_removal_without_waiting_and_the_engine_completes_it(
    docker_image,
):
    import time

    import docker as sdk

    from workbench.core.runtime import engine_calls

    container = engine_calls.create(docker_engine.client(), docker_image, command=["x"])
    assert docker_engine.remove_detached([container.id])  # over the Unix socket: True
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            sdk.from_env().containers.get(container.id)
        except sdk.errors.NotFound:
            return
        time.sleep(0.05)
    raise AssertionError(f"container {container.id} is still there")
