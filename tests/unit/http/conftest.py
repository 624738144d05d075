"""A real ApiServer over real sockets, its functions in real processes (the process runner)."""

from __future__ import annotations

import http.client
import json
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from workbench.core.http.gateway import ServedRequest
from workbench.core.http.server import ApiServer
from workbench.core.project import open_project
from workbench.core.project.routes import serve_spec
from workbench.core.runtime.host import FunctionHost
from workbench.core.settings import Settings

SERVE_APP = FIXTURES / "serve" / "api"


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        found = [v for k, v in self.headers if k.lower() == name.lower()]
        return found[-1] if found else None

    def all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k.lower() == name.lower()]

    def json(self):
        return json.loads(self.body)

    def event(self) -> dict:
        """The event the echo handler received."""
        return self.json()["event"]


def call(
    port: int,
    method: str,
    path: str,
    headers: list[tuple[str, str]] | None = None,
    body: bytes | None = None,
) -> Reply:
    """One request over a fresh connection; headers are sent in order, repeats kept."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for key, value in headers or []:
            connection.putheader(key, value)
        if body is not None:
            connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        return Reply(response.status, response.getheaders(), response.read())
    finally:
        connection.close()


@dataclass
class Served:
    server: ApiServer
    host: FunctionHost
    root: Path
    gate_dir: Path
    log: list[ServedRequest] = field(default_factory=list)

    @property
    def port(self) -> int:
        return self.server.port

    def url_port(self, function: str) -> int:
        return next(x.port for x in self.server.listeners if x.name == function)

    def call(self, method: str, path: str, **kwargs) -> Reply:
        return call(self.port, method, path, **kwargs)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("serve") / "api"
    shutil.copytree(SERVE_APP, root)
    gate_dir = tmp_path_factory.mktemp("gate")
    project = open_project(root)
    assert not project.errors, project.errors
    spec = serve_spec(project)
    assert not spec.warnings, spec.warnings
    log: list[ServedRequest] = []
    settings = Settings(tmp_path_factory.mktemp("config") / "settings.json")
    host = FunctionHost("process", settings=settings, default_limit=4)
    for config in project.functions:
        config.environment["GATE_DIR"] = str(gate_dir)
        host.add(config, limit=config.reserved_concurrency or None)
    # A short integration timeout so the 504 test does not wait API Gateway's 29 s.
    server = ApiServer(spec, host, port=0, integration_timeout_s=1.5, on_served=log.append)
    server.start()
    try:
        yield Served(server, host, root, gate_dir, log)
    finally:
        server.stop()
        host.close()
