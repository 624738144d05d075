"""The window's Serve API: toolbar toggle, API pane (routes, send request, requests served)."""

from __future__ import annotations

import json
import shutil

from PySide6.QtCore import Qt

from tests.gui.test_window import wait_opened
from tests.unit.http.conftest import SERVE_APP
from workbench.core.history import History
from workbench.core.settings import Settings
from workbench.ui.api.api_pane import ApiPane
from workbench.ui.api.serve_controller import ServeController
from workbench.ui.app.main import create_window

WAIT_MS = 60_000


def app_copy(tmp_path):
    root = tmp_path / "api"
    shutil.copytree(SERVE_APP, root)
    return root


def select_route(pane: ApiPane, method: str, path: str) -> dict:
    for index in range(pane.routes.topLevelItemCount()):
        item = pane.routes.topLevelItem(index)
        row = item.data(0, Qt.ItemDataRole.UserRole)
        if (row["method"], row["path"]) == (method, path):
            pane.routes.setCurrentItem(item)
            return row
    raise AssertionError(f"no route {method} {path}")


def test_pane_lists_routes_sends_a_request_and_lists_it(qtbot, tmp_path):
    root = app_copy(tmp_path)
    settings = Settings()
    controller = ServeController(settings)
    pane = ApiPane()
    qtbot.addWidget(pane)
    controller.started.connect(pane.show_serving)
    controller.served.connect(pane.add_served)
    with qtbot.waitSignal(controller.started, timeout=WAIT_MS) as started:
        controller.start(root, root, port=0)
    rows, port, _warnings = started.args
    assert port > 0 and controller.running
    assert pane.routes.topLevelItemCount() == len(rows)
    row = select_route(pane, "GET", "/items/{id}")
    assert pane.form.url.text() == row["url"] and pane.form.method.currentText() == "GET"
    pane.copy_button.click()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == row["url"]
    pane.form.url.setText(row["url"].replace("{id}", "42"))
    pane.form.headers.setPlainText("X-Test: yes")
    try:
        with qtbot.waitSignals([pane.form.response_shown, controller.served], timeout=WAIT_MS):
            qtbot.mouseClick(pane.form.send_button, Qt.MouseButton.LeftButton)
        assert pane.form.status.text().startswith("200 OK")
        assert '"id": "42"' in pane.form.reply.toPlainText()
        assert pane.requests.topLevelItemCount() == 1
        served = pane.served_at(0)
        assert served.status == 200 and served.function == "EchoFunction"
        event = json.loads(served.event)
        assert event["headers"]["X-Test"] == "yes"
        item = pane.requests.topLevelItem(0)
        with qtbot.waitSignal(pane.request_activated) as activated:
            pane.requests.itemClicked.emit(item, 0)
        assert activated.args[0] is served
        # The request is a run in the function's history, like an invoke.
        history = History(root, "EchoFunction")
        assert [e.result.request_id for e in history.entries()] == [served.result.request_id]
    finally:
        with qtbot.waitSignal(controller.stopped, timeout=WAIT_MS):
            controller.stop()
    assert not controller.running


def test_bad_header_line_is_a_sentence(qtbot):
    pane = ApiPane()
    qtbot.addWidget(pane)
    pane.form.url.setText("http://127.0.0.1:1/")
    pane.form.headers.setPlainText("no colon here")
    pane.form.send_button.click()
    assert pane.form.status.text() == "Header line 1 must look like Name: value."


def test_toolbar_toggle_serves_the_open_project(qtbot, tmp_path):
    root = app_copy(tmp_path)
    settings = Settings()
    settings.set("serve_port", 0)
    window = create_window(str(root), settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wait_opened(qtbot, window)  # the project opens on a worker
    action = window.actions_by_id["serve"]
    controller = window.api.controller
    with qtbot.waitSignal(controller.started, timeout=WAIT_MS):
        action.trigger()
    assert action.isChecked() and window.api.dock.isVisible()
    pane = window.api.pane
    row = select_route(pane, "GET", "/fail")
    pane.form.url.setText(row["url"])
    with qtbot.waitSignal(controller.served, timeout=WAIT_MS):
        pane.form.send()
    qtbot.waitUntil(lambda: pane.requests.topLevelItemCount() == 1)
    served = pane.served_at(0)
    assert served.status == 502
    pane.requests.itemClicked.emit(pane.requests.topLevelItem(0), 0)
    # The same result panes as an invoke: the error of that request is shown.
    assert window.results_pane.result is served.result
    assert "RuntimeError" in window.results_pane.headline.text()
    with qtbot.waitSignal(controller.stopped, timeout=WAIT_MS):
        action.trigger()
    assert not action.isChecked() and not controller.running


def test_port_in_use_shows_a_sentence_and_unchecks(qtbot, tmp_path):
    import socket

    root = app_copy(tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        settings = Settings()
        settings.set("serve_port", taken.getsockname()[1])
        window = create_window(str(root), settings)
        qtbot.addWidget(window)
        wait_opened(qtbot, window)
        with qtbot.waitSignal(window.api.controller.failed, timeout=WAIT_MS) as failed:
            window.actions_by_id["serve"].trigger()
    assert "already in use" in failed.args[0]
    assert not window.actions_by_id["serve"].isChecked()
    assert "already in use" in window.api.pane.state.text()
