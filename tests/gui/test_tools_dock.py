"""Tests view, Load and Tune tabs in the window, with the real process runner (and Docker)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.docker.conftest import docker_image  # noqa: F401 - the Docker test's fixture
from tests.gui.test_window import make_window
from tests.unit.testing.support import EXAMPLE
from workbench.core.tune import SizeResult


@pytest.fixture
def example(tmp_path: Path) -> Path:
    copy = tmp_path / "hello-python"
    shutil.copytree(EXAMPLE, copy)
    return copy


def open_tools(qtbot, path: Path):
    window = make_window(qtbot, path)
    window.actions_by_id["tools"].trigger()
    assert window.tools.isVisible()
    return window


def run_tests(qtbot, pane, one=False):
    with qtbot.waitSignal(pane.run_finished, timeout=60_000) as blocker:
        (pane.run_one_button if one else pane.run_all_button).click()
    return blocker.args[0]


def status_of(pane) -> dict[str, str]:
    items = [pane.list.topLevelItem(i) for i in range(pane.list.topLevelItemCount())]
    return {item.text(0): item.text(1) for item in items}


def test_run_all_goes_green_then_red_with_a_diff_then_save_as_expected(qtbot, example):
    window = open_tools(qtbot, example)
    pane = window.tools.tests
    assert status_of(pane) == {
        "hello-python/anonymous": "● not run",
        "hello-python/hello": "● not run",
    }
    outcomes = run_tests(qtbot, pane)
    assert {o.status for o in outcomes} == {"passed"}
    assert set(status_of(pane).values()) == {"● passed"}
    assert window.tools.tabs.tabText(0) == "Tests 2 ✓"

    source = example / "lambda_function.py"
    source.write_text(source.read_text().replace('f"Hello, {name}!"', 'f"Hi, {name}!"'))
    run_tests(qtbot, pane)
    assert set(status_of(pane).values()) == {"● failed"}
    assert window.tools.tabs.tabText(0) == "Tests 2 ✗"
    pane._select("hello-python", "hello")
    diff = pane.diff.toPlainText()
    assert diff.startswith(
        'payload.body.message: expected "Hello, Lambda Workbench!", got "Hi, Lambda Workbench!"'
    )
    changed = [" ".join(line.split()) for line in diff.splitlines() if line[:1] in ("-", "+")]
    assert changed == [
        "--- expected",
        "+++ this result",
        '- "message": "Hello, Lambda Workbench!",',
        '+ "message": "Hi, Lambda Workbench!",',
    ]

    assert pane.save_button.isEnabled()
    pane.save_button.click()
    saved = json.loads((example / "events/hello-python/expected/hello.json").read_text())
    assert saved["payload"]["body"]["message"] == "Hi, Lambda Workbench!"
    assert saved["maxDurationMs"] == 1000  # the person's checks are kept
    outcomes = run_tests(qtbot, pane, one=True)
    assert [(o.event, o.status) for o in outcomes if o.event == "hello"] == [("hello", "passed")]


def test_save_last_invoke_as_expected(qtbot, example):
    from tests.gui.test_invoke_flow import invoke_and_wait

    (example / "events/hello-python/expected/hello.json").unlink()
    window = open_tools(qtbot, example)
    pane = window.tools.tests
    assert "hello-python/hello" not in status_of(pane)
    window.event_pane._select_saved("hello")
    assert window.event_pane.current_saved_name() == "hello"
    result = invoke_and_wait(qtbot, window)
    assert result.succeeded
    assert pane.save_last_button.isEnabled()
    pane.save_last_button.click()
    written = json.loads((example / "events/hello-python/expected/hello.json").read_text())
    assert written["payload"]["statusCode"] == 200
    assert status_of(pane)["hello-python/hello"] == "● passed"


def test_load_tab_charts_environments_latency_and_errors(qtbot, example):
    window = open_tools(qtbot, example)
    window.tools.tabs.setCurrentIndex(1)
    tab = window.tools.load
    tab.requests.setValue(30)
    tab.concurrency.setValue(3)
    with qtbot.waitSignal(tab.run_finished, timeout=60_000) as blocker:
        tab.run_button.click()
    data = blocker.args[0]
    assert data["requests"] == 30 and data["errors"] == 0
    assert 1 <= data["environments"] <= 3
    environments = tab.charts["environments"].points("environments")
    assert environments and max(y for _x, y in environments) == data["environments"]
    assert max(y for _x, y in tab.charts["environments"].points("in flight")) <= 3
    assert tab.charts["latency"].points("p99")[-1][1] == pytest.approx(data["p99Ms"], abs=0.01)
    assert tab.charts["errors"].points("errors")[-1][1] == 0
    assert tab.progress.value() == 30
    assert tab.status.text().startswith("30 requests in ")


def test_tune_refuses_the_process_runner_and_apply_writes_the_memory(qtbot, example):
    window = open_tools(qtbot, example)
    window.tools.tabs.setCurrentIndex(2)
    tab = window.tools.tune
    assert tab.run() is None
    assert tab.status.text().startswith("Tuning needs the Docker runner")
    # Measured sizes (as the worker hands them over): 512 MB is cheapest here.
    sizes = []
    for memory, p50 in ((128, 900.0), (512, 100.0), (1024, 90.0)):
        size = SizeResult(memory, "x86_64")
        for _ in range(3):
            size.warm.add(p50)
            size.billed.add(p50 + 1)
        sizes.append(size)
    tab.show_results(sizes)
    assert tab.table.rowCount() == 3
    assert [x for x, _y in tab.charts["duration"].points("p50")] == [128, 512, 1024]
    assert tab.recommendation.memory_mb == 512
    tab.strategy.setCurrentText("speed")
    assert tab.recommendation.memory_mb == 1024
    with qtbot.waitSignal(window.tools.function_saved) as blocker:
        tab.apply_button.click()
    assert blocker.args[0].memory_mb == 1024
    saved = json.loads((example / "lambda-workbench.json").read_text())
    assert saved["functions"][0]["memorySizeMb"] == 1024
    assert window.session.function.memory_mb == 1024
    assert not tab.apply_button.isEnabled()  # already applied


@pytest.mark.docker
def test_tune_tab_on_docker(qtbot, example, docker_image, workbench_dirs):  # noqa: F811
    settings_file = workbench_dirs / "config" / "settings.json"
    settings_file.write_text(json.dumps(
        {"runner": "docker", "theme": "light", "images": {"python3.12": docker_image}}
    ))  # fmt: skip
    window = open_tools(qtbot, example)
    window.tools.tabs.setCurrentIndex(2)
    tab = window.tools.tune
    tab.sizes.setText("256,1769")
    tab.invokes.setValue(2)
    with qtbot.waitSignal(tab.tune_finished, timeout=120_000) as blocker:
        tab.run_button.click()
    assert blocker.args[0].memory_mb in (256, 1769)
    assert tab.table.rowCount() == 2 and tab.apply_button.isEnabled()
    assert [x for x, _y in tab.charts["cost"].points("arm64")] == [256, 1769]
