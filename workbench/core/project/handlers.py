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
    Node.js handlers down to the file; compiled runtimes say when they need building.
    """
    family = find_family(runtime)
    if family is not None:
        return family.handler_problem(code_dir, handler)
    return build_problem(code_dir, runtime)


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
    for prefix, sources, built, command in _BUILDS:
        if not runtime.startswith(prefix):
            continue
        has_sources = any(Path(n).match(pattern) for n in names for pattern in sources)
        has_built = any(n.endswith(built) for n in names)
        if has_sources and not has_built:
            return f"{code_dir} holds {runtime} sources that are not built; build first: {command}."
    return None
