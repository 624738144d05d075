"""Node.js and custom runtimes in Docker, on the locally built test images.

tests/images/build-node-image.sh builds them (scripts/test-services.sh calls it): a Node 20
image running AWS's aws-lambda-ric with the official entrypoint convention, and an OS-only
provided.al2023-like image. package.json dependencies are installed with the function's own
image, once per content, and layers reach /opt/nodejs/node_modules.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.docker.conftest import _unavailable
from workbench.core.function import FunctionConfig
from workbench.core.progress import NullSink
from workbench.core.runtime import docker_engine
from workbench.core.runtime.invoker import Invoker
from workbench.core.settings import Settings

pytestmark = pytest.mark.docker
NODE_IMAGE = os.environ.get("LAMBDA_WORKBENCH_TEST_NODE_IMAGE", "lambda-workbench-test/nodejs:20")
PROVIDED_IMAGE = os.environ.get(
    "LAMBDA_WORKBENCH_TEST_PROVIDED_IMAGE", "lambda-workbench-test/provided:al2023"
)
NODE_DOCKER = FIXTURES / "node_docker"


def _image(tag: str) -> str:
    status = docker_engine.engine_status()
    if not status.ok:
        _unavailable(status.sentence)
    if not docker_engine.image_present(tag):
        _unavailable(
            f"The test image {tag} is not built; run scripts/test-services.sh (as root) or "
            "tests/images/build-node-image.sh."
        )
    return tag


class Progress(NullSink):
    def __init__(self) -> None:
        self.messages: list[str] = []

    def progress(self, message: str, fraction: float | None = None) -> None:
        self.messages.append(message)


@pytest.fixture
def invoker_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., Invoker]]:
    monkeypatch.setenv("LAMBDA_WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    made: list[Invoker] = []

    def build(image: str, runtime: str, handler: str, code_dir: Path, **changes: Any) -> Invoker:
        function = FunctionConfig(
            name="node", handler=handler, code_dir=code_dir, runtime=runtime, **changes
        )
        settings = Settings(tmp_path / "settings.json")
        invoker = Invoker(function, "docker", image=_image(image), settings=settings)
        made.append(invoker)
        return invoker

    yield build
    for invoker in made:
        invoker.close()


def _copy(tmp_path: Path, name: str) -> Path:
    """A world-readable copy (the sandbox user is not the owner, as in Lambda)."""
    target = tmp_path / name
    shutil.copytree(NODE_DOCKER / name, target)
    for path in [target, *target.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return target


def test_esm_with_lock_file_gets_npm_ci_dependencies_without_dev(invoker_on, tmp_path) -> None:
    code = _copy(tmp_path, "with_lock")
    sink = Progress()
    invoker = invoker_on(NODE_IMAGE, "nodejs20.x", "index.handler", code)
    result = invoker.invoke(b"{}", sink=sink)
    assert result.error is None, result.logs
    assert result.payload_json() == {
        "twoDays": 172800000,
        "resolved": "/var/node_modules/ms/index.js",
        "devDependency": "absent",
    }
    assert any("Installing package.json" in m for m in sink.messages), sink.messages
    # Once per content: a new environment of the same function installs nothing.
    again = Progress()
    invoker.reset()
    assert invoker.invoke(b"{}", sink=again).succeeded
    assert not any("Installing" in m for m in again.messages), again.messages
    # The code folder is untouched: no node_modules appears in it.
    assert not (code / "node_modules").exists()


def test_commonjs_without_lock_file_and_a_layer(invoker_on, tmp_path) -> None:
    code = _copy(tmp_path, "without_lock")
    layer = _copy(tmp_path, "layer")
    invoker = invoker_on(NODE_IMAGE, "nodejs20.x", "app.handler", code, layers=[layer])
    result = invoker.invoke(b"{}")
    assert result.error is None, result.logs
    assert result.payload_json() == {
        "oneHour": 3600000,
        "greeting": "hello from a layer",
        "remaining": True,
        "user": 993,  # Lambda's sandbox user, never root
    }


def test_error_payload_and_frames_in_the_container(invoker_on, tmp_path) -> None:
    code = _copy(tmp_path, "without_lock")
    layer = _copy(tmp_path, "layer")
    result = invoker_on(NODE_IMAGE, "nodejs20.x", "app.boom", code, layers=[layer]).invoke(b"{}")
    assert result.error["errorType"] == "Error"
    assert result.error["errorMessage"] == "docker boom"
    trace = result.error["trace"]
    assert trace[0] == "Error: docker boom"
    assert "    at exports.boom [as handler] (/var/task/app.js:13:9)" in trace, trace
    assert sorted(result.error) == ["errorMessage", "errorType", "trace"]


def test_exit_then_next_invoke_works(invoker_on) -> None:
    invoker = invoker_on(NODE_IMAGE, "nodejs20.x", "app.exits", FIXTURES / "node_conformance")
    result = invoker.invoke(b"{}")
    assert result.error["errorType"] == "Runtime.ExitError"
    assert result.error["errorMessage"].endswith("Runtime exited with error: exit status 2")
    invoker.update_function(
        FunctionConfig(
            name="node",
            handler="app.ok",
            code_dir=FIXTURES / "node_conformance",
            runtime="nodejs20.x",
        )
    )
    assert invoker.invoke(b'{"n": 1}').payload_json() == {"echo": {"n": 1}, "answer": 42}


def test_npm_failure_is_a_sentence(invoker_on, tmp_path) -> None:
    from workbench.core.errors import WorkbenchError

    code = tmp_path / "broken"
    code.mkdir()
    code.chmod(0o755)
    (code / "package.json").write_text('{"dependencies": {"no-such-package-zz9-plural": "1.0.0"}}')
    (code / "index.js").write_text("exports.handler = async () => 1;\n")
    for path in code.iterdir():
        path.chmod(0o644)
    expected = r"(?s)npm could not install .*404 Not Found.*Fix package.json and invoke again"
    with pytest.raises(WorkbenchError, match=expected):
        invoker_on(NODE_IMAGE, "nodejs20.x", "index.handler", code).invoke(b"{}")


# Custom runtimes


def _bootstrap_dir(tmp_path: Path) -> Path:
    code = tmp_path / "custom"
    shutil.copytree(FIXTURES / "provided_bootstrap", code)
    code.chmod(0o755)
    (code / "bootstrap").chmod(0o755)
    return code


@pytest.mark.parametrize("runtime", ["provided.al2023", "provided.al2"])
def test_shell_bootstrap_speaks_the_runtime_api(invoker_on, tmp_path, runtime) -> None:
    invoker = invoker_on(PROVIDED_IMAGE, runtime, "function.handler", _bootstrap_dir(tmp_path))
    first = invoker.invoke(b'{"n": 1}')
    assert first.error is None, first.logs
    assert first.payload_json() == {"echo": {"n": 1}}
    assert f"handling {first.request_id} with function.handler" in first.logs
    second = invoker.invoke(b'{"fail":true}')
    assert not second.cold_start
    assert second.error == {
        "errorType": "CustomError",
        "errorMessage": "asked to fail",
        "stackTrace": [],
    }


def test_missing_bootstrap_says_what_lambda_says(invoker_on, tmp_path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    empty.chmod(0o755)
    result = invoker_on(PROVIDED_IMAGE, "provided.al2023", "x", empty).invoke(b"{}")
    assert result.error["errorType"] == "Runtime.ExitError"
    assert "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]" in result.logs


def test_results_serialise_the_node_trace(invoker_on, tmp_path) -> None:
    code = _copy(tmp_path, "without_lock")
    layer = _copy(tmp_path, "layer")
    result = invoker_on(NODE_IMAGE, "nodejs20.x", "app.boom", code, layers=[layer]).invoke(b"{}")
    error = json.loads(json.dumps(result.to_json_dict()))["error"]
    assert error["trace"][0] == "Error: docker boom"
