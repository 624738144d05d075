"""Runtime families: one per language; `family_for(runtime)` picks a function's.

A family module (python.py, nodejs.py, provided.py) defines `FAMILY`, an instance
of `LanguageFamily`; it is found here by module name, so adding a language means
adding its module and its name to `_MODULES`, nothing in the host.
"""

from __future__ import annotations

import importlib
import re

from workbench.core.errors import WorkbenchError
from workbench.core.languages.base import (
    MAX_RSS_HEADER,
    OUTPUT_SENTINEL,
    DockerInstall,
    LanguageFamily,
    Launch,
    Starter,
    host_environment,
    with_init,
)

__all__ = [
    "MAX_RSS_HEADER",
    "OUTPUT_SENTINEL",
    "DockerInstall",
    "LanguageFamily",
    "Launch",
    "Starter",
    "families",
    "frame_patterns",
    "host_environment",
    "family_for",
    "find_family",
    "with_init",
]

_MODULES = ("python", "nodejs", "provided")
_loaded: list[LanguageFamily] | None = None


def families() -> list[LanguageFamily]:
    """Every family this build has, in a fixed order."""
    global _loaded
    if _loaded is None:
        found = []
        for name in _MODULES:
            try:
                module = importlib.import_module(f"{__name__}.{name}")
            except ModuleNotFoundError as error:
                if error.name != f"{__name__}.{name}":
                    raise  # a family that exists but is broken must not vanish quietly
                continue
            found.append(module.FAMILY)
        _loaded = found
    return list(_loaded)


def find_family(runtime: str) -> LanguageFamily | None:
    """The family of a Lambda runtime id, or None when no family knows it."""
    for family in families():
        if family.matches(runtime):
            return family
    return None


def family_for(runtime: str) -> LanguageFamily:
    """The family of a Lambda runtime id; a WorkbenchError sentence when none knows it."""
    family = find_family(runtime)
    if family is None:
        known = ", ".join(f.display_name for f in families())
        raise WorkbenchError(
            f"The workbench cannot run the runtime {runtime!r} as a local process; it knows "
            f"{known}. Use a supported runtime, or start Docker to run it in its Lambda image."
        )
    return family


def frame_patterns() -> list[re.Pattern[str]]:
    """Every family's stack-frame pattern (named groups `path` and `line`), for traces."""
    return [family.frame_pattern for family in families()]
