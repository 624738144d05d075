"""Power Tuning's strategies over measured sizes: cost, speed, balanced, ties and errors."""

from __future__ import annotations

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.tune import SizeResult, parse_memory_sizes, recommend


def size(memory: int, p50: float, errors: int = 0, arch: str = "x86_64") -> SizeResult:
    result = SizeResult(memory, arch, errors=errors)
    for _ in range(3):
        result.warm.add(p50)
        result.billed.add(float(int(p50) + 1))
    return result


# A CPU-bound shape: more memory is faster, cost first falls then rises.
SIZES = [size(128, 800.0), size(256, 390.0), size(512, 200.0), size(1024, 120.0), size(1769, 100)]


def test_cost_picks_the_cheapest():
    pick = recommend(SIZES, "cost")
    costs = {s.memory_mb: s.cost_per_invoke() for s in SIZES}
    assert pick.memory_mb == min(costs, key=costs.get) == 256
    assert pick.strategy == "cost"
    assert pick.reason.startswith("256 MB is the cheapest: $")
    assert "on arm64 the same run would cost $" in pick.reason


def test_speed_picks_the_fastest_and_balanced_weighs_both():
    assert recommend(SIZES, "speed").memory_mb == 1769
    top_cost = max(s.cost_per_invoke() for s in SIZES)
    top_time = max(s.p50_ms for s in SIZES)
    values = {
        s.memory_mb: 0.5 * s.cost_per_invoke() / top_cost + 0.5 * s.p50_ms / top_time for s in SIZES
    }
    pick = recommend(SIZES, "balanced")
    assert pick.memory_mb == min(values, key=values.get) == 512
    assert f"{values[512]:.3f}" in pick.reason


def test_ties_go_to_the_other_measure():
    flat = [size(128, 50.0), size(256, 50.0)]  # same speed: the cheaper wins
    assert recommend(flat, "speed").memory_mb == 128
    same_cost = [size(256, 100.0), size(128, 201.0)]  # 256 MB x 101 ms == 128 MB x 202 ms
    assert same_cost[0].cost_per_invoke() == pytest.approx(same_cost[1].cost_per_invoke())
    assert recommend(same_cost, "cost").memory_mb == 256


def test_sizes_with_errors_are_left_out():
    sizes = [size(128, 10.0, errors=2), size(512, 40.0)]
    pick = recommend(sizes, "cost")
    assert pick.memory_mb == 512 and "Left out for errors: 128 MB." in pick.reason
    none = recommend([size(128, 10.0, errors=1)], "cost")
    assert none.memory_mb is None and none.reason.startswith("No memory size ran")


def test_arm64_prices():
    arm = size(1024, 100.0, arch="arm64")
    assert arm.cost_per_invoke() < arm.cost_per_invoke("x86_64")
    assert "on x86_64 the same run would cost" in recommend([arm]).reason


@pytest.mark.parametrize(
    ("text", "sentence"),
    [
        ("64,128", "Memory size 64 MB is outside Lambda's range (128-10,240 MB)."),
        ("128,20000", "Memory size 20000 MB is outside Lambda's range"),
        ("128,big", "'big' is not a whole number of MB"),
        (",", "--memory needs at least one size"),
    ],
)
def test_memory_lists(text, sentence):
    with pytest.raises(WorkbenchError) as caught:
        parse_memory_sizes(text)
    assert sentence in str(caught.value)


def test_memory_list_keeps_order_without_repeats():
    assert parse_memory_sizes("512, 128,512,1769") == [512, 128, 1769]
