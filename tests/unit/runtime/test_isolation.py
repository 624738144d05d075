"""Isolation in the process runner: a per-environment token guards each Runtime API."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.unit.runtime.conftest import CONFORMANCE, make_invoker
from workbench.core.function import FunctionConfig
from workbench.core.runtime.invoker import Invoker

HANDLERS = Path(__file__).parents[2] / "docker" / "handlers"


def test_a_function_cannot_take_or_answer_another_environments_invocations():
    victim = Invoker(FunctionConfig("victim", "sandbox.identity", HANDLERS), "process")
    thief = Invoker(FunctionConfig("thief", "sandbox.steal", HANDLERS, timeout_s=30), "process")
    try:
        victim.prestart()  # its bootstrap is now long-polling `next`
        addresses = victim._api.addresses
        result = thief.invoke(json.dumps({"addresses": addresses}).encode())
        assert result.succeeded, result.logs
        assert result.payload_json() == {addresses[0]: {"next": 403}}
        assert victim._api.refused == 1
        own = victim.invoke(b"{}")
        assert own.succeeded and own.payload_json()["cwd"] == str(HANDLERS)
    finally:
        victim.close()
        thief.close()


def test_awslambdaric_without_a_token_still_runs():
    invoker = make_invoker("awslambdaric", "app.ok")
    try:
        assert invoker.invoke(b'{"a": 1}').payload_json() == {"echo": {"a": 1}, "answer": 42}
    finally:
        invoker.close()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_the_token_is_not_in_the_environment_or_the_command_line():
    invoker = Invoker(FunctionConfig("probe", "app.context_info", CONFORMANCE), "process")
    try:
        result = invoker.invoke(b"{}")
        token = invoker._api._token
        assert token and result.succeeded
        assert token not in json.dumps(result.payload_json())
        process = invoker._env.process
        environ = Path(f"/proc/{process.pid}/environ").read_bytes()
        cmdline = Path(f"/proc/{process.pid}/cmdline").read_bytes()
        assert token.encode() not in environ and token.encode() not in cmdline
    finally:
        invoker.close()
