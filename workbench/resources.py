"""The one place that finds shipped data: resources/, sample_events/, examples/.

In a source checkout `workbench/_data/<name>` are symlinks to the top-level
folders; in a built wheel they are real folders. Either way they are reached
through importlib.resources, never through paths relative to the source tree.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def data_path(*parts: str) -> Path:
    """A real file-system path to shipped data, e.g. data_path("sample_events", "index.json")."""
    root = resources.files("workbench._data")
    target = root.joinpath(*parts)
    # Wheels and source trees are plain directories, so this is a real path.
    return Path(str(target))


def example_dir(name: str = "hello-python") -> Path:
    """The bundled example project the app opens by default."""
    return data_path("examples", name)
