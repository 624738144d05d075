"""Find handler-shaped functions in Python source with `ast` (the code is never imported)."""

from __future__ import annotations

import ast
import os
from pathlib import Path

MAX_WALKED = 20_000  # .py files looked at before giving up on a huge tree
# Folders that never hold the function's own code.
SKIP_DIRS = {
    ".git",
    ".venv",
    "venv",
    "env",
    "__pycache__",
    "node_modules",
    ".aws-sam",
    "tests",
    "test",
    "build",
    "dist",
    ".mypy_cache",
    ".pytest_cache",
    ".ruff_cache",
}
_MAX_FILES = 500
# Handler modules are small; a bigger .py (generated data, vendored code) is not parsed.
_MAX_SOURCE_BYTES = 2 * 1024 * 1024


class _Unparsable(Exception):
    """A module too big or too deeply nested to look into (it may still run)."""


def _parse(path: Path) -> ast.Module | None:
    """The module's syntax tree; None for a syntax error; _Unparsable when it cannot tell."""
    try:
        if not path.is_file():  # a FIFO or device would block the read
            raise _Unparsable
        with path.open("rb") as handle:
            data = handle.read(_MAX_SOURCE_BYTES + 1)
        if len(data) > _MAX_SOURCE_BYTES:
            raise _Unparsable
        return ast.parse(data.decode("utf-8"), filename=str(path))
    except (SyntaxError, UnicodeDecodeError, ValueError):
        return None
    except (OSError, RecursionError, MemoryError):
        # Deeply nested expressions exhaust the parser: not a handler we can check.
        raise _Unparsable from None


def _is_handler(node: ast.stmt) -> bool:
    """A top-level function callable as f(event, context) whose parameters look like that."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return False
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    required = len(positional) - len(args.defaults)
    if len(positional) < 2 or required > 2:
        return False
    if any(default is None for default in args.kw_defaults):
        return False
    # Two-argument helpers like add(a, b) are not handlers; the names tell them apart.
    first, second = positional[0].arg.lower(), positional[1].arg.lower()
    return "event" in first or "context" in second or second in ("ctx", "_ctx")


def module_name(code_dir: Path, path: Path) -> str:
    relative = path.relative_to(code_dir).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def find_handlers(code_dir: Path) -> list[str]:
    """Every top-level `def f(event, context)` as "module.f", sorted by file then line."""
    found: list[str] = []
    files = sorted(_python_files(code_dir))[:_MAX_FILES]
    for path in files:
        try:
            tree = _parse(path)
        except _Unparsable:
            continue
        if tree is None:
            continue
        module = module_name(code_dir, path)
        if not module:
            continue
        for node in tree.body:
            if _is_handler(node):
                found.append(f"{module}.{node.name}")  # type: ignore[attr-defined]
    return found


def _python_files(code_dir: Path) -> list[Path]:
    # Skipped folders are pruned before they are walked: a 20,000-file .venv costs nothing.
    result: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(code_dir):
        dirnames[:] = [d for d in dirnames if d not in SKIP_DIRS and not d.startswith(".")]
        for name in filenames:
            if not name.endswith(".py"):
                continue  # checked before making a Path: most files of a big tree are not .py
            path = Path(dirpath) / name
            if path.is_file():  # a FIFO named x.py would hang the read
                result.append(path)
        if len(result) > MAX_WALKED:
            break  # a huge tree: the first files (sorted later) are enough to find handlers
    return result


def handler_problem(code_dir: Path, handler: str) -> str | None:
    """Why a Python handler string cannot work in `code_dir`, or None when it looks fine.

    Checked down to the function (parsed, never imported).
    """
    module, dot, function = handler.rpartition(".")
    if not dot or not module or not function:
        return (
            f"Handler {handler!r} is not in the form module.function "
            "(for example lambda_function.lambda_handler)."
        )
    relative = Path(*module.replace("/", ".").split("."))
    candidates = [code_dir / relative.with_suffix(".py"), code_dir / relative / "__init__.py"]
    source = next((p for p in candidates if p.is_file()), None)
    if source is None:
        return (
            f"Handler {handler!r} needs {relative.with_suffix('.py').as_posix()} in "
            f"{code_dir}, which does not exist."
        )
    try:
        tree = _parse(source)
    except _Unparsable:
        return None  # too big or too nested to check here; the runtime will tell
    if tree is None:
        return f"Handler module {source} could not be parsed; it has a syntax error."
    if function not in _top_level_names(tree):
        return f"Handler {handler!r}: {source.name} has no top-level function {function!r}."
    return None


def _top_level_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((a.asname or a.name).split(".")[0] for a in node.names)
    return names
