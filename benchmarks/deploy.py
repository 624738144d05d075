"""Deploy: package build time and the cost of a redeploy with and without changes (moto server).

Run: .venv/bin/python benchmarks/deploy.py [--files N] [--rounds N]
Shows that an unchanged redeploy skips the upload (one read, no writes) and how long packaging
a code folder of N files takes. The AWS side is a local moto server, so the deploy numbers are
the workbench's own overhead, not the cloud's latency.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.deploy.moto_helpers import start_moto, stop_moto  # noqa: E402
from workbench.core.deploy import (  # noqa: E402
    AwsConnection,
    Package,
    apply_deploy,
    build_package,
    connect,
    plan_deploy,
)  # fmt: skip
from workbench.core.function import FunctionConfig  # noqa: E402


def redeploy_ms(conn: AwsConnection, function: FunctionConfig, package: Package) -> float:
    """Plan + apply, as one click of Deploy does after packaging."""
    start = time.perf_counter()
    apply_deploy(conn, plan_deploy(conn, function, package), package)
    return (time.perf_counter() - start) * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    for name in list(os.environ):
        if name.startswith("AWS_"):
            del os.environ[name]
    os.environ.update(
        AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
        AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        LAMBDA_WORKBENCH_DATA_DIR=str(folder / "data"),
    )  # fmt: skip
    code = folder / "code"
    for index in range(args.files):
        path = code / f"pkg{index % 20}" / f"mod{index}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"VALUE = {index}\n" + "# padding line for a realistic size\n" * 100)
    (code / "app.py").write_text("def handler(e, c):\n    return 1\n")
    function = FunctionConfig(name="bench", handler="app.handler", code_dir=code)
    builds: list[tuple[float, Package]] = []
    for _ in range(args.rounds):
        start = time.perf_counter()
        built = build_package(function)
        builds.append(((time.perf_counter() - start) * 1000, built))
    package = builds[0][1]
    same = len({built.data for _, built in builds}) == 1
    build_ms = statistics.median(ms for ms, _ in builds)
    print(f"package of {args.files} files ({package.size_summary()}): median {build_ms:.1f} ms; "
          f"identical bytes every time: {same}")  # fmt: skip
    proc, url = start_moto()
    try:
        conn = connect(endpoint_url=url, region="us-east-1")
        redeploy_ms(conn, function, package)  # create
        unchanged, updated = [], []
        for round_ in range(args.rounds):
            unchanged.append(redeploy_ms(conn, function, package))
            (code / "app.py").write_text(f"def handler(e, c):\n    return {round_ + 2}\n")
            package = build_package(function)
            updated.append(redeploy_ms(conn, function, package))
    finally:
        stop_moto(proc)
    print(f"redeploy, nothing changed (no upload): median {statistics.median(unchanged):.1f} ms")
    print(f"redeploy, code changed (upload + wait): median {statistics.median(updated):.1f} ms")


if __name__ == "__main__":
    main()
