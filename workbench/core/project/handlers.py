"""Find handler-shaped functions in Python source with `ast` (the code is never imported)."""

from __future__ import annotations

import ast
from pathlib import Path

# Folders that never hold the function's own code.
_SKIP_DIRS = {
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
    result = []
    for path in code_dir.rglob("*.py"):
        relative = path.relative_to(code_dir).parts
        if any(part in _SKIP_DIRS or part.startswith(".") for part in relative[:-1]):
            continue
        if path.is_file():  # regular files only: a FIFO named x.py would hang the read
            result.append(path)
    return result


def handler_problem(code_dir: Path, handler: str, runtime: str = "python3.12") -> str | None:
    """Why a handler string cannot work in `code_dir`, or None when it looks fine.

    Python handlers are checked down to the function (parsed, never imported);
    Node.js handlers down to the file; other runtimes are not checked.
    """
    if runtime.startswith("nodejs"):
        return _node_handler_problem(code_dir, handler)
    if not runtime.startswith("python"):
        return build_problem(code_dir, runtime)
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


def _node_handler_problem(code_dir: Path, handler: str) -> str | None:
    module, dot, function = handler.rpartition(".")
    if not dot or not module or not function:
        return f"Handler {handler!r} is not in the form file.function (for example index.handler)."
    if any((code_dir / f"{module}{ext}").is_file() for ext in (".js", ".mjs", ".cjs")):
        return None
    if any((code_dir / f"{module}{ext}").is_file() for ext in (".ts", ".mts", ".cts")):
        return (
            f"Handler {handler!r} is TypeScript ({module}.ts); Lambda runs JavaScript, so build "
            f"first: `sam build` (esbuild), or `npx esbuild {module}.ts --bundle --platform=node "
            f"--outfile={module}.js`, and run the built folder."
        )
    return f"Handler {handler!r} needs {module}.js or {module}.mjs in {code_dir}; neither exists."


# Compiled runtimes: the project files that show the code still needs building, what a
# built folder holds, and the command that builds it.
_BUILDS = (
    ("java", ("pom.xml", "build.gradle", "build.gradle.kts"), (".jar", ".class"), "sam build"),
    ("dotnet", ("*.csproj", "*.fsproj"), (".dll",), "sam build (or dotnet lambda package)"),
)


def build_problem(code_dir: Path, runtime: str) -> str | None:
    """ "Build first" for compiled runtimes whose folder holds sources but nothing built."""
    if not code_dir.is_dir():
        return None
    try:
        names = {p.name for p in code_dir.iterdir()}
    except OSError:
        return None
    if runtime.startswith("provided"):
        if "bootstrap" in names:
            return None
        if "Cargo.toml" in names:
            command = "cargo lambda build --release (or sam build)"
        elif "go.mod" in names:
            command = "GOOS=linux go build -o bootstrap (or sam build)"
        else:
            return (
                f"Runtime {runtime} needs an executable named bootstrap in {code_dir}; "
                "build it first (sam build) or add it."
            )
        return f"{code_dir} has sources but no bootstrap; build first: {command}."
    for prefix, sources, built, command in _BUILDS:
        if not runtime.startswith(prefix):
            continue
        has_sources = any(Path(n).match(pattern) for n in names for pattern in sources)
        has_built = any(n.endswith(built) for n in names)
        if has_sources and not has_built:
            return f"{code_dir} holds {runtime} sources that are not built; build first: {command}."
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
