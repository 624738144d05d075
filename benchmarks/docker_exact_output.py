"""Docker output attribution under load: warm invokes that print their request id.

Run: .venv/bin/python benchmarks/docker_exact_output.py [--invokes 1000] [--memory 1769]
Goal (issue 18.6): 0 misattributed lines with both cores busy with another process.
Each invoke prints 2 lines to stdout and 2 to stderr with its request id; a line is
misattributed when it is missing from its invoke's logs or appears in another's.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from workbench.core.function import FunctionConfig  # noqa: E402
from workbench.core.runtime import docker_engine  # noqa: E402
from workbench.core.runtime.invoker import Invoker  # noqa: E402

IMAGE = os.environ.get("LAMBDA_WORKBENCH_TEST_IMAGE", "lambda-workbench-test/python:3.11")
HANDLER = """import sys

def handler(event, context):
    for n in range(2):
        print(f"line {n} {context.aws_request_id}")
        sys.stderr.write(f"err {n} {context.aws_request_id}\\n")
    return 1
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--invokes", type=int, default=1000)
    parser.add_argument("--memory", type=int, default=1769)
    args = parser.parse_args()
    status = docker_engine.engine_status()
    if not status.ok or not docker_engine.image_present(IMAGE):
        print(f"skipped: needs a Docker engine and the image {IMAGE} ({status.sentence})")
        sys.exit(1 if os.environ.get("CI") == "true" else 0)
    busy = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        with tempfile.TemporaryDirectory() as folder:
            Path(folder).chmod(0o755)
            Path(folder, "app.py").write_text(HANDLER)
            function = FunctionConfig("exact", "app.handler", Path(folder), memory_mb=args.memory)
            invoker = Invoker(function, "docker", image=IMAGE)
            invoker.invoke(b"{}")
            wrong = 0
            start = time.perf_counter()
            for _ in range(args.invokes):
                result = invoker.invoke(b"{}")
                rid = result.request_id
                body = result.logs.split(f"START RequestId: {rid} Version: $LATEST\n")[1]
                lines = body.split(f"END RequestId: {rid}\n")[0].splitlines()
                expected = [f"line 0 {rid}", f"err 0 {rid}", f"line 1 {rid}", f"err 1 {rid}"]
                wrong += sum(1 for a, b in zip(lines, expected, strict=False) if a != b)
                wrong += abs(len(lines) - len(expected))
            elapsed = time.perf_counter() - start
            mode = invoker._env.output_mode if invoker._env else "?"
            invoker.close()
    finally:
        for worker in busy:
            worker.kill()
            worker.wait()
    print(f"image {IMAGE}, Memory Size {args.memory} MB, output via {mode}, 2 busy processes")
    print(
        f"{args.invokes} warm invokes x 4 lines: {wrong} misattributed lines "
        f"({elapsed / args.invokes * 1000:.2f} ms per invoke under load)"
    )


if __name__ == "__main__":
    main()
