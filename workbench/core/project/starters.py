"""Starter code and a matching sample event for each new-function template.

The templates belong to the runtime family (core/languages); this keeps the
(description, code, event name, event factory) shape scaffold.py reads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.core.function import DEFAULT_RUNTIME
from workbench.core.languages import family_for

STARTERS: dict[str, tuple[str, str, str, Callable[[], dict[str, Any]]]] = {
    name: (s.description, s.code, s.event_name, s.make_event)
    for name, s in family_for(DEFAULT_RUNTIME).starters.items()
}
