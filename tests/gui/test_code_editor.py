"""Code editor: highlighting per language, find/replace, go to line, auto indent, braces, tabs."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pyside6_scintilla import Scintilla

from workbench.ui.editor.code_editor import CodeEditor
from workbench.ui.editor.editor_tabs import EditorTabs
from workbench.ui.editor.find_bar import FindBar
from workbench.ui.theme import load_theme, scintilla_colour

SAMPLES = {
    # file, text, a token, the token colour name the theme gives it
    "app.py": ("def handler(event):\n    return 'x'  # done\n", "'x'", "string"),
    "index.mjs": ("export const handler = async () => 42;\n", "const", "keyword"),
    "app.ts": ("// types\nconst n: number = 1;\n", "// types", "comment"),
    "event.json": ('{\n  "key": 12\n}\n', '"key"', "property"),
    "template.yaml": ("Resources:\n  Fn:  # the function\n    Type: x\n", "# the function",
                      "comment"),
}  # fmt: skip


@pytest.mark.parametrize("theme_name", ["light", "dark"])
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_language_is_highlighted_in_both_themes(qtbot, tmp_path, name, theme_name):
    text, token, colour = SAMPLES[name]
    editor = CodeEditor(tmp_path / name)
    qtbot.addWidget(editor)
    theme = load_theme(theme_name)
    editor.apply_theme(theme)
    editor.set_text(text)
    style = editor.styleAt(len(text[: text.index(token)].encode()))
    get_fore, get_back = Scintilla.Message.StyleGetFore, Scintilla.Message.StyleGetBack
    assert editor.send(get_fore, style) == scintilla_colour(theme.editor[colour])
    assert editor.send(get_back, style) == scintilla_colour(theme.editor["background"])


def test_find_replace_and_go_to_line(qtbot):
    editor = CodeEditor(Path("x.py"))
    qtbot.addWidget(editor)
    editor.set_text("alpha\nbeta\nalpha beta\n")
    bar = FindBar(lambda: editor)
    qtbot.addWidget(bar)
    bar.find_edit.setText("beta")
    assert bar.find_next()
    assert (editor.selectionStart(), editor.selectionEnd()) == (6, 10)
    assert bar.find_next()
    assert editor.selectionStart() == 17
    bar.find_edit.setText("alpha")
    bar.replace_edit.setText("gamma")
    assert bar.replace_all() == 2
    assert editor.text() == "gamma\nbeta\ngamma beta\n"
    bar.find_edit.setText("nothing")
    assert not bar.find_next()
    assert bar.status.text() == "No matches"
    editor.go_to_line(3)
    assert editor.lineFromPosition(editor.currentPos()) == 2


def test_auto_indent_and_brace_matching(qtbot):
    editor = CodeEditor(Path("x.py"))
    qtbot.addWidget(editor)
    editor.show()
    editor.set_text("def f():")
    editor.gotoPos(editor.length())
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert editor.text() == "def f():\n    "
    editor.set_text("x = (1, [2])")
    editor.gotoPos(4)  # just before "("
    editor._on_update_ui(0)
    assert editor.braceMatch(4, 0) == 11


def test_tabs_show_an_unsaved_marker_and_save_atomically(qtbot, tmp_path):
    (tmp_path / "src").mkdir()
    path = tmp_path / "src" / "app.py"
    path.write_text("x = 1\n")
    tabs = EditorTabs()
    qtbot.addWidget(tabs)
    editor = tabs.open_file(path, line=1)
    assert tabs.open_file(path) is editor  # one tab per file
    editor.insertText(0, "y = 2\n")
    assert tabs.tabText(0) == "app.py ●"
    assert tabs.save()
    assert path.read_text() == "y = 2\nx = 1\n"
    assert tabs.tabText(0) == "app.py"
    assert [p.name for p in path.parent.iterdir()] == ["app.py"]  # no temp file left


def test_a_binary_file_is_refused_with_a_sentence(qtbot, tmp_path):
    from workbench.core.errors import WorkbenchError

    path = tmp_path / "blob.bin"
    path.write_bytes(b"\0\1\2" * 100)
    tabs = EditorTabs()
    qtbot.addWidget(tabs)
    with pytest.raises(WorkbenchError, match="binary"):
        tabs.open_file(path)
    assert tabs.count() == 0
