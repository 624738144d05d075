"""The conformance suite (lambda-facts section 2-4) over both runners through the Invoker.

The cases are the execution core's own (tests/unit/runtime/test_conformance.py),
run here once with the process runner and once with the Docker runner against
AWS's runtime client inside the image, so both must give identical results.
CPU limiting is off here so that the 128 MB default does not make the output
flood case crawl; CPU limits are covered in test_sandbox.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.docker.conftest import CONFORMANCE
from tests.unit.runtime.test_conformance import (  # noqa: F401  (collected here too)
    test_context_and_environment,
    test_exit_is_runtime_exit_error_and_next_is_cold,
    test_flood_of_output,
    test_handler_exception,
    test_init_errors,
    test_json_log_format,
    test_log_lines,
    test_marshal_error,
    test_plain_values,
    test_response_too_large,
    test_success_payload,
    test_syntax_error,
    test_timeout_kills_environment,
    test_warm_reuse_keeps_globals,
)
from workbench.core.function import FunctionConfig
from workbench.core.runtime.invoker import Invoker
from workbench.core.settings import Settings


@pytest.fixture(params=["process", pytest.param("docker", marks=pytest.mark.docker)])
def runner(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def invoker_for(
    runner: str, request: pytest.FixtureRequest, settings: Settings
) -> Iterator[Callable[..., Invoker]]:
    image = request.getfixturevalue("docker_image") if runner == "docker" else None
    settings.set("limit_cpu", False)
    made: list[Invoker] = []

    def build(handler: str, **changes: object) -> Invoker:
        function = FunctionConfig(name="conformance", handler=handler, code_dir=CONFORMANCE)
        for key, value in changes.items():
            setattr(function, key, value)
        invoker = Invoker(function, runner, image=image, settings=settings)
        made.append(invoker)
        return invoker

    yield build
    for invoker in made:
        invoker.close()
