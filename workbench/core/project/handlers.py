"""Handler discovery and checks, delegated to each runtime's family (core/languages)."""

from __future__ import annotations

from pathlib import Path

from workbench.core.function import DEFAULT_RUNTIME
from workbench.core.languages import families, find_family


def find_handlers(code_dir: Path) -> list[str]:
    """Handlers of every family found in the folder (Python's `def f(event, context)` first)."""
    found: list[str] = []
    for family in families():
        found += [h for h in family.find_handlers(code_dir) if h not in found]
    return found


def runtime_for_handler(code_dir: Path, handler: str) -> str:
    """The default runtime of the family whose code defines `handler` (Python otherwise)."""
    for family in families():
        if handler in family.find_handlers(code_dir):
            return str(getattr(family, "default_runtime", DEFAULT_RUNTIME))
    return DEFAULT_RUNTIME


def handler_problem(code_dir: Path, handler: str, runtime: str = "python3.12") -> str | None:
    """Why a handler string cannot work in `code_dir`, or None when it looks fine.

    Python handlers are checked down to the function (parsed, never imported);
    Node.js handlers down to the file; other runtimes are not checked.
    """
    family = find_family(runtime)
    if family is not None:
        return family.handler_problem(code_dir, handler)
    if runtime.startswith("nodejs"):  # until the Node.js family lands
        return _node_handler_problem(code_dir, handler)
    return None


def _node_handler_problem(code_dir: Path, handler: str) -> str | None:
    module, dot, function = handler.rpartition(".")
    if not dot or not module or not function:
        return f"Handler {handler!r} is not in the form file.function (for example index.handler)."
    if any((code_dir / f"{module}{ext}").is_file() for ext in (".js", ".mjs", ".cjs")):
        return None
    return f"Handler {handler!r} needs {module}.js or {module}.mjs in {code_dir}; neither exists."
