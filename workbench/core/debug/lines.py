"""Where a breakpoint can stop: the executable lines of a Python source file."""

from __future__ import annotations

import types
from pathlib import Path

MAX_SOURCE_BYTES = 8 * 1024 * 1024


def executable_lines(source: str, filename: str = "<source>") -> set[int]:
    """Line numbers that have bytecode (empty when the source does not compile)."""
    try:
        code = compile(source, filename, "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return set()
    lines: set[int] = set()
    stack = [code]
    while stack:
        current = stack.pop()
        lines.update(line for _, _, line in current.co_lines() if line is not None)
        stack.extend(c for c in current.co_consts if isinstance(c, types.CodeType))
    return lines


def breakpoint_line(path: Path, line: int) -> int:
    """The line a breakpoint on `line` really stops at: the next executable one, as IDEs do.

    A line past the last executable one, or a file that cannot be read or compiled, keeps
    the line asked for (the debugger then reports it unverified).
    """
    try:
        if path.stat().st_size > MAX_SOURCE_BYTES:
            return line
        source = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return line
    later = sorted(n for n in executable_lines(source, str(path)) if n >= line)
    # Module docstrings and def lines count as executable; a comment before a body does not.
    return later[0] if later else line
