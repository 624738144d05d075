"""workbench.core must never import Qt: it runs headless and where PySide6 is missing."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import workbench.core

ROOT = Path(__file__).resolve().parents[2]


def test_core_imports_without_pyside6():
    modules = [m.name for m in pkgutil.walk_packages(workbench.core.__path__, "workbench.core.")]
    assert "workbench.core.runtime.invoker" in modules
    # A meta-path hook makes any PySide6/shiboken import fail, as on a machine without Qt.
    code = (
        "import sys, importlib\n"
        "class Block:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('PySide6', 'shiboken6'):\n"
        "            raise ImportError('Qt is blocked in this test')\n"
        "sys.meta_path.insert(0, Block())\n"
        f"for m in {modules!r}:\n"
        "    importlib.import_module(m)\n"
        "assert not any(k.startswith('PySide6') for k in sys.modules)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


def test_no_qt_import_statements_in_core():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "workbench" / "core").rglob("*.py")
        if any(
            line.lstrip().startswith(("import PySide6", "from PySide6", "import shiboken6"))
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert offenders == []
