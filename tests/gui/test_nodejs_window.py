"""A failing Node.js handler in the window: red markers on the JS frames, links in the stack."""

from __future__ import annotations

import os

from tests.gui.test_invoke_flow import invoke_and_wait
from tests.gui.test_window import make_window

FAILING = """// Fails two calls deep, so there are two frames in the user's file.
export const handler = async (event) => {
  console.log("about to fail");
  return helper(event);
};

const helper = (event) => event.missing.length;
"""


def test_failing_node_handler_marks_the_right_lines(qtbot, tmp_path):
    folder = tmp_path / "failing-node"
    folder.mkdir()
    (folder / "index.mjs").write_text(FAILING)
    window = make_window(qtbot, folder)
    assert window.session.function.runtime.startswith("nodejs")
    window.event_pane.event_bytes = lambda: b"{}"
    window.event_pane.event_text = lambda: "{}"
    result = invoke_and_wait(qtbot, window)
    assert result is not None and not result.succeeded
    assert result.error["errorType"] == "TypeError"
    assert result.error["trace"][0].startswith("TypeError: Cannot read properties of undefined")
    editor = window.tabs.editor_for(folder / "index.mjs")
    assert editor is not None
    assert editor.error_lines() == [4, 7]  # the call in the handler, the failing line
    assert "TypeError: Cannot read properties of undefined" in editor.annotation(7)
    assert editor.lineFromPosition(editor.currentPos()) + 1 == 7  # innermost frame shown
    # The stack view links the JS frames to the file.
    view = window.results_pane.error_view
    assert [(path, line) for _s, _e, path, line in view.frames][:2] == [
        (f"{folder}/index.mjs", 7),
        (f"{folder}/index.mjs", 4),
    ]
    shot = os.environ.get("LAMBDA_WORKBENCH_NODE_SCREENSHOT")
    if shot:  # how docs/screenshot-node-error.png is made
        window.results_pane.show_result(result, "{}")
        qtbot.wait(200)
        window.grab().save(shot, "PNG")
