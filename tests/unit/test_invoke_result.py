"""Billing, cost and event parsing rules of InvocationResult."""

from __future__ import annotations

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.invoke import (
    InvocationResult,
    billed_duration_ms,
    invoke_cost_usd,
    parse_event,
)


def test_billed_duration_rounds_up_and_includes_init_on_cold_start():
    assert billed_duration_ms(1.01, None) == 2
    assert billed_duration_ms(3.0, None) == 3
    assert billed_duration_ms(0.2, None) == 1
    assert billed_duration_ms(1.2, 180.55) == 182


def test_cost_per_architecture():
    # 1 GB for 1 s on x86_64: one GB-second plus one request.
    assert invoke_cost_usd(1024, 1000, "x86_64") == pytest.approx(0.0000166667 + 0.0000002)
    assert invoke_cost_usd(1024, 1000, "arm64") == pytest.approx(0.0000133334 + 0.0000002)
    assert invoke_cost_usd(128, 1, "x86_64") == pytest.approx(0.125 * 0.001 * 0.0000166667 + 2e-7)


def test_parse_event_reports_line_and_column():
    assert parse_event('{"a": 1}') == b'{"a": 1}'
    with pytest.raises(WorkbenchError, match="line 2 column 7"):
        parse_event('{"a": 1,\n  "b" 2}')


def test_json_round_trip():
    result = InvocationResult(
        request_id="r",
        runner="process",
        cold_start=True,
        payload=b'{"x": 1}',
        error=None,
        logs="START",
        duration_ms=1.234,
        billed_duration_ms=5,
        init_duration_ms=3.3,
        memory_size_mb=128,
        max_memory_used_mb=30,
        cost_usd=1e-7,
    )
    data = result.to_json_dict()
    again = InvocationResult.from_json_dict(data)
    assert again.payload_json() == {"x": 1} and again.cold_start and again.duration_ms == 1.23
