"""Desktop entry, AppStream metadata and icons agree with one another and the app."""

from __future__ import annotations

import configparser
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

from workbench import __version__
from workbench.core.about import APP_ID

REPO = Path(__file__).resolve().parents[2]
LINUX = REPO / "packaging" / "linux"
ICONS = REPO / "resources" / "icons" / "app"


def _console_scripts() -> set[str]:
    """Names under [project.scripts] (tomllib is 3.11+, the project supports 3.10)."""
    text = (REPO / "pyproject.toml").read_text()
    section = text.split("[project.scripts]", 1)[1].split("\n[", 1)[0]
    return {line.split("=", 1)[0].strip() for line in section.splitlines() if "=" in line}


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_metainfo_names_the_desktop_entry_and_current_version() -> None:
    root = ET.parse(LINUX / f"{APP_ID}.metainfo.xml").getroot()
    assert root.findtext("id") == APP_ID
    assert root.findtext("launchable") == f"{APP_ID}.desktop"
    assert (LINUX / f"{APP_ID}.desktop").is_file()
    newest = root.find("releases/release")
    assert newest is not None and newest.get("version") == __version__
    assert root.findtext("provides/binary") in _console_scripts()


def test_desktop_entry_runs_the_installed_command_with_the_app_icon() -> None:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(LINUX / f"{APP_ID}.desktop")
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] in _console_scripts()
    assert entry["Icon"] == APP_ID
    assert entry["Categories"].endswith(";")


def test_icon_pngs_have_the_sizes_their_names_say() -> None:
    pngs = sorted(ICONS.glob("lambda-workbench-*.png"))
    sizes = sorted(int(p.stem.rsplit("-", 1)[1]) for p in pngs)
    assert sizes == [16, 24, 32, 48, 64, 128, 256]
    for png in pngs:
        size = int(png.stem.rsplit("-", 1)[1])
        assert _png_size(png) == (size, size)
    assert ET.parse(ICONS / "lambda-workbench.svg").getroot().tag.endswith("svg")
