"""Find the stack frames of a failed invoke that fall in the user's own files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

# Python: File "/var/task/app.py", line 12, in handler
# and AWS's syntax-error frame: File "/var/task/app.py" Line 3
PYTHON_FRAME = re.compile(r'File "(?P<path>[^"]+)",? [Ll]ine (?P<line>\d+)')
# "Syntax error in module 'app': invalid syntax (app.py, line 3)"
SYNTAX_MESSAGE = re.compile(r"\((?P<path>[^(),]+), line (?P<line>\d+)\)")
# "Unable to import module 'app': No module named 'requests'"
IMPORT_MESSAGE = re.compile(
    r"Unable to import module '(?P<module>[\w.]+)': No module named '(?P<missing>[\w.]+)'"
)
# Node.js: at handler (/var/task/index.mjs:5:11)  or  at /var/task/index.js:5:11
NODE_FRAME = re.compile(r"(?:\(|at )(?:file://)?(?P<path>/[^\s():]+):(?P<line>\d+):\d+\)?")
LAMBDA_TASK_ROOT = PurePosixPath("/var/task")


@dataclass(frozen=True)
class Frame:
    path: Path
    line: int


def local_path(reported: str, code_dir: Path) -> Path | None:
    """The file on this machine for a path in a trace, or None when it is not the user's code.

    Containers see the code under /var/task; the process runner reports real paths.
    """
    code_dir = code_dir.resolve()
    posix = PurePosixPath(reported)
    if posix.is_relative_to(LAMBDA_TASK_ROOT):
        candidate = code_dir.joinpath(*posix.relative_to(LAMBDA_TASK_ROOT).parts)
    else:
        candidate = Path(reported)
    try:
        candidate = candidate.resolve()
    except OSError:
        return None
    if not candidate.is_relative_to(code_dir) or not candidate.is_file():
        return None
    if any(part in {"site-packages", "node_modules"} for part in candidate.parts):
        return None  # a dependency vendored into the folder is not the user's code
    return candidate


def user_frames(error: dict[str, Any] | None, logs: str, code_dir: Path) -> list[Frame]:
    """Frames in the user's files, outermost first; from stackTrace, else from the logs."""
    sources: list[str] = []
    if error:
        trace = error.get("stackTrace")
        if trace is None and isinstance(error.get("trace"), list):
            # Node.js: "trace" lists the innermost frame first; make it outermost first.
            trace = list(reversed(error["trace"]))
        if isinstance(trace, list):
            sources.extend(str(entry) for entry in trace)
        elif isinstance(trace, str):
            sources.append(trace)
    if not sources:
        sources.append(logs)
    frames: list[Frame] = []
    message = str((error or {}).get("errorMessage") or "")
    for match in SYNTAX_MESSAGE.finditer(message):
        path = local_path(str(code_dir / match["path"]), code_dir)
        if path is not None:
            frames.append(Frame(path, int(match["line"])))
    if (found := import_frame(message, code_dir)) is not None:
        frames.append(found)
    for text in sources:
        for pattern in (PYTHON_FRAME, NODE_FRAME):
            for match in pattern.finditer(text):
                path = local_path(match["path"], code_dir)
                frame = Frame(path, int(match["line"])) if path else None
                if frame and frame not in frames:
                    frames.append(frame)
    return frames


def import_frame(message: str, code_dir: Path) -> Frame | None:
    """The line importing a missing module, for Lambda's ImportModuleError (no stack trace)."""
    match = IMPORT_MESSAGE.search(message)
    if match is None:
        return None
    source = local_path(str(code_dir.joinpath(*match["module"].split(".")).with_suffix(".py")),
                        code_dir)  # fmt: skip
    if source is None:
        return None
    top = re.escape(match["missing"].split(".")[0])
    statement = re.compile(rf"^\s*(?:import|from)\s+{top}\b")
    try:
        with source.open(encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, 1):
                if number > 10_000:
                    break
                if statement.match(line):
                    return Frame(source, number)
    except OSError:
        return None
    return None


def error_sentence(error: dict[str, Any] | None) -> str:
    if not error:
        return ""
    kind = error.get("errorType") or "Error"
    message = str(error.get("errorMessage") or "").strip()
    return f"{kind}: {message}" if message else str(kind)
