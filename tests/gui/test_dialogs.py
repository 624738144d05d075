"""Settings dialog, Deploy action and the project tree's file activation."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QLineEdit, QMessageBox, QSpinBox

from tests.gui.test_window import make_window
from workbench.core.settings import Settings
from workbench.ui.dialogs.settings_dialog import SettingsDialog


def test_settings_dialog_saves_valid_values_and_says_why_not_otherwise(qtbot):
    settings = Settings()
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    runner = dialog.fields["runner"]
    assert isinstance(runner, QComboBox) and runner.currentText() == "process"
    runner.setCurrentText("docker")
    cap = dialog.fields["log_line_cap"]
    assert isinstance(cap, QSpinBox)
    cap.setValue(500)
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted
    reloaded = Settings()
    assert (reloaded.get("runner"), reloaded.get("log_line_cap")) == ("docker", 500)
    assert "recent_projects" not in dialog.fields  # the app keeps that list itself


def test_settings_dialog_keeps_the_dialog_open_on_a_bad_value(qtbot, monkeypatch):
    settings = Settings()
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    region = dialog.fields["aws_region"]
    assert isinstance(region, QLineEdit)
    region.setText("eu-west-1")
    monkeypatch.setattr(settings, "save", lambda: (_ for _ in ()).throw(OSError("disk full")))
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "disk full" in dialog.problem.text()


def test_deploy_opens_the_deploy_dialog_for_the_selected_function(qtbot, monkeypatch):
    window = make_window(qtbot)
    shown = []
    monkeypatch.setattr(QMessageBox, "information", lambda *a: shown.append(a))
    window.actions_by_id["deploy"].trigger()
    from workbench.ui.dialogs.deploy_dialog import DeployDialog

    dialogs = window.findChildren(DeployDialog)
    assert len(dialogs) == 1 and not shown
    assert dialogs[0].function.name == "hello-python"
    dialogs[0].reject()


def test_activating_a_file_in_the_tree_opens_it(qtbot, tmp_path):
    folder = tmp_path / "fn"
    folder.mkdir()
    (folder / "lambda_function.py").write_text("def lambda_handler(e, c):\n    return 1\n")
    (folder / "helpers.py").write_text("X = 1\n")
    window = make_window(qtbot, folder)
    assert [p.name for p in window.tree.file_items()] == ["helpers.py", "lambda_function.py"]
    window.tree.file_activated.emit(folder / "helpers.py")
    editor = window.tabs.current_editor()
    assert editor is not None and editor.path == folder / "helpers.py"
    assert window.tabs.count() == 2


def test_a_sam_template_lists_every_function_and_the_selector_switches(qtbot, tmp_path):
    for name in ("orders", "users"):
        (tmp_path / "src" / name).mkdir(parents=True)
        (tmp_path / "src" / name / "app.py").write_text(
            f"def handler(event, context):\n    return {name!r}\n"
        )
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n"
        + "".join(
            f"  {name.title()}Function:\n    Type: AWS::Serverless::Function\n"
            f"    Properties:\n      CodeUri: src/{name}/\n      Handler: app.handler\n"
            "      Runtime: python3.12\n"
            for name in ("orders", "users")
        )
    )
    window = make_window(qtbot, tmp_path / "template.yaml")
    combo = window.function_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "OrdersFunction", "UsersFunction",
    ]  # fmt: skip
    assert tmp_path / "template.yaml" in window.tree.file_items()
    combo.setCurrentText("UsersFunction")
    assert window.session.function.name == "UsersFunction"
    # Both handlers are open; same-named tabs carry their folder names.
    assert sorted(window.tabs.tabText(i) for i in range(window.tabs.count())) == [
        "orders/app.py", "users/app.py",
    ]  # fmt: skip
    with qtbot.waitSignal(window.invoke_finished, timeout=30_000) as blocker:
        window.actions_by_id["invoke"].trigger()
    assert blocker.args[0].payload_json() == "users"
