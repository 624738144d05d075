"""The bundled example is copied into the user's projects folder, never edited in place."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import platformdirs

from workbench.core.errors import WorkbenchError
from workbench.resources import example_dir


def projects_dir() -> Path:
    """Where copies of examples go (tests point it at tmp_path)."""
    override = os.environ.get("LAMBDA_WORKBENCH_PROJECTS_DIR")
    if override:
        return Path(override)
    return Path(platformdirs.user_documents_dir()) / "Lambda Workbench"


def is_bundled(path: Path) -> bool:
    try:
        return path.resolve().is_relative_to(example_dir().parent.resolve())
    except OSError:
        return False


def user_copy(path: Path) -> Path:
    """The user's copy of a bundled example (made on first open; an existing copy is kept)."""
    source = path.resolve()
    target = projects_dir() / source.name
    if target.exists():
        return target
    try:
        shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    except OSError as error:
        raise WorkbenchError(
            f"The example could not be copied to {target} ({error.strerror or error}); "
            "open a folder of your own with File > Open Folder."
        ) from error
    return target
