"""Find exported handler-shaped functions in JavaScript/TypeScript source (never run it).

There is no JavaScript parser in the standard library, so this reads the common export
forms with regular expressions: `exports.f =`, `module.exports = {...}`, `export const f =`,
`export (async) function f(`, `export { f, g as h }`. Comments are blanked first.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

SUFFIXES = (".js", ".mjs", ".cjs", ".ts", ".mts", ".cts")
SKIP_DIRS = {
    "node_modules", ".git", ".aws-sam", "dist", "build", "coverage", "test", "tests",
    "__tests__", ".venv", "venv", "__pycache__",
}  # fmt: skip
_MAX_FILES = 500
_MAX_BYTES = 1_000_000


class _Lazy:
    """A regular expression compiled when first used: compiling these took ~2 ms of every
    CLI start, also for folders without any JavaScript."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = re.compile(*self._source)
        return getattr(self._compiled, name)


_COMMENTS = _Lazy(r"/\*.*?\*/|(?<![:\w'\"])//[^\n]*", re.S)
_PARAMS = r"\(\s*(?P<params>[^)]*)\)"
_FUNCTION = _Lazy(
    rf"\bexport\s+(?:default\s+)?(?:async\s+)?function\s*(?P<name>[A-Za-z_$][\w$]*)\s*{_PARAMS}"
)
_ARROW = _Lazy(
    r"\b(?P<export>export\s+(?:const|let|var)\s+|(?:module\.)?exports\.)"
    r"(?P<name>[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?"
    rf"(?:function\s*[\w$]*\s*{_PARAMS}|"
    rf"(?:{_PARAMS.replace('params', 'p2')}|(?P<single>[A-Za-z_$][\w$]*))\s*(?::[^=]+)?=>)"
)
_EXPORT_LIST = _Lazy(r"\bexport\s*\{(?P<names>[^}]*)\}")
_MODULE_EXPORTS = _Lazy(r"\bmodule\.exports\s*=\s*\{(?P<names>[^}]*)\}")
_LOCAL_FUNCTION = _Lazy(
    rf"\b(?:async\s+)?function\s*(?P<name>[A-Za-z_$][\w$]*)\s*{_PARAMS}|"
    r"\b(?:const|let|var)\s+(?P<arrow>[A-Za-z_$][\w$]*)\s*(?::[^=]+)?=\s*(?:async\s+)?"
    rf"(?:function\s*[\w$]*\s*{_PARAMS.replace('params', 'p2')}|"
    rf"(?:{_PARAMS.replace('params', 'p3')}|(?P<single>[A-Za-z_$][\w$]*))\s*(?::[^=]+)?=>)"
)


def _looks_like_handler(name: str, params: str) -> bool:
    """(event, context[, callback]) by name, or a function called handler."""
    names = [p.strip().split(":")[0].split("=")[0].strip().lower() for p in params.split(",")]
    names = [n.lstrip(".") for n in names if n]
    if "handler" in name.lower():
        return len(names) <= 3
    if not names or len(names) > 3:
        return False
    first = names[0]
    second = names[1] if len(names) > 1 else ""
    return "event" in first or first in ("evt", "_evt") or "context" in second or second == "ctx"


def _first(match: re.Match[str], *groups: str) -> str:
    return next((match[g] for g in groups if match[g] is not None), "")


def exported_handlers(source: str) -> list[str]:
    """Names of exported functions that look like handlers, in source order."""
    text = _COMMENTS.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), source)
    found: list[tuple[int, str]] = []
    for match in _FUNCTION.finditer(text):
        if _looks_like_handler(match["name"], match["params"]):
            found.append((match.start(), match["name"]))
    for match in _ARROW.finditer(text):
        params = _first(match, "params", "p2", "single")
        if _looks_like_handler(match["name"], params):
            found.append((match.start(), match["name"]))
    local: dict[str, str] = {}
    for match in _LOCAL_FUNCTION.finditer(text):
        name = match["name"] or match["arrow"]
        params = _first(match, "params", "p2", "p3", "single")
        local.setdefault(name, params)
    for pattern in (_EXPORT_LIST, _MODULE_EXPORTS):
        for match in pattern.finditer(text):
            for item in match["names"].split(","):
                parts = item.split(":" if pattern is _MODULE_EXPORTS else " as ")
                inner = parts[-1].strip() if pattern is _MODULE_EXPORTS else parts[0].strip()
                exported = parts[0].strip() if pattern is _MODULE_EXPORTS else parts[-1].strip()
                if inner in local and _looks_like_handler(exported, local[inner]):
                    found.append((match.start(), exported))
    names: list[str] = []
    for _, name in sorted(found):
        if name not in names and name != "default":
            names.append(name)
    return names


def source_files(code_dir: Path) -> list[Path]:
    """JS/TS sources, never descending into node_modules and the like (a walk, pruned)."""
    result: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(code_dir):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(SUFFIXES) and not name.endswith(".d.ts"):
                result.append(Path(dirpath) / name)
                if len(result) >= _MAX_FILES:
                    return sorted(result)
    return sorted(result)


def module_name(code_dir: Path, path: Path) -> str:
    """The handler's module part: the path without its suffix, with / (src/index)."""
    return path.relative_to(code_dir).with_suffix("").as_posix()


def find_handlers(code_dir: Path) -> list[str]:
    """Every exported handler as "module.function" (TypeScript by its compiled name)."""
    found: list[str] = []
    for path in source_files(code_dir):
        try:
            if path.stat().st_size > _MAX_BYTES:
                continue
            source = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        module = module_name(code_dir, path)
        for name in exported_handlers(source):
            handler = f"{module}.{name}"
            if handler not in found:
                found.append(handler)
    return found


def module_files(code_dir: Path, handler: str) -> list[Path]:
    """The files a handler's module could load from, in the runtime client's order."""
    module = handler.rpartition("/")[2].partition(".")[0]
    folder = code_dir / handler.rpartition("/")[0] if "/" in handler else code_dir
    return [folder / (module + suffix) for suffix in ("", ".js", ".mjs", ".cjs")]


def typescript_source(code_dir: Path, handler: str) -> Path | None:
    """The .ts file a handler's module comes from, when there is one."""
    for suffix in (".ts", ".mts", ".cts"):
        candidate = module_files(code_dir, handler)[0].with_suffix(suffix)
        if candidate.is_file():
            return candidate
    return None


def handler_problem(code_dir: Path, handler: str) -> str | None:
    """A sentence when `handler` cannot load in `code_dir`, else None."""
    module, dot, function = handler.rpartition("/")[2].partition(".")
    if not dot or not module or not function:
        return (
            f"The handler {handler!r} must be FILE.FUNCTION (for example index.handler or "
            "src/app.handler)."
        )
    compiled = [p for p in module_files(code_dir, handler)[1:] if p.is_file()]
    source = typescript_source(code_dir, handler)
    if source is not None and not compiled:
        relative = source.relative_to(code_dir).as_posix()
        return (
            f"Handler {handler!r} is TypeScript ({source.name}); Lambda runs JavaScript, so "
            f"build first: `sam build` (esbuild), or `npx esbuild {relative} --bundle "
            f"--platform=node --outfile={relative.rsplit('.', 1)[0]}.js`, or set "
            "'BuildMethod: esbuild' in the template's Metadata, then invoke again."
        )
    if (
        source is not None
        and compiled
        and source.stat().st_mtime > max(p.stat().st_mtime for p in compiled)
    ):
        return (
            f"{source.name} is newer than {compiled[0].name}: the JavaScript is stale. Build "
            "it again (esbuild or tsc) before invoking, so you do not run old code."
        )
    if not compiled:
        return (
            f"No {module}.js, {module}.mjs or {module}.cjs in {code_dir} for the handler "
            f"{handler!r}; check the handler or the function folder."
        )
    return None
