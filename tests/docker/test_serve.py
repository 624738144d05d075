"""`serve` on the Docker runner: real containers behind real sockets, reload, Ctrl+C."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import docker
import pytest
from aws_lambda_powertools.utilities.parser.models import (
    APIGatewayProxyEventModel,
    APIGatewayProxyEventV2Model,
    LambdaFunctionUrlModel,
)

from tests.unit.http.conftest import SERVE_APP, call
from tests.unit.http.test_serve_cli import ServeProcess
from workbench.core.runtime.docker_sandbox import LABEL_PID

pytestmark = pytest.mark.docker


def readable_copy(tmp_path: Path) -> Path:
    root = tmp_path / "api"
    shutil.copytree(SERVE_APP, root)
    # Lambda's sandbox user reads the code: it must be readable by others, as on Lambda.
    for path in [tmp_path, *root.rglob("*"), root]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return root


def test_serve_on_docker(docker_image, tmp_path):
    root = readable_copy(tmp_path)
    serve = ServeProcess(
        str(root),
        "--runner",
        "docker",
        "--image",
        docker_image,
        "--port",
        "0",
        "--output",
        "json",
        *("--function", "EchoFunction", "--function", "BinaryFunction"),
        *("--function", "FailFunction", "--function", "UrlFunction"),
    )
    try:
        rows = []
        while "ready" not in (row := json.loads(serve.line())):
            rows.append(row)
        port = row["port"]

        reply = call(port, "GET", "/items/5?a=1&a=2", headers=[("X-Two", "1"), ("X-Two", "2")])
        assert reply.status == 200
        event = APIGatewayProxyEventModel(**reply.event())
        assert event.pathParameters == {"id": "5"}
        assert event.multiValueQueryStringParameters == {"a": ["1", "2"]}
        assert event.multiValueHeaders["X-Two"] == ["1", "2"]
        first = json.loads(serve.line())
        assert first["coldStart"] is True and first["status"] == 200

        # The authorizer runs in its own container too.
        allowed = call(port, "GET", "/secure", headers=[("Authorization", "allow")])
        assert allowed.status == 200
        assert allowed.event()["requestContext"]["authorizer"]["user"] == "ana"
        assert call(port, "GET", "/secure", headers=[("Authorization", "deny")]).status == 403

        v2 = call(port, "GET", "/v2/items/3", headers=[("Cookie", "c=1")])
        assert APIGatewayProxyEventV2Model(**v2.event()).cookies == ["c=1"]

        data = bytes(range(256))
        binary = call(
            port,
            "POST",
            "/bin",
            headers=[("Content-Type", "image/png"), ("Accept", "image/png")],
            body=data,
        )
        assert binary.status == 200 and binary.body == data[::-1]

        failed = call(port, "GET", "/fail")
        assert failed.status == 502 and failed.json() == {"message": "Internal server error"}

        url = next(r for r in rows if r["kind"] == "url")["url"]
        url_port = int(url.rsplit(":", 1)[1].split("/")[0])
        assert LambdaFunctionUrlModel(**call(url_port, "GET", "/u").event()).rawPath == "/u"

        # Requests at once each get an environment (a container) of their own when needed.
        replies: list[int] = []
        threads = [
            threading.Thread(target=lambda: replies.append(call(port, "GET", "/files/x").status))
            for _ in range(4)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert replies == [200, 200, 200, 200]

        source = root / "src" / "app.py"
        source.write_text(source.read_text().replace('VERSION = "one"', 'VERSION = "two"'))
        serve.until(lambda line: "reloaded" in line and "EchoFunction" in line)
        assert call(port, "GET", "/items/1").header("x-version") == "two"
    finally:
        pid = serve.process.pid
        code = serve.stop()
    assert code == 0
    # An exiting workbench sends its removals and does not wait for the engine to finish.
    engine, wanted = docker.from_env(), {"label": f"{LABEL_PID}={pid}"}
    for _ in range(300):  # bounded: 30 s
        left = engine.containers.list(all=True, sparse=True, filters=wanted)
        if not left:
            break
        threading.Event().wait(0.1)
    assert left == [], "serve left containers behind"
