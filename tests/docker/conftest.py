"""Docker test fixtures: engine and Lambda-compatible image (skip with a reason; fail in CI)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from workbench.core.function import FunctionConfig
from workbench.core.runtime import docker_engine
from workbench.core.runtime.invoker import Invoker
from workbench.core.settings import Settings

# Any image that follows the official entrypoint convention works here.
TEST_IMAGE = os.environ.get("LAMBDA_WORKBENCH_TEST_IMAGE", "lambda-workbench-test/python:3.11")
HANDLERS = Path(__file__).parent / "handlers"
CONFORMANCE = FIXTURES / "conformance"


def _unavailable(sentence: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and the Docker tests cannot run: {sentence}")
    pytest.skip(sentence)


@pytest.fixture(scope="session")
def docker_image() -> str:
    """The test image's tag, once an engine answers and the image is present."""
    status = docker_engine.engine_status()
    if not status.ok:
        _unavailable(status.sentence)
    if not docker_engine.image_present(TEST_IMAGE):
        _unavailable(
            f"The test image {TEST_IMAGE} is not built; run scripts/test-services.sh "
            "(as root) or set LAMBDA_WORKBENCH_TEST_IMAGE to a Lambda image you have."
        )
    return TEST_IMAGE


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(tmp_path / "settings.json")


@pytest.fixture
def docker_invoker(docker_image: str, settings: Settings) -> Iterator[Callable[..., Invoker]]:
    """Build Invokers on the Docker runner; all are closed after the test."""
    made: list[Invoker] = []

    def build(handler: str, code_dir: Path = HANDLERS, **changes: object) -> Invoker:
        function = FunctionConfig(name="sandbox", handler=handler, code_dir=code_dir)
        for key, value in changes.items():
            setattr(function, key, value)
        invoker = Invoker(function, "docker", image=docker_image, settings=settings)
        made.append(invoker)
        return invoker

    yield build
    for invoker in made:
        invoker.close()


_OUR_THREADS = ("docker-env", "runtime-api", "pip-output")


@pytest.fixture(autouse=True)
def _nothing_leaks(request: pytest.FixtureRequest) -> Iterator[None]:
    """After every Docker test: no container of this process, no environment thread left."""
    yield
    if "docker_image" not in request.fixturenames:
        return
    import threading

    import docker

    from workbench.core.runtime import docker_env, docker_sandbox

    docker_env.wait_for_removals()
    for thread in threading.enumerate():
        if thread.name.startswith(_OUR_THREADS):
            thread.join(10)
    alive = [t.name for t in threading.enumerate() if t.name.startswith(_OUR_THREADS)]
    left = docker.from_env().containers.list(
        all=True, filters={"label": f"{docker_sandbox.LABEL_PID}={os.getpid()}"}
    )
    mounts = Path("/proc/mounts")
    ours = f"/tmp/{os.getpid()}-"  # docker_tmp's loop-mounted /tmp folders
    mounted = (
        [line for line in mounts.read_text().splitlines() if ours in line]
        if mounts.exists()
        else []
    )
    assert not mounted, f"/tmp storage left mounted: {mounted}"
    assert not alive, f"threads left running: {alive}"
    assert not left, f"containers left behind: {[c.name for c in left]}"
