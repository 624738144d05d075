"""Light and dark themes (Qt palette, stylesheet, editor token colours), following the OS."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from workbench.resources import data_path

THEMES = ("light", "dark")


@dataclass(frozen=True)
class Theme:
    """One colour theme; `ui` colours the window, `editor` colours Scintilla's tokens."""

    name: str
    ui: dict[str, str]
    editor: dict[str, str]

    @property
    def dark(self) -> bool:
        return self.name == "dark"


@cache
def load_theme(name: str) -> Theme:
    data = json.loads(data_path("resources", "themes", f"{name}.json").read_text("utf-8"))
    return Theme(name=data["name"], ui=data["ui"], editor=data["editor"])


def os_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def choose_theme(preference: str) -> Theme:
    """The theme for the "theme" setting: light, dark, or auto (follow the OS)."""
    if preference in THEMES:
        return load_theme(preference)
    return load_theme("dark" if os_prefers_dark() else "light")


def stylesheet(theme: Theme) -> str:
    template = data_path("resources", "themes", "window.qss").read_text("utf-8")
    close_icon = data_path("resources", "icons", f"close-{theme.name}.svg").as_posix()
    return template.format(close_icon=close_icon, **theme.ui)


def apply_theme(app: QApplication, theme: Theme) -> None:
    """Fusion style plus a palette, so widgets the stylesheet does not mention match too."""
    # setStyle re-polishes every widget of every open window: only when it changes.
    if app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    ui = theme.ui
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: ui["window"],
        QPalette.ColorRole.WindowText: ui["text"],
        QPalette.ColorRole.Base: ui["panel"],
        QPalette.ColorRole.AlternateBase: ui["hover"],
        QPalette.ColorRole.Text: ui["text"],
        QPalette.ColorRole.Button: ui["window"],
        QPalette.ColorRole.ButtonText: ui["text"],
        QPalette.ColorRole.Highlight: ui["selection"],
        QPalette.ColorRole.HighlightedText: ui["text"],
        QPalette.ColorRole.ToolTipBase: ui["panel"],
        QPalette.ColorRole.ToolTipText: ui["text"],
        QPalette.ColorRole.PlaceholderText: ui["muted"],
        QPalette.ColorRole.Link: ui["accent"],
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text, QColor(ui["muted"]))
    palette.setColor(
        QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor(ui["muted"])
    )
    # Setting either again, even unchanged, re-polishes every widget of every window
    # (~20-40 ms per open window): only when the theme changed.
    if app.palette() != palette:
        app.setPalette(palette)
    sheet = stylesheet(theme)
    if app.styleSheet() != sheet:
        app.setStyleSheet(sheet)


def scintilla_colour(hex_colour: str) -> int:
    """Scintilla wants 0xBBGGRR."""
    colour = QColor(hex_colour)
    return colour.red() | (colour.green() << 8) | (colour.blue() << 16)
