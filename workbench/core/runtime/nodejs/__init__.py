"""The workbench's Node.js runtime interface client (bootstrap.mjs) and npm install helper."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def bootstrap_file() -> Path:
    return HERE / "bootstrap.mjs"


def install_file() -> Path:
    return HERE / "install.mjs"
