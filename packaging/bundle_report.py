"""Size report of a built bundle: total, download size (tar.gz), and the largest parts."""

from __future__ import annotations

import io
import sys
import tarfile
from collections import Counter
from pathlib import Path


def main(argv: list[str]) -> int:
    bundle = Path(argv[0] if argv else "dist/lambda-workbench")
    if not bundle.is_dir():
        print(f"bundle_report: {bundle} is not a folder; run 'make dist' first.", file=sys.stderr)
        return 2
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    total = sum(p.stat().st_size for p in files)
    # Group by the first two levels under _internal (e.g. PySide6/Qt) or the top entry.
    parts: Counter[str] = Counter()
    for p in files:
        rel = p.relative_to(bundle).parts
        key = "/".join(rel[:3] if rel[0] == "_internal" and len(rel) > 3 else rel[:2])
        parts[key] += p.stat().st_size
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz", compresslevel=6) as tar:
        tar.add(bundle, arcname=bundle.name)
    mb = 1024 * 1024
    print(f"bundle {bundle}: {total / mb:.1f} MB in {len(files)} files, "
          f"{len(buffer.getvalue()) / mb:.1f} MB as .tar.gz")
    for key, size in parts.most_common(12):
        print(f"  {size / mb:7.1f} MB  {key}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
