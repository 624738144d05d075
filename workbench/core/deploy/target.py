"""Which FunctionConfig a PATH (and optional --function) means, for package and deploy."""

from __future__ import annotations

from pathlib import Path

from workbench.core.function import FunctionConfig
from workbench.core.project import find_function, open_project


def resolve_function(path: Path, name: str | None = None) -> FunctionConfig:
    """The function to package or deploy: a plain folder, a project folder or a SAM template."""
    return find_function(open_project(path), name)
