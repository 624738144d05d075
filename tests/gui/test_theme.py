"""Themes: both carry a stylesheet and editor colours; the window switches all of them."""

from __future__ import annotations

from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from pyside6_scintilla import Scintilla

from tests.gui.test_window import make_window
from workbench.ui.theme import apply_theme, choose_theme, load_theme, scintilla_colour, stylesheet


def test_each_theme_has_every_colour_the_stylesheet_and_editor_use():
    light, dark = load_theme("light"), load_theme("dark")
    assert set(light.ui) == set(dark.ui) and set(light.editor) == set(dark.editor)
    assert light.editor["background"] != dark.editor["background"]
    assert dark.ui["window"] in stylesheet(dark)
    assert choose_theme("dark").dark and not choose_theme("light").dark
    assert choose_theme("auto").name in ("light", "dark")


def test_switching_to_dark_recolours_window_and_editor(qtbot):
    window = make_window(qtbot)
    dark = load_theme("dark")
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    apply_theme(app, dark)
    window.apply_theme(dark)
    assert app.palette().color(QPalette.ColorRole.Window).name() == dark.ui["window"]
    editor = window.tabs.current_editor()
    assert editor is not None
    default = Scintilla.StylesCommon.Default
    assert editor.send(Scintilla.Message.StyleGetBack, default) == scintilla_colour(
        dark.editor["background"]
    )
    apply_theme(app, load_theme("light"))
