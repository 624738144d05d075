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


def _result(payload: bytes | None) -> InvocationResult:
    return InvocationResult(
        request_id="r", runner="process", cold_start=False, payload=payload, error=None,
        logs="", duration_ms=1.0, billed_duration_ms=1, init_duration_ms=None,
        memory_size_mb=128, max_memory_used_mb=30, cost_usd=1e-7,
    )  # fmt: skip


def test_non_json_payload_gets_its_exact_bytes_in_base64():
    png = b"\x89PNG\r\n\x1a\n\x00\xff"
    data = _result(png).to_json_dict()
    assert data["payloadBase64"] == "iVBORw0KGgoA/w=="
    assert InvocationResult.from_json_dict(data).payload == png
    text = _result(b"plain text").to_json_dict()
    assert text["payload"] == "plain text" and text["payloadBase64"] == "cGxhaW4gdGV4dA=="
    assert "payloadBase64" not in _result(b'{"x": 1}').to_json_dict()
    assert "payloadBase64" not in _result(b'"s"').to_json_dict()


def test_parse_event_refuses_nan_deep_nesting_and_oversize():
    with pytest.raises(WorkbenchError, match="refuses NaN and Infinity"):
        parse_event('{"a": NaN}')
    with pytest.raises(WorkbenchError, match="refuses NaN and Infinity"):
        parse_event("[-Infinity]")
    with pytest.raises(WorkbenchError, match="nested too deeply"):
        parse_event("[" * 100_000 + "]" * 100_000)
    with pytest.raises(WorkbenchError, match="over 6,291,456 bytes"):
        parse_event(b'"' + b"x" * 6_291_456 + b'"')


def test_deeply_nested_response_is_shown_as_text_not_a_crash():
    deep = b"[" * 100_000 + b"]" * 100_000
    data = _result(deep).to_json_dict()
    assert data["payload"] == deep.decode() and "payloadBase64" in data
