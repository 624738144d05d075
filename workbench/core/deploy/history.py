"""Deploy history: one JSON line per deploy, a file per function under data_dir()."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

from workbench.core.settings import data_dir


def history_path(function_name: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9_.-]", "_", function_name) or "function"
    return data_dir() / "deploy-history" / f"{safe}.jsonl"


def append_history(function_name: str, record: dict[str, Any]) -> Path:
    """Append one deploy (values already masked by the caller) with its time."""
    path = history_path(function_name)
    path.parent.mkdir(parents=True, exist_ok=True)
    line = json.dumps({"time": time.time(), **record}, sort_keys=True)
    # One short append per deploy: a crash leaves at most a partial last line,
    # which read_history skips.
    with path.open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
    return path


def read_history(function_name: str) -> list[dict[str, Any]]:
    path = history_path(function_name)
    if not path.is_file():
        return []
    records = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):  # one damaged line never hides the others
            continue
        if isinstance(item, dict):
            records.append(item)
    return records
