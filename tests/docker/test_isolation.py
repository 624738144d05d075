"""Isolation in Docker: no environment reaches another's Runtime API; network modes."""

from __future__ import annotations

import json
import socket
import threading
import uuid
from collections.abc import Iterator

import docker
import pytest

from workbench.core.runtime import docker_env, docker_network

pytestmark = pytest.mark.docker


def invoke(invoker, event: object = None):
    return invoker.invoke(json.dumps(event or {}).encode())


def test_a_function_cannot_take_or_answer_another_environments_invocations(docker_invoker):
    victim = docker_invoker("sandbox.identity")
    victim.prestart()  # its runtime is now long-polling `next`
    addresses = victim._api.addresses
    assert len(addresses) == 2  # loopback + the isolated bridge's gateway
    thief = docker_invoker("sandbox.steal", timeout_s=30)
    result = invoke(thief, {"addresses": addresses})
    assert result.succeeded, result.logs
    outcome = result.payload_json()
    loopback, bridge = addresses
    # The container's 127.0.0.1 is its own; the gateway answers, and refuses.
    assert outcome[loopback] == {"error": "ConnectionRefusedError"}
    assert outcome[bridge] == {"next": 403}
    assert victim._api.refused >= 1
    # The victim still gets and answers its own invocations.
    own = invoke(victim)
    assert own.payload_json() == {"uid": 993, "gid": 990, "cwd": "/var/task"}


@pytest.fixture
def loopback_server() -> Iterator[int]:
    """A TCP service on the host's loopback only (like a local database)."""
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except OSError:
                continue
            with connection:
                connection.sendall(b"hello")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1]
    stop.set()
    thread.join()
    server.close()


def test_isolated_by_default_a_function_cannot_reach_the_hosts_loopback(
    docker_invoker, loopback_server
):
    target = {"host": "127.0.0.1", "port": loopback_server}
    result = invoke(docker_invoker("sandbox.connect"), target)
    assert result.payload_json() == {"connected": False, "error": "ConnectionRefusedError"}


def test_network_host_reaches_the_hosts_loopback(docker_invoker, settings, loopback_server):
    settings.set("network", "host")
    target = {"host": "127.0.0.1", "port": loopback_server}
    result = invoke(docker_invoker("sandbox.connect"), target)
    assert result.payload_json() == {"connected": True, "said": "hello"}


@pytest.fixture
def user_network() -> Iterator[str]:
    client = docker.from_env()
    name = f"lambda-workbench-test-{uuid.uuid4().hex[:8]}"
    network = client.networks.create(name, driver="bridge", labels={"lambda-workbench": "1"})
    yield name
    docker_env.wait_for_removals()
    network.remove()
    docker_network.forget()


def test_docker_network_joins_an_existing_network_and_stays_isolated(
    user_network, docker_invoker, settings
):
    # user_network comes first so that it is removed after the invokers' containers.
    settings.set("docker_network", user_network)
    victim = docker_invoker("sandbox.identity")
    victim.prestart()
    container = victim._env.container
    container.reload()
    assert list(container.attrs["NetworkSettings"]["Networks"]) == [user_network]
    thief = docker_invoker("sandbox.steal", timeout_s=30)
    outcome = invoke(thief, {"addresses": victim._api.addresses}).payload_json()
    assert outcome[victim._api.addresses[1]] == {"next": 403}
    assert invoke(victim).succeeded


def test_a_missing_docker_network_gets_a_sentence(docker_invoker, settings):
    from workbench.core.errors import WorkbenchError

    settings.set("docker_network", "no-such-network-for-the-workbench")
    with pytest.raises(WorkbenchError, match="There is no Docker network called"):
        invoke(docker_invoker("sandbox.identity"))


@pytest.mark.parametrize(("options", "connected"), [([], False), (["--network", "host"], True)])
def test_cli_network_option(docker_image, loopback_server, tmp_path, options, connected):
    import subprocess
    import sys
    from pathlib import Path

    from tests.docker.conftest import HANDLERS

    event = tmp_path / "event.json"
    event.write_text(json.dumps({"host": "127.0.0.1", "port": loopback_server}))
    command = [
        sys.executable, "-m", "workbench", "invoke", str(HANDLERS), "--handler",
        "sandbox.connect", "--runner", "docker", "--image", docker_image, "--event", str(event),
        "--output", "json", *options,
    ]  # fmt: skip
    done = subprocess.run(
        command, cwd=Path(__file__).resolve().parents[2], capture_output=True, timeout=120
    )
    assert done.returncode == 0, done.stderr.decode()
    payload = json.loads(done.stdout.decode().splitlines()[-1])["payload"]
    assert payload["connected"] is connected
