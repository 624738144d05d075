"""Refresh the window screenshots in docs/ (run under Xvfb: xvfb-run -a python scripts/...).

    xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python scripts/window_screenshots.py

Writes docs/screenshot-dark.png (1024x700, after an invoke), screenshot-settings.png,
screenshot-new-function.png and screenshot-first-run.png (needs Docker: the image
"cannot be had" because its registry does not answer).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
sys.path.insert(0, str(ROOT))

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: dev
Globals:
  Function:
    Timeout: 10
    Environment:
      Variables:
        LOG_LEVEL: INFO
Resources:
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: orders/
      Handler: app.lambda_handler
      Runtime: python3.12
      MemorySize: 512
      Architectures: [arm64]
      Environment:
        Variables:
          STAGE: !Ref Stage
          TABLE: orders-dev
"""


def wait_until(app, condition, timeout_s: float = 60.0) -> None:
    import time

    deadline = time.monotonic() + timeout_s
    while not condition() and time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.02)


def settle(app, seconds: float = 0.6) -> None:
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)


def invoke(app, window) -> None:
    done: list[object] = []
    window.invoke_finished.connect(done.append)
    window.actions_by_id["invoke"].trigger()
    wait_until(app, lambda: bool(done), 120)


def save(widget, name: str) -> None:
    target = DOCS / name
    if not widget.grab().save(str(target), "PNG"):
        raise SystemExit(f"could not write {target}")
    print("wrote", target)


def main() -> None:
    home = Path(tempfile.mkdtemp(prefix="wb-shots-"))
    for name in ("CONFIG", "DATA", "CACHE", "PROJECTS"):
        os.environ[f"LAMBDA_WORKBENCH_{name}_DIR"] = str(home / name.lower())
    (home / "config").mkdir()
    settings_file = home / "config" / "settings.json"
    settings_file.write_text(json.dumps({"runner": "process", "theme": "dark"}))

    from workbench.core.settings import Settings
    from workbench.ui.app.main import create_app, create_window

    app = create_app()
    window = create_window(None, Settings())
    window.resize(1024, 700)
    window.show()
    wait_until(app, lambda: window.tree.listed)
    known: list[str] = []
    window.status.engine_known.connect(known.append)
    window.status.check_engine()
    wait_until(app, lambda: bool(known), 20)
    window.event_pane.set_event_text('{\n  "name": "Workbench"\n}\n')
    invoke(app, window)
    invoke(app, window)  # warm, so the result shows both numbers
    settle(app)
    save(window, "screenshot-dark.png")

    # A SAM project for the settings panel (Globals and !Ref read-only).
    sam = home / "orders-app"
    (sam / "orders").mkdir(parents=True)
    (sam / "orders" / "app.py").write_text(
        "import json\n\n\ndef lambda_handler(event, context):\n"
        "    return {'statusCode': 200, 'body': json.dumps({'ok': True})}\n"
    )
    (sam / "template.yaml").write_text(TEMPLATE)
    settings_file.write_text(json.dumps({"runner": "process", "theme": "light"}))
    from workbench.ui.theme import apply_theme, choose_theme

    theme = choose_theme("light")
    apply_theme(app, theme)
    window.apply_theme(theme)
    window.resize(1280, 780)
    window.open_path(sam)
    wait_until(app, lambda: window.tree.listed)
    window.actions_by_id["function_settings"].trigger()
    dialog = window.function_settings_dialog
    settle(app)
    dialog.memory.setValue(20000)  # shows the limit sentence, as typing it would
    settle(app)
    save(dialog, "screenshot-settings.png")
    dialog.reject()

    window.actions_by_id["new_function"].trigger()
    new = window.new_function_dialog
    new.starters.setCurrentRow(1)
    new.name.setText("PaymentsFunction")
    settle(app)
    save(new, "screenshot-new-function.png")
    new.reject()

    # First run: Docker answers but the runtime's image cannot be pulled.
    settings = Settings()
    settings.set("runner", "docker")
    settings.set("images", {"python3.12": "127.0.0.1:9/lambda/python:3.12"})
    window.settings = settings
    window.session.settings = settings
    window.session.close()
    invoke(app, window)
    settle(app)
    save(window, "screenshot-first-run.png")
    window.session.close_now()
    window.watcher.stop()


if __name__ == "__main__":
    main()
