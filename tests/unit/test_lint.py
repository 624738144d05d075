"""pyflakes marks for the editor: unused imports, undefined names, syntax errors."""

from __future__ import annotations

from pathlib import Path

from workbench.core.lint import lint_python


def test_findings_with_lines_and_columns():
    marks = lint_python(Path("app.py"), "import os\nx = y\n")
    assert [(m.line, m.column) for m in marks] == [(1, 1), (2, 5)]
    assert "undefined name 'y'" in marks[1].message


def test_a_syntax_error_is_one_mark_and_other_files_none():
    assert lint_python(Path("app.py"), "def f(:\n")[0].message.startswith("Syntax error")
    assert lint_python(Path("index.mjs"), "not python") == []


def test_deep_nesting_gives_a_sentence_not_a_crash():
    marks = lint_python(Path("deep.py"), "x = " + "[" * 5000 + "]" * 5000 + "\n")
    assert len(marks) <= 1
