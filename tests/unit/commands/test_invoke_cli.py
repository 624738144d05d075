"""The `invoke` command's contract: output keys, exit codes, clear sentences for bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "hello-python"
CONFORMANCE = FIXTURES / "conformance"
KEYS = {
    "requestId",
    "runner",
    "coldStart",
    "payload",
    "error",
    "logs",
    "durationMs",
    "billedDurationMs",
    "initDurationMs",
    "memorySizeMb",
    "maxMemoryUsedMb",
    "costUsd",
}


def cli(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
    )


def test_example_json_output_repeat_warm():
    run = cli(
        "invoke",
        str(EXAMPLE),
        "--runner",
        "process",
        "--output",
        "json",
        "--repeat",
        "3",
        "--event",
        str(EXAMPLE / "events" / "hello-python" / "hello.json"),
    )
    assert run.returncode == 0, run.stderr
    results = [json.loads(line) for line in run.stdout.splitlines()]
    assert len(results) == 3
    assert all(set(r) == KEYS for r in results)
    assert [r["coldStart"] for r in results] == [True, False, False]
    assert results[0]["initDurationMs"] > 0 and results[1]["initDurationMs"] is None
    assert json.loads(results[2]["payload"]["body"])["warmInvocations"] == 3
    assert results[0]["runner"] == "process" and results[0]["memorySizeMb"] == 128
    assert results[0]["maxMemoryUsedMb"] > 5
    assert results[1]["costUsd"] > 0.0000002


def test_text_output_has_response_logs_and_summary():
    run = cli("invoke", str(EXAMPLE), "--runner", "process")
    assert run.returncode == 0, run.stderr
    assert '"statusCode": 200' in run.stdout
    assert "START RequestId:" in run.stdout and "REPORT RequestId:" in run.stdout
    assert run.stdout.strip().splitlines()[-1].startswith("ok: cold process")


def test_function_error_exits_1():
    run = cli(
        "invoke",
        str(CONFORMANCE),
        "--handler",
        "app.boom",
        "--runner",
        "process",
        "--output",
        "json",
    )
    assert run.returncode == 1
    error = json.loads(run.stdout)["error"]
    assert error["errorType"] == "MyErr" and isinstance(error["stackTrace"], list)


def test_event_from_stdin_and_overrides():
    run = cli(
        "invoke",
        str(CONFORMANCE),
        "--handler",
        "app.context_info",
        "--runner",
        "process",
        "--memory",
        "512",
        "--env",
        "MY_VAR=x=y",
        "--event",
        "-",
        "--output",
        "json",
        stdin='{"a": 1}',
    )
    assert run.returncode == 0, run.stderr
    payload = json.loads(run.stdout)["payload"]
    assert payload["memory_limit_in_mb"] == "512" and payload["env"]["MY_VAR"] == "x=y"


def test_invalid_json_event_names_line_and_column(tmp_path):
    event = tmp_path / "bad.json"
    event.write_text('{\n  "a": 1,\n  "b" 2\n}')
    run = cli("invoke", str(EXAMPLE), "--runner", "process", "--event", str(event))
    assert run.returncode == 2
    assert "line 3 column 7" in run.stderr and "Traceback" not in run.stderr


def test_bad_input_exits_2_with_a_sentence(tmp_path):
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"x": "y" * (7 * 1024 * 1024)}))
    cases = [
        ("invoke", str(tmp_path / "missing"), "--runner", "process"),
        ("invoke", str(EXAMPLE), "--runner", "process", "--event", str(tmp_path / "nope.json")),
        ("invoke", str(EXAMPLE), "--runner", "process", "--event", str(big)),
        ("invoke", str(EXAMPLE), "--runner", "process", "--memory", "64"),
        ("invoke", str(EXAMPLE), "--runner", "process", "--env", "NOEQUALS"),
    ]
    for args in cases:
        run = cli(*args)
        assert run.returncode == 2, (args, run.stdout, run.stderr)
        assert run.stderr.startswith("lambda-workbench: "), run.stderr
        assert "Traceback" not in run.stderr


def test_hang_times_out_with_exit_1():
    run = cli(
        "invoke",
        str(CONFORMANCE),
        "--handler",
        "app.hangs",
        "--runner",
        "process",
        "--timeout",
        "1",
        "--output",
        "json",
    )
    assert run.returncode == 1
    assert "Task timed out after 1.00 seconds" in json.loads(run.stdout)["error"]["errorMessage"]


def test_version():
    run = cli("--version")
    assert run.returncode == 0 and run.stdout.startswith("lambda-workbench ")
