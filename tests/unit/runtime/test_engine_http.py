"""engine_http against a real HTTP server on a Unix socket that answers as told.

The Docker engine itself is exercised by tests/docker (every runner call goes through
this client there); here the server sends what an engine rarely does on purpose:
chunked bodies, answers that break off, error bodies, garbage.
"""

from __future__ import annotations

import json
import socketserver
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from workbench.core.runtime import engine_calls
from workbench.core.runtime.engine_http import (
    Engine,
    EngineError,
    NotFound,
    Unreachable,
    UnsupportedAddress,
)

VERSION = b'{"ApiVersion": "1.41", "Version": "20.10.24"}'


def answer(status: str, body: bytes, headers: str = "") -> bytes:
    return f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n{headers}\r\n".encode() + body


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Callable[[Callable[[bytes], bytes]], Engine]]:
    """An Engine talking to a server whose answer to each request `reply` decides."""
    servers: list[socketserver.UnixStreamServer] = []
    seen: list[bytes] = []

    def start(reply: Callable[[bytes], bytes]) -> Engine:
        class Handler(socketserver.StreamRequestHandler):
            def handle(self) -> None:
                head = b""
                while b"\r\n\r\n" not in head:
                    data = self.request.recv(65536)
                    if not data:
                        return
                    head += data
                seen.append(head)
                if head.startswith(b"GET /version "):
                    self.wfile.write(answer("200 OK", VERSION))
                else:
                    self.wfile.write(reply(head))

        path = str(tmp_path / f"engine{len(servers)}.sock")
        server = socketserver.UnixStreamServer(path, Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        client = Engine(f"unix://{path}", timeout=5)
        client.seen = seen  # type: ignore[attr-defined]
        return client

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def test_the_api_version_comes_from_the_engine_and_prefixes_every_call(engine):
    client = engine(lambda head: answer("200 OK", b'{"ok": 1}'))
    assert client.call("GET", "/info") == {"ok": 1}
    assert client.api_version == "1.41"
    assert client.seen[-1].startswith(b"GET /v1.41/info HTTP/1.1\r\n")


def test_a_chunked_answer_is_put_together(engine):
    body = b'{"Id": "abc", "Names": ["/x"]}'
    chunked = b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (body[:7], body[7:]))
    reply = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked + b"0\r\n\r\n"
    client = engine(lambda head: reply)
    assert client.call("GET", "/containers/abc/json") == json.loads(body)


def test_an_error_answer_carries_the_engines_message(engine):
    message = answer("404 Not Found", b'{"message": "No such container: abc"}')
    client = engine(lambda head: message)
    with pytest.raises(NotFound) as raised:
        client.call("GET", "/containers/abc/json")
    assert raised.value.status == 404 and raised.value.explanation == "No such container: abc"
    conflict = engine(lambda head: answer("409 Conflict", b"plain text"))
    with pytest.raises(EngineError) as raised:
        conflict.call("POST", "/networks/create", body={})
    assert raised.value.status == 409 and not isinstance(raised.value, NotFound)
    assert raised.value.explanation == "plain text"


def test_an_answer_that_breaks_off_or_is_not_http_is_an_error_not_a_hang(engine):
    short = engine(lambda head: b'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{"a"')
    with pytest.raises(EngineError):
        short.call("GET", "/info")
    garbage = engine(lambda head: b"SSH-2.0-OpenSSH\r\n")
    with pytest.raises(Unreachable) as raised:
        garbage.call("GET", "/info")
    assert "SSH-2.0" in str(raised.value)


def test_the_request_body_is_json_and_query_values_are_encoded(engine):
    client = engine(lambda head: answer("201 Created", b'{"Id": "c1"}'))
    container = engine_calls.create(client, "img:1", command=["app.handler"], tty=False)
    assert container.id == "c1"
    sent = client.seen[-1]
    assert sent.startswith(b"POST /v1.41/containers/create HTTP/1.1")
    assert b"Content-Type: application/json" in sent
    listing = engine(lambda head: answer("200 OK", b"[]"))
    assert engine_calls.list_containers(listing, "a=b") == []
    assert b"all=1&filters=%7B%22label%22%3A+%5B%22a%3Db%22%5D%7D" in listing.seen[-1]


def test_attach_yields_the_payload_of_each_frame_in_order(engine):
    frames = b"".join(
        bytes([kind, 0, 0, 0]) + len(data).to_bytes(4, "big") + data
        for kind, data in ((1, b"out 1\n"), (2, b"err 1\n"), (1, b"out 2\n"))
    )
    client = engine(lambda head: b"HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\n\r\n" + frames)
    assert list(client.attach("c1")) == [b"out 1\n", b"err 1\n", b"out 2\n"]
    assert b"Upgrade: tcp" in client.seen[-1]


def test_no_socket_is_a_clear_unreachable(tmp_path):
    with pytest.raises(Unreachable) as raised:
        Engine(f"unix://{tmp_path}/none.sock").version()
    assert isinstance(raised.value.reason, FileNotFoundError)


def test_unsupported_docker_hosts_are_refused_with_what_to_do(monkeypatch):
    from workbench.core.runtime import docker_engine

    with pytest.raises(UnsupportedAddress, match="ssh://me@localhost is a kind of address"):
        Engine("ssh://me@localhost")
    monkeypatch.setenv("DOCKER_HOST", "ssh://me@localhost")
    monkeypatch.setattr(docker_engine, "_client", None)
    status = docker_engine.engine_status()
    assert (
        not status.ok and "unix://" in status.sentence and "No Docker engine" not in status.sentence
    )


def test_create_body_maps_the_runners_options_and_refuses_unknown_ones():
    body = engine_calls.create_body(
        "img",
        {
            "command": ["app.handler"],
            "environment": {"A": "1"},
            "mounts": [engine_calls.bind("/var/task", "/code", read_only=True)],
            "mem_limit": "256m",
            "memswap_limit": "256m",
            "read_only": True,
            "network": "lambda-workbench",
            "extra_hosts": {"host.docker.internal": "host-gateway"},
            "cpu_quota": 5000,
            "user": None,
            "detach": True,
        },
    )
    host = body["HostConfig"]
    assert body["Cmd"] == ["app.handler"] and body["Env"] == ["A=1"] and "User" not in body
    assert host["Memory"] == host["MemorySwap"] == 256 * 1024 * 1024
    assert host["ReadonlyRootfs"] is True and host["CpuQuota"] == 5000
    assert host["Mounts"] == [
        {"Target": "/var/task", "Source": "/code", "Type": "bind", "ReadOnly": True}
    ]
    assert host["NetworkMode"] == "lambda-workbench"
    assert body["NetworkingConfig"] == {"EndpointsConfig": {"lambda-workbench": {}}}
    assert host["ExtraHosts"] == ["host.docker.internal:host-gateway"]
    with pytest.raises(TypeError, match="privileged"):
        engine_calls.create_body("img", {"privileged": True})
