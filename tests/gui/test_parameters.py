"""Template parameters in the window: typed into a dialog, used by the next invoke."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from tests.gui.test_window import make_window, wait_opened
from workbench.core.project.parameters import load_overrides

TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
  Table:
    Type: String
    Default: orders
Resources:
  EchoFunction:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src
      Handler: app.handler
      Runtime: python3.12
      Environment:
        Variables:
          STAGE: !Ref Stage
          TABLE: !Ref Table
"""


def test_parameter_values_from_the_dialog_reach_the_function(qtbot, tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(
        "import os\n\ndef handler(event, context):\n"
        "    return {'stage': os.environ['STAGE'], 'table': os.environ['TABLE']}\n"
    )
    (tmp_path / "template.yaml").write_text(TEMPLATE)
    window = make_window(qtbot, tmp_path)
    wait_opened(qtbot, window)
    window.actions_by_id["template_parameters"].trigger()
    qtbot.waitUntil(lambda: getattr(window, "parameters_dialog", None) is not None, timeout=10_000)
    dialog = window.parameters_dialog
    stage = dialog.findChild(QLineEdit, "parameter_Stage")
    table = dialog.findChild(QLineEdit, "parameter_Table")
    assert stage.placeholderText() == "no default: set a value"
    assert table.placeholderText() == "default: orders"
    qtbot.keyClicks(stage, "prod")
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(save, Qt.MouseButton.LeftButton)
    assert load_overrides(tmp_path) == {"Stage": "prod"}
    qtbot.waitUntil(lambda: window.opening == 0, timeout=20_000)
    qtbot.waitUntil(
        lambda: (
            window.session.function is not None
            and window.session.function.environment.get("STAGE") == "prod"
        ),
        timeout=20_000,
    )
    with qtbot.waitSignal(window.invoke_finished, timeout=30_000) as finished:
        window.actions_by_id["invoke"].trigger()
    assert json.loads(finished.args[0].payload) == {"stage": "prod", "table": "orders"}
