"""Template parameter values a user sets for local runs (SAM's --parameter-overrides).

Kept per project in the data folder, never in the template or the repository: they are the
user's local choices (a stage name, a table name), as SAM CLI keeps them out of the template.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.settings import atomic_write_text, data_dir

MAX_FILE_BYTES = 256 * 1024


@dataclass(frozen=True)
class TemplateParameter:
    name: str
    type: str
    default: str | None  # None when the template gives none
    description: str
    allowed: tuple[str, ...] = ()


def _store(root: Path) -> Path:
    key = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
    return data_dir() / "parameters" / f"{key}.json"


def load_overrides(root: Path) -> dict[str, str]:
    """The values saved for this project (empty when none, or when the file is damaged)."""
    path = _store(root)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return {}
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items() if isinstance(v, (str, int, float))}


def save_overrides(root: Path, values: dict[str, str]) -> None:
    """Save the values (empty ones are dropped: the template's Default applies again)."""
    kept = {name: value for name, value in values.items() if value != ""}
    path = _store(root)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(kept, indent=1, sort_keys=True))
    except OSError as error:
        raise WorkbenchError(
            f"Could not save the parameter values in {path.parent} ({error.strerror or error})."
        ) from None


def template_parameters(template: Any) -> list[TemplateParameter]:
    """The Parameters a parsed template declares, in its order."""
    section = template.get("Parameters") if isinstance(template, dict) else None
    if not isinstance(section, dict):
        return []
    found = []
    for name, spec in section.items():
        spec = spec if isinstance(spec, dict) else {}
        default = spec.get("Default")
        allowed = spec.get("AllowedValues")
        found.append(
            TemplateParameter(
                name=str(name),
                type=str(spec.get("Type", "String")),
                default=None if default is None else _text(default),
                description=str(spec.get("Description", "") or ""),
                allowed=tuple(_text(v) for v in allowed) if isinstance(allowed, list) else (),
            )
        )
    return found


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(str(v) for v in value)
    return str(value)
