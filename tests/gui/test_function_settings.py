"""Function settings: edited in the window, validated as typed, written back through core."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit

from tests.gui.test_invoke_flow import invoke_and_wait
from tests.gui.test_window import make_window
from workbench.core.project import open_project
from workbench.ui.dialogs.function_settings_dialog import FunctionSettingsDialog

HANDLER = (
    "def lambda_handler(event, context):\n    import os\n    return os.environ.get('GREETING')\n"
)
MEMORY_HANDLER = "def lambda_handler(event, context):\n    return context.memory_limit_in_mb\n"

TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage:
    Type: String
    Default: dev
Globals:
  Function:
    Timeout: 10  # shared by every function
    Environment:
      Variables:
        SHARED: from-globals
Resources:
  # the one function
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: hello/
      Handler: app.lambda_handler
      Runtime: python3.12
      MemorySize: 512
      Environment:
        Variables:
          STAGE: !Ref Stage
          PLAIN: value
"""


def folder_project(tmp_path, source=HANDLER):
    folder = tmp_path / "fn"
    folder.mkdir()
    (folder / "lambda_function.py").write_text(source)
    return folder


def sam_project(tmp_path):
    root = tmp_path / "sam"
    (root / "hello").mkdir(parents=True)
    (root / "hello" / "app.py").write_text(MEMORY_HANDLER)
    (root / "template.yaml").write_text(TEMPLATE)
    return root


def open_dialog(qtbot, window) -> FunctionSettingsDialog:
    window.actions_by_id["function_settings"].trigger()
    dialog = window.function_settings_dialog
    qtbot.waitExposed(dialog)
    return dialog


def save_button(dialog):
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Save)


def type_into(qtbot, spin, text):
    spin.setFocus()
    spin.lineEdit().selectAll()
    qtbot.keyClicks(spin.lineEdit(), text)


def test_memory_out_of_range_is_explained_as_typed_and_blocks_save(qtbot, tmp_path):
    window = make_window(qtbot, folder_project(tmp_path))
    dialog = open_dialog(qtbot, window)
    type_into(qtbot, dialog.memory, "20000")
    assert "outside Lambda's range" in dialog.problems.text()
    assert not save_button(dialog).isEnabled()
    type_into(qtbot, dialog.memory, "1769")
    assert dialog.problems.isHidden()
    assert save_button(dialog).isEnabled()
    assert "1.00 vCPU" in dialog.cpu.text()


def test_reserved_and_malformed_variable_names_are_refused(qtbot, tmp_path):
    window = make_window(qtbot, folder_project(tmp_path))
    dialog = open_dialog(qtbot, window)
    qtbot.mouseClick(dialog.findChild(type(save_button(dialog)), "addVariable"),
                     Qt.MouseButton.LeftButton)  # fmt: skip
    editor = dialog.env.findChild(QLineEdit)  # the Name cell opened for typing
    assert editor is not None
    qtbot.keyClicks(editor, "AWS_REGION")
    qtbot.keyClick(editor, Qt.Key.Key_Return)  # the table commits the cell queued
    qtbot.waitUntil(lambda: "reserved by Lambda" in dialog.problems.text())
    dialog.env.item(0, 0).setText("1BAD")
    assert "not a valid variable name" in dialog.problems.text()
    assert not save_button(dialog).isEnabled()
    dialog.env.item(0, 0).setText("A")  # Lambda wants two characters at least
    assert "'A' is not a valid variable name" in dialog.problems.text()
    dialog.env.item(0, 0).setText("AB")
    assert "not a valid variable name" not in dialog.problems.text()


def test_saving_a_folder_function_writes_lambda_workbench_json_and_the_next_run_uses_it(
    qtbot, tmp_path
):
    folder = folder_project(tmp_path)
    window = make_window(qtbot, folder)
    dialog = open_dialog(qtbot, window)
    type_into(qtbot, dialog.memory, "1024")
    dialog.add_variable("GREETING", "hi from settings", False)
    with qtbot.waitSignals([dialog.saved, window.project_reloaded], timeout=10_000):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    data = json.loads((folder / "lambda-workbench.json").read_text())
    entry = data["functions"][0] if "functions" in data else data
    assert json.dumps(entry).count("1024") == 1
    assert "hi from settings" in json.dumps(data)
    assert window.session.function is not None and window.session.function.memory_mb == 1024
    result = invoke_and_wait(qtbot, window)
    assert result is not None and result.payload_json() == "hi from settings"
    assert result.memory_size_mb == 1024


def test_sam_values_from_globals_and_intrinsics_are_read_only_and_comments_stay(qtbot, tmp_path):
    root = sam_project(tmp_path)
    window = make_window(qtbot, root)
    before = invoke_and_wait(qtbot, window)  # a warm environment at 512 MB now exists
    assert before is not None and before.payload_json() == "512", before and before.error
    dialog = open_dialog(qtbot, window)
    assert not dialog.timeout.isEnabled()
    assert "Globals.Function" in dialog.timeout.toolTip()
    sources = {dialog.env.item(r, 0).text(): dialog.env.item(r, 3).text()
               for r in range(dialog.env.rowCount())}  # fmt: skip
    assert sources["SHARED"] == "Globals" and sources["STAGE"] == "!Ref"
    assert sources["PLAIN"] == ""
    assert "Globals" in dialog.notes.text()
    type_into(qtbot, dialog.memory, "1024")
    with qtbot.waitSignals([dialog.saved, window.project_reloaded], timeout=10_000):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    text = (root / "template.yaml").read_text()
    assert "MemorySize: 1024" in text
    assert "# shared by every function" in text and "# the one function" in text
    assert "STAGE: !Ref Stage" in text
    reopened = open_project(root)
    assert reopened.functions[0].memory_mb == 1024
    # The next cold invoke runs at the new size (the old environment retired).
    result = invoke_and_wait(qtbot, window)
    assert result is not None and result.payload_json() == "1024", result and result.error
    assert result.memory_size_mb == 1024


def test_a_write_the_template_refuses_is_shown_and_nothing_is_lost(qtbot, tmp_path):
    root = sam_project(tmp_path)
    window = make_window(qtbot, root)
    dialog = open_dialog(qtbot, window)
    # Someone renames the function in another editor while the dialog is open.
    changed = TEMPLATE.replace("  Hello:", "  Renamed:")
    (root / "template.yaml").write_text(changed)
    type_into(qtbot, dialog.memory, "2048")
    qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.problems.isHidden() and save_button(dialog).isEnabled())
    assert "no longer has a function 'Hello'" in dialog.problems.text()
    assert dialog.isVisible() and dialog.memory.value() == 2048  # the user's value stays
    assert (root / "template.yaml").read_text() == changed


def test_importing_a_dotenv_adds_rows_secret_names_pre_ticked_and_save_applies(qtbot, tmp_path):
    folder = folder_project(tmp_path)
    (tmp_path / "local.env").write_text("GREETING=from-dotenv\nAPI_KEY=s3cret\n")
    window = make_window(qtbot, folder)
    dialog = open_dialog(qtbot, window)
    dialog.import_env_file(tmp_path / "local.env")
    qtbot.waitUntil(lambda: "Imported 2" in dialog.notes.text())
    rows = {name: (value, secret) for name, value, secret in dialog.environment_rows()}
    assert rows == {"GREETING": ("from-dotenv", False), "API_KEY": ("s3cret", True)}
    assert "s3cret" not in dialog.env.item(1, 1).text()  # masked on screen
    with qtbot.waitSignals([dialog.saved, window.project_reloaded], timeout=10_000):
        qtbot.mouseClick(save_button(dialog), Qt.MouseButton.LeftButton)
    assert "s3cret" not in (folder / "lambda-workbench.json").read_text()
    result = invoke_and_wait(qtbot, window)
    assert result is not None and result.payload_json() == "from-dotenv"


def test_importing_a_broken_env_json_says_why(qtbot, tmp_path):
    folder = folder_project(tmp_path)
    (tmp_path / "env.json").write_text('{"Parameters": ')
    window = make_window(qtbot, folder)
    dialog = open_dialog(qtbot, window)
    dialog.import_env_file(tmp_path / "env.json")
    qtbot.waitUntil(lambda: not dialog.problems.isHidden())
    assert "env.json" in dialog.problems.text()
    assert dialog.environment_rows() == []
