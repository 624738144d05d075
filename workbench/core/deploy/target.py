"""Which FunctionConfig a PATH (and optional --function) means, for package and deploy."""

from __future__ import annotations

import importlib
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.function import DEFAULT_HANDLER, DEFAULT_RUNTIME, FunctionConfig


def resolve_function(path: Path, name: str | None = None) -> FunctionConfig:
    """The function to package or deploy.

    Uses the projects package when it is present; otherwise a plain folder is one
    function named after the folder (lead: drop the fallback once projects lands).
    """
    path = path.expanduser().resolve()
    if not path.exists():
        raise WorkbenchError(f"{path} does not exist; give the folder of a function or project.")
    try:
        project_module = importlib.import_module("workbench.core.project")
    except ImportError:
        project_module = None
    if project_module is not None:
        project = project_module.open_project(path)
        function: FunctionConfig = project_module.find_function(project, name)
        return function
    if not path.is_dir():
        raise WorkbenchError(f"{path} is not a folder; give the folder that holds the code.")
    if name is not None and name != path.name:
        raise WorkbenchError(
            f"{path} is a plain folder with one function, {path.name!r}; there is no {name!r}."
        )
    return FunctionConfig(name=path.name, handler=DEFAULT_HANDLER, code_dir=path,
                          runtime=DEFAULT_RUNTIME)  # fmt: skip
