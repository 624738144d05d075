"""First run without a pullable image: the result offers a way out; Settings edits images."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QPushButton

from tests.gui.test_invoke_flow import invoke_and_wait
from tests.gui.test_window import make_window
from workbench.core.settings import Settings
from workbench.ui.dialogs.settings_dialog import MapField, SettingsDialog

TEST_IMAGE = "lambda-workbench-test/python:3.11"
UNREACHABLE = "127.0.0.1:9/nothing/here:1"  # a registry nobody answers on: the pull fails


def make_function(tmp_path):
    folder = tmp_path / "fn"
    folder.mkdir()
    (folder / "lambda_function.py").write_text(
        "def lambda_handler(event, context):\n    return 'ran'\n"
    )
    return folder


def docker_window(qtbot, tmp_path, workbench_dirs):
    (workbench_dirs / "config" / "settings.json").write_text(
        json.dumps({"runner": "docker", "theme": "light", "images": {"python3.12": UNREACHABLE}})
    )
    return make_window(qtbot, make_function(tmp_path))


def test_an_image_that_cannot_be_pulled_offers_to_run_as_a_local_process(
    qtbot, tmp_path, workbench_dirs
):
    window = docker_window(qtbot, tmp_path, workbench_dirs)
    assert invoke_and_wait(qtbot, window, timeout=120_000) is None
    bar = window.results_pane.first_run
    assert bar.isVisible(), window.results_pane.banner.text()
    assert window.width() <= 1400  # the long sentence wraps; the window did not grow
    with qtbot.waitSignal(window.invoke_finished, timeout=30_000) as blocker:
        qtbot.mouseClick(bar.process_button, Qt.MouseButton.LeftButton)
    assert blocker.args[0] is not None and blocker.args[0].payload_json() == "ran"
    assert blocker.args[0].runner == "process"
    assert Settings().get("runner") == "process"
    assert not bar.isVisible()


def test_use_a_local_image_lists_dockers_images_and_runs_in_the_chosen_one(
    qtbot, tmp_path, workbench_dirs, monkeypatch
):
    window = docker_window(qtbot, tmp_path, workbench_dirs)
    assert invoke_and_wait(qtbot, window, timeout=120_000) is None
    offered = []

    def choose(_parent, _title, _label, items, *_args):
        offered.extend(items)
        return TEST_IMAGE, True

    monkeypatch.setattr(QInputDialog, "getItem", choose)
    with qtbot.waitSignal(window.invoke_finished, timeout=120_000) as blocker:
        qtbot.mouseClick(window.results_pane.first_run.image_button, Qt.MouseButton.LeftButton)
    assert TEST_IMAGE in offered
    result = blocker.args[0]
    assert result is not None and result.payload_json() == "ran", result and result.error
    assert result.runner == "docker"
    assert Settings().get("images") == {"python3.12": TEST_IMAGE}


def test_settings_dialog_edits_the_images_map_and_keeps_unknown_keys(qtbot, workbench_dirs):
    path = workbench_dirs / "config" / "settings.json"
    path.write_text(json.dumps({"runner": "process", "my_own_note": "keep me"}))
    settings = Settings()
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    images = dialog.fields["images"]
    assert isinstance(images, MapField)
    add = images.findChild(QPushButton, "imagesAdd")
    qtbot.mouseClick(add, Qt.MouseButton.LeftButton)
    images.table.item(0, 0).setText("python3.12")
    images.table.item(0, 1).setText("my/python:3.12")
    # A key added by hand while the dialog is open is merged too.
    data = json.loads(path.read_text())
    path.write_text(json.dumps({**data, "added_later": 1}))
    dialog.accept()
    saved = json.loads(path.read_text())
    assert saved["images"] == {"python3.12": "my/python:3.12"}
    assert saved["my_own_note"] == "keep me" and saved["added_later"] == 1
