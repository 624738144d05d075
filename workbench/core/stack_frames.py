"""Find the stack frames of a failed invoke that fall in the user's own files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

# Python: File "/var/task/app.py", line 12, in handler
PYTHON_FRAME = re.compile(r'File "(?P<path>[^"]+)", line (?P<line>\d+)')
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
    for text in sources:
        for pattern in (PYTHON_FRAME, NODE_FRAME):
            for match in pattern.finditer(text):
                path = local_path(match["path"], code_dir)
                frame = Frame(path, int(match["line"])) if path else None
                if frame and frame not in frames:
                    frames.append(frame)
    return frames


def error_sentence(error: dict[str, Any] | None) -> str:
    if not error:
        return ""
    kind = error.get("errorType") or "Error"
    message = str(error.get("errorMessage") or "").strip()
    return f"{kind}: {message}" if message else str(kind)
