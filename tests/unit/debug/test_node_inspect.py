"""`invoke --debug-port N` on Node.js: node's V8 inspector on 127.0.0.1:N, driven over CDP."""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from workbench.core.debug.launch import free_port

if shutil.which("node") is None:  # tests/unit/languages require node in CI already
    pytest.skip("node is not on PATH", allow_module_level=True)


class Cdp:
    """The smallest WebSocket client that speaks Chrome DevTools Protocol to node."""

    def __init__(self, url: str) -> None:
        host_port, path = url.removeprefix("ws://").split("/", 1)
        host, port = host_port.split(":")
        self.sock = socket.create_connection((host, int(port)), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall(
            f"GET /{path} HTTP/1.1\r\nHost: {host_port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        answer = b""
        while b"\r\n\r\n" not in answer:
            answer += self.sock.recv(4096)
        assert b" 101 " in answer.split(b"\r\n", 1)[0]
        self.buffer = answer.split(b"\r\n\r\n", 1)[1]
        self.seq = 0

    def send(self, method: str, **params: object) -> None:
        self.seq += 1
        data = json.dumps({"id": self.seq, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        header = bytes([0x81, 0x80 | 126]) + len(data).to_bytes(2, "big") + mask
        self.sock.sendall(header + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def _read(self, n: int) -> bytes:
        while len(self.buffer) < n:
            chunk = self.sock.recv(65536)
            assert chunk, "the inspector closed the connection"
            self.buffer += chunk
        data, self.buffer = self.buffer[:n], self.buffer[n:]
        return data

    def wait_for(self, method: str) -> dict:
        while True:
            head = self._read(2)
            length = head[1] & 0x7F
            if length == 126:
                length = int.from_bytes(self._read(2), "big")
            elif length == 127:
                length = int.from_bytes(self._read(8), "big")
            message = json.loads(self._read(length))
            if message.get("method") == method:
                return message


def test_node_waits_for_the_inspector_pauses_and_the_timeout_does_not_fire(tmp_path):
    (tmp_path / "index.mjs").write_text(
        "export const handler = async (event) => ({ doubled: event.n * 2 });\n"
    )
    (tmp_path / "event.json").write_text('{"n": 21}')
    port = free_port()
    cli = subprocess.Popen(
        [sys.executable, "-m", "workbench", "invoke", str(tmp_path), "--handler",
         "index.handler", "--runtime", "nodejs20.x", "--runner", "process", "--timeout", "1",
         "--debug-port", str(port), "--event", str(tmp_path / "event.json"), "--output",
         "json"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert cli.stderr is not None
        assert cli.stderr.readline().strip() == f"Debugger listening on 127.0.0.1:{port}"
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10) as answer:
            target = json.loads(answer.read())[0]["webSocketDebuggerUrl"]
        cdp = Cdp(target)
        cdp.send("Debugger.enable")
        cdp.send("Runtime.runIfWaitingForDebugger")
        cdp.wait_for("Debugger.paused")  # --inspect-brk: stopped before any code ran
        time.sleep(2)  # held past the 1 s timeout
        cdp.send("Debugger.resume")
        out, err = cli.communicate(timeout=60)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.communicate()
    assert cli.returncode == 0, err
    result = json.loads(out.splitlines()[-1])
    assert result["error"] is None and result["payload"] == {"doubled": 42}
