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
    if runtime.startswith("nodejs"):  # until the Node.js family lands
        return _node_handler_problem(code_dir, handler)
    return build_problem(code_dir, runtime)


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
