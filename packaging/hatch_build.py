"""Hatch build hook: copies resources/, sample_events/ and examples/ into the wheel as workbench/_data/."""

from __future__ import annotations

import os
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

# Top-level folders that ship inside the package (workbench/_data/<name> are
# symlinks to them in a checkout; hatchling cannot put symlinks in a wheel).
DATA_FOLDERS = ("resources", "sample_events", "examples")
# Things a developer's run leaves in those folders that must not ship.
SKIP_DIRS = {"__pycache__", ".venv", "venv", "node_modules", "build", "dist"}
SKIP_SUFFIXES = (".pyc", ".pyo", ".tmp", "~")


def _wanted_dir(name: str) -> bool:
    # Hidden folders are caches (.pytest_cache, .aws-sam, .workbench, events caches).
    return name not in SKIP_DIRS and not name.startswith(".")


def _wanted_file(name: str) -> bool:
    return not name.startswith(".") and not name.endswith(SKIP_SUFFIXES)


def data_files(root: str) -> dict[str, str]:
    """Map each shipped file's absolute path to its place in the wheel."""
    mapping: dict[str, str] = {}
    for folder in DATA_FOLDERS:
        top = os.path.join(root, folder)
        if not os.path.isdir(top):
            # A folder not created yet simply does not ship; the wheel test
            # compares the wheel with the checkout, so nothing is lost silently.
            continue
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if _wanted_dir(d))
            for name in sorted(filenames):
                if not _wanted_file(name):
                    continue
                source = os.path.join(dirpath, name)
                relative = os.path.relpath(source, root).replace(os.sep, "/")
                mapping[source] = f"workbench/_data/{relative}"
    return mapping


class DataFoldersHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            # An editable install imports the checkout, whose symlinks already work.
            return
        build_data["force_include"].update(data_files(self.root))
