"""Render the app icon SVG to the PNG sizes desktops and bundles ask for."""

from __future__ import annotations

import os
import sys
from pathlib import Path

SIZES = (16, 24, 32, 48, 64, 128, 256)
ICON_DIR = Path(__file__).resolve().parent.parent / "resources" / "icons" / "app"


def main() -> int:
    # No screen is needed to rasterise an SVG.
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication(sys.argv)  # noqa: F841 - QPainter needs an application object
    renderer = QSvgRenderer(str(ICON_DIR / "lambda-workbench.svg"))
    if not renderer.isValid():
        print("render_icons: the SVG could not be read.", file=sys.stderr)
        return 2
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        out = ICON_DIR / f"lambda-workbench-{size}.png"
        image.save(str(out))
        print(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
