"""`lambda-workbench test`: snapshots, trimmed expectations, exit codes, JSON and JUnit."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from tests.unit.testing.support import EXAMPLE, cli, sam_project, write

PROCESS = ("--runner", "process")


def lines(run) -> list[dict]:
    return [json.loads(line) for line in run.stdout.splitlines()]


def test_the_example_passes_out_of_the_box():
    run = cli("test", str(EXAMPLE), *PROCESS, "--output", "json")
    assert run.returncode == 0, run.stderr
    results = lines(run)
    assert results[-1] == {"passed": 2, "failed": 0, "errors": 0}
    assert {r["event"] for r in results[:-1]} == {"hello", "anonymous"}
    assert all(
        set(r) == {"function", "event", "status", "message"} and r["status"] == "passed"
        for r in results[:-1]
    )


def test_update_then_test_then_a_change_fails_with_the_first_difference(tmp_path):
    project = sam_project(tmp_path, {"Greeter": "greet", "Broken": "boom"})
    write(project / "events" / "Greeter" / "bob.json", '{"name": "bob"}')
    write(project / "events" / "Greeter" / "ann.json", '{"name": "ann"}')
    write(project / "events" / "Broken" / "x.json", '{"name": "x"}')
    assert cli("test", str(project), *PROCESS).returncode == 2  # nothing recorded yet

    update = cli("test", str(project), *PROCESS, "--update")
    assert update.returncode == 0, update.stdout + update.stderr
    recorded = json.loads((project / "events/Greeter/expected/bob.json").read_text())
    # The JSON body is stored readable; the request id and the Date header are left out.
    assert recorded == {
        "payload": {"statusCode": 200, "headers": {}, "body": {"message": "hi bob", "count": 2}}
    }
    assert json.loads((project / "events/Broken/expected/x.json").read_text()) == {
        "error": {"errorType": "ValueError", "errorMessage": "no x"}
    }
    run = cli("test", str(project), *PROCESS)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.splitlines()[-1] == "3 passed, 0 failed, 0 errors"

    (project / "src" / "app.py").write_text(
        (project / "src" / "app.py").read_text().replace('"hi "', '"hello "')
    )
    junit = tmp_path / "report.xml"
    run = cli("test", str(project), *PROCESS, "--output", "json", "--junit", str(junit))
    assert run.returncode == 1
    results = {r.get("event"): r for r in lines(run)}
    assert results["bob"]["status"] == "failed"
    assert results["bob"]["message"] == 'payload.body.message: expected "hi bob", got "hello bob"'
    assert results["x"]["status"] == "passed"
    assert lines(run)[-1] == {"passed": 1, "failed": 2, "errors": 0}
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite.get("tests") == "3" and suite.get("failures") == "2"
    failure = suite.find("testcase[@name='bob']/failure")
    assert failure.get("message") == results["bob"]["message"]
    assert suite.find("testcase[@name='x']").get("classname") == "Broken"


def test_deleting_all_but_status_asserts_only_the_status(tmp_path):
    project = sam_project(tmp_path, {"Greeter": "greet"}, env="STATUS: '503'")
    write(project / "events" / "Greeter" / "bob.json", '{"name": "bob"}')
    expected = project / "events" / "Greeter" / "expected" / "bob.json"
    write(expected, '{"payload": {"statusCode": 503}}')
    run = cli("test", str(project), *PROCESS, "--function", "Greeter")
    assert run.returncode == 0, run.stdout + run.stderr
    write(expected, '{"payload": {"statusCode": 200}}')
    run = cli("test", str(project), *PROCESS)
    assert run.returncode == 1
    assert "FAIL  Greeter/bob" in run.stdout
    assert "payload.statusCode: expected 200, got 503" in run.stdout
    # --update keeps the trimming: only statusCode is recorded again.
    assert cli("test", str(project), *PROCESS, "--update").returncode == 0
    assert json.loads((project / "events/Greeter/expected/bob.json").read_text()) == {
        "payload": {"statusCode": 503}
    }


def test_bad_expectations_are_errors_with_sentences(tmp_path):
    project = sam_project(tmp_path, {"Greeter": "greet"})
    write(project / "events" / "Greeter" / "bob.json", '{"name": "bob"}')
    write(project / "events" / "Greeter" / "expected" / "bob.json", '{"maxDuration": 5}')
    write(project / "events" / "Greeter" / "expected" / "gone.json", '{"payload": {}}')
    write(project / "events" / "Renamed" / "expected" / "old.json", '{"payload": {}}')
    run = cli("test", str(project), *PROCESS, "--output", "json")
    assert run.returncode == 2, run.stdout + run.stderr  # nothing could run
    assert "Traceback" not in run.stderr
    results = {r.get("event"): r for r in lines(run)}
    assert results["bob"]["status"] == "error"
    assert "unknown key 'maxDuration'" in results["bob"]["message"]
    assert "names the saved event 'gone'" in results["gone"]["message"]
    assert "function 'Renamed', which is not in the project" in results["old"]["message"]
    write(project / "events" / "Greeter" / "expected" / "bob.json", '{"payload": {}}')
    run = cli("test", str(project), *PROCESS, "--output", "json")
    assert run.returncode == 1 and lines(run)[-1] == {"passed": 1, "failed": 0, "errors": 2}


def test_invalid_saved_event_and_unknown_function(tmp_path):
    project = sam_project(tmp_path, {"Greeter": "greet"})
    write(project / "events" / "Greeter" / "bad.json", '{"name": ')
    write(project / "events" / "Greeter" / "expected" / "bad.json", "{}")
    run = cli("test", str(project), *PROCESS)
    assert run.returncode == 2
    assert "bad.json: The event is not valid JSON" in run.stdout
    run = cli("test", str(project), *PROCESS, "--function", "Nope")
    assert run.returncode == 2
    assert run.stderr.strip() == (
        f"lambda-workbench: There is no function 'Nope' in {project / 'template.yaml'}; "
        "available: Greeter."
    )


def test_ctrl_c_prints_what_ran_and_leaves_no_environment(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from tests.unit.testing.support import ROOT

    project = sam_project(tmp_path, {"Sleepy": "sleepy"})
    write(project / "events" / "Sleepy" / "a-quick.json", '{"s": 0}')
    write(project / "events" / "Sleepy" / "b-slow.json", '{"s": 8}')
    for name in ("a-quick", "b-slow"):
        write(project / "events" / "Sleepy" / "expected" / f"{name}.json", "{}")
    junit = tmp_path / "report.xml"
    child = subprocess.Popen(
        [sys.executable, "-m", "workbench", "test", str(project), *PROCESS, "--junit", str(junit)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ, PYTHONPATH=str(ROOT)), cwd=ROOT,
    )  # fmt: skip
    assert child.stdout is not None
    first = child.stdout.readline()  # the quick case is done: the slow one is running
    assert first.startswith("PASS  Sleepy/a-quick")
    time.sleep(0.5)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=60)
    assert child.returncode == 130
    assert out.strip().splitlines()[-1] == "1 passed, 0 failed, 0 errors"
    assert "interrupted" in err and "Traceback" not in err
    assert ET.parse(junit).getroot().find("testsuite").get("tests") == "1"
    code_dir = (project / "src").resolve()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                assert os.readlink(f"/proc/{entry}/cwd") != str(code_dir), "environment left"
            except OSError:
                continue
