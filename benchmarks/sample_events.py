"""Sample events: time to generate each template, and `events show` end to end.

Run: .venv/bin/python benchmarks/sample_events.py [--rounds N]
Goal: picking a template in the window feels instant (well under 50 ms per event),
and `lambda-workbench events show` answers in well under a second.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.core.events import generate_event, list_templates  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=50)
    args = parser.parse_args()
    started = time.perf_counter()
    names = [t.name for t in list_templates()]  # first call reads the index
    generate_event(names[0])
    first_ms = (time.perf_counter() - started) * 1000
    per_template = {}
    for name in names:
        samples = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            generate_event(name)
            samples.append((time.perf_counter() - started) * 1000)
        per_template[name] = statistics.median(samples)
    slowest = max(per_template, key=per_template.__getitem__)
    cli = []
    for _ in range(10):
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "workbench", "events", "show", "sqs-receive"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        cli.append((time.perf_counter() - started) * 1000)
    print(f"templates: {len(names)}, rounds each: {args.rounds}")
    print(f"first listing + generation (reads the index): {first_ms:.2f} ms")
    print(
        f"median over templates of the per-template median: "
        f"{statistics.median(per_template.values()):.3f} ms"
    )
    print(f"slowest template: {slowest} {per_template[slowest]:.3f} ms")
    print(f"`events show sqs-receive` process, median of 10: {statistics.median(cli):.0f} ms")


if __name__ == "__main__":
    main()
