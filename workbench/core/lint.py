"""Lint marks for the editor: pyflakes on a saved Python file (names, imports, syntax)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MAX_LINT_BYTES = 1024 * 1024  # bigger files are not linted on every save


@dataclass(frozen=True)
class LintMark:
    line: int  # 1-based
    column: int  # 1-based
    message: str


class _Collector:
    """pyflakes' reporter interface, keeping the marks instead of printing them."""

    def __init__(self) -> None:
        self.marks: list[LintMark] = []

    def unexpectedError(self, _filename: str, message: str) -> None:  # noqa: N802
        self.marks.append(LintMark(1, 1, str(message)))

    def syntaxError(  # noqa: N802
        self, _filename: str, message: str, line: int, column: int, _source: str
    ) -> None:
        self.marks.append(LintMark(int(line or 1), int(column or 1), f"Syntax error: {message}"))

    def flake(self, warning: object) -> None:
        message = getattr(warning, "message", "%s") % getattr(warning, "message_args", ())
        line = int(getattr(warning, "lineno", 1) or 1)
        column = int(getattr(warning, "col", 0) or 0) + 1
        self.marks.append(LintMark(line, column, message))


def lint_python(path: Path, text: str | None = None) -> list[LintMark]:
    """pyflakes' findings for one file (empty for non-Python or oversized files)."""
    from pyflakes import api

    if path.suffix != ".py":
        return []
    if text is None:
        try:
            if path.stat().st_size > MAX_LINT_BYTES:
                return []
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return []
    if len(text) > MAX_LINT_BYTES:
        return []
    collector = _Collector()
    try:
        api.check(text, str(path), collector)
    except RecursionError:  # a pathologically nested file: no marks rather than a crash
        return [LintMark(1, 1, "This file is nested too deeply to check.")]
    return sorted(collector.marks, key=lambda m: (m.line, m.column))
