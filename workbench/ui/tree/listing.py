"""The files of a function folder for the tree, walked on a worker (no Qt here)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

# Pruned before descending, so a 100,000-file .venv or node_modules is never walked.
SKIP_DIRS = frozenset(
    {"__pycache__", "node_modules", ".aws-sam", ".git", ".venv", "venv", ".mypy_cache",
     ".pytest_cache", ".ruff_cache", "events"}
)  # fmt: skip
MAX_FILES = 2000  # a vendored dependency tree should not flood the tree
MAX_ENTRIES = 50_000  # directory entries looked at in all, files or not


@dataclass
class Listing:
    """Folders and files under one root, relative, in display order; `truncated` when capped."""

    root: Path
    folders: list[Path] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    truncated: bool = False
    problem: str = ""


def list_files(root: Path, max_files: int = MAX_FILES) -> Listing:
    listing = Listing(root)
    seen = 0

    def failed(error: OSError) -> None:
        listing.problem = f"{error.filename} could not be read ({error.strerror})."

    for dirpath, dirnames, filenames in os.walk(root, onerror=failed):
        seen += len(dirnames) + len(filenames)
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        here = Path(dirpath).relative_to(root)
        listing.folders.extend(here / d for d in dirnames)
        for name in sorted(filenames):
            if name.startswith(".") or name.endswith((".pyc", ".pyo")):
                continue
            listing.files.append(here / name)
            if len(listing.files) >= max_files:
                listing.truncated = True
                return listing
        if seen > MAX_ENTRIES:
            listing.truncated = True
            return listing
    return listing
