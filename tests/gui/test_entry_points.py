"""Entry points: `lambda-workbench [PATH] --screenshot FILE.png` opens, saves a picture, exits 0."""

from __future__ import annotations

from PySide6.QtGui import QImage

from workbench.app import parse_args
from workbench.resources import example_dir
from workbench.ui.app.main import run


def test_screenshot_of_the_example_is_saved_and_exits_zero(qtbot, tmp_path):
    target = tmp_path / "shots" / "window.png"
    assert run(str(example_dir()), screenshot=str(target)) == 0
    image = QImage(str(target))
    assert not image.isNull()
    assert image.width() >= 800 and image.height() >= 500
    # Not a blank picture: the editor's text and the panes drew something.
    colours = {image.pixel(x, y) for x in range(0, image.width(), 37)
               for y in range(0, image.height(), 29)}  # fmt: skip
    assert len(colours) > 5


def test_screenshot_to_an_unwritable_place_exits_two(qtbot, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert run(None, screenshot=str(blocker / "x.png")) == 2


def test_command_line_takes_a_path_and_a_screenshot_file():
    args = parse_args(["some/folder", "--screenshot", "out.png"])
    assert (args.path, args.screenshot) == ("some/folder", "out.png")
    assert parse_args([]).path is None  # no path: the bundled example
