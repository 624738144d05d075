"""`test` runner: time per case beyond the invokes themselves (collect, read, match, report).

Run: .venv/bin/python benchmarks/test_overhead.py [--cases N]
Goal (issue 15): under 20 ms per case beyond the invokes. Process runner, one function with
N saved events, each with an expectation (payload subset, a path, a log pattern, limits).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.core.project import open_project  # noqa: E402
from workbench.core.runtime.host import FunctionHost  # noqa: E402
from workbench.core.testing import runner as testing  # noqa: E402

HANDLER = """
import json
def handler(event, context):
    print("handling", event["n"])
    return {"statusCode": 200, "body": json.dumps({"n": event["n"], "items": list(range(20))})}
"""


def make_project(root: Path, cases: int) -> None:
    (root / "lambda_function.py").write_text(HANDLER.replace("handler", "lambda_handler", 1))
    events = root / "events" / root.name
    (events / "expected").mkdir(parents=True)
    for n in range(cases):
        (events / f"case-{n:04d}.json").write_text(json.dumps({"n": n}))
        expected = {
            "payload": {"statusCode": 200, "body": {"n": n, "items": list(range(20))}},
            "paths": {"body.n": n},
            "logs": [f"handling {n}$"],
            "maxDurationMs": 1000,
        }
        (events / "expected" / f"case-{n:04d}.json").write_text(json.dumps(expected))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "bench"
        root.mkdir()
        make_project(root, args.cases)
        invoke_s = 0.0
        started = time.perf_counter()
        project = open_project(root)
        names = testing.select_functions(project, None)
        cases = testing.collect(project, names)
        with FunctionHost("process", default_limit=1) as host:
            host.add(project.functions[0], limit=1)
            real_invoke = host.invoke

            def timed_invoke(*a, **k):
                nonlocal invoke_s
                t = time.perf_counter()
                try:
                    return real_invoke(*a, **k)
                finally:
                    invoke_s += time.perf_counter() - t

            host.invoke = timed_invoke  # type: ignore[method-assign]
            results = testing.run_cases(host, cases)
        total_s = time.perf_counter() - started
        assert testing.summary(results)["passed"] == args.cases, testing.summary(results)
        overhead_ms = (total_s - invoke_s) * 1000 / args.cases
        cli_started = time.perf_counter()
        run = subprocess.run(
            [
                sys.executable,
                "-m",
                "workbench",
                "test",
                str(root),
                "--runner",
                "process",
                "--output",
                "json",
            ],  # fmt: skip
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=600,
        )
        cli_s = time.perf_counter() - cli_started
        assert run.returncode == 0, run.stderr
    print(
        f"{args.cases} cases in-process: {total_s * 1000:.0f} ms total, invokes "
        f"{invoke_s * 1000:.0f} ms; overhead beyond the invokes {overhead_ms:.2f} ms per case"
    )
    print(f"`lambda-workbench test` as a process, same cases: {cli_s:.2f} s in all")
    print(f"ratio: overhead / 20 ms goal = {overhead_ms / 20:.3f}")


if __name__ == "__main__":
    main()
