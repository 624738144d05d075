"""EventPane: live validation with a marker, Format, size limit, templates, saved events on disk."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QInputDialog, QMessageBox, QWidget

from workbench.core.events import SavedEvents, get_template
from workbench.ui.events.event_pane import MAX_EVENT_BYTES, EventPane
from workbench.ui.events.template_picker import TemplatePickerDialog, TemplatePickerWidget


@pytest.fixture
def pane(qtbot, tmp_path: Path) -> EventPane:
    widget = EventPane()
    qtbot.addWidget(widget)
    widget.set_function(tmp_path, "hello")
    return widget


def test_invalid_json_marks_line_and_column_and_gives_the_reason(qtbot, pane: EventPane) -> None:
    text = '{\n  "a": 1,\n  "b": 2\n  "c": 3\n}\n'
    with qtbot.waitSignal(pane.validity_changed) as blocker:
        pane.set_event_text(text)
    assert blocker.args == [False, "Line 4, column 3: Expecting ',' delimiter"]
    assert pane.event_bytes() is None
    assert pane.editor.error_marker_lines() == [4]
    # The squiggle sits on the character json reports (line 4, column 3 -> the quote).
    start = pane.editor.error_indicator_start()
    assert start is not None and pane.editor.text().encode()[start : start + 3] == b'"c"'
    assert "Line 4, column 3" in pane.status_label.text()

    with qtbot.waitSignal(pane.validity_changed) as blocker:
        pane.set_event_text('{"a": 1}')
    assert blocker.args == [True, ""]
    assert pane.editor.error_marker_lines() == []
    assert pane.event_bytes() == b'{"a": 1}'


def test_typing_revalidates_after_a_pause(qtbot, pane: EventPane) -> None:
    pane.set_event_text('{"a": 1}')
    QWidget.setFocus(pane.editor)  # ScintillaEdit.setFocus(bool) is a Scintilla call
    pane.editor.gotoPos(pane.editor.textLength() - 1)  # before the closing brace
    with qtbot.waitSignal(pane.validity_changed, timeout=5000) as blocker:
        qtbot.keyClicks(pane.editor, ', "b"')
    assert blocker.args[0] is False
    assert blocker.args[1].startswith("Line 1, column")
    assert pane.event_text() == '{"a": 1, "b"}'


def test_non_ascii_error_position_is_a_character_column(qtbot, pane: EventPane) -> None:
    with qtbot.waitSignal(pane.validity_changed) as blocker:
        pane.set_event_text('{"é": 1 "x": 2}')
    assert blocker.args == [False, "Line 1, column 9: Expecting ',' delimiter"]
    start = pane.editor.error_indicator_start()
    assert pane.editor.text().encode("utf-8")[start : start + 3] == b'"x"'


def test_empty_event_is_invalid(qtbot, pane: EventPane) -> None:
    with qtbot.waitSignal(pane.validity_changed) as blocker:
        pane.set_event_text("   \n")
    assert blocker.args[0] is False and "empty" in blocker.args[1]


def test_format_reindents_and_keeps_the_value(qtbot, pane: EventPane) -> None:
    pane.set_event_text('{"b":[1,2,{"c":"ü"}],"a":null}')
    qtbot.mouseClick(pane.format_button, Qt.MouseButton.LeftButton)
    assert (
        pane.event_text()
        == json.dumps({"b": [1, 2, {"c": "ü"}], "a": None}, indent=2, ensure_ascii=False) + "\n"
    )
    # Format leaves invalid JSON alone (and the reason stays on screen).
    pane.set_event_text('{"a": }')
    qtbot.mouseClick(pane.format_button, Qt.MouseButton.LeftButton)
    assert pane.event_text() == '{"a": }'
    assert "Line 1, column 7" in pane.status_label.text()


def test_payload_size_against_the_6_mb_limit(qtbot, pane: EventPane) -> None:
    filler = "x" * (MAX_EVENT_BYTES - len('{"data": ""}'))
    pane.set_event_text(json.dumps({"data": filler}))
    assert pane.event_bytes() is not None
    assert "6.00 MB of 6 MB" in pane.size_label.text()
    assert "d32f2f" not in pane.size_label.styleSheet()
    with qtbot.waitSignal(pane.validity_changed) as blocker:
        pane.set_event_text(json.dumps({"data": filler + "y"}))
    assert blocker.args[0] is False
    assert f"{MAX_EVENT_BYTES + 1:,} bytes" in blocker.args[1]
    assert pane.event_bytes() is None
    assert "d32f2f" in pane.size_label.styleSheet()


def test_ctrl_return_in_the_editor_asks_to_invoke(qtbot, pane: EventPane) -> None:
    pane.show()
    qtbot.waitExposed(pane)
    QWidget.setFocus(pane.editor)  # ScintillaEdit.setFocus(bool) is a Scintilla call
    with qtbot.waitSignal(pane.invoke_requested):
        qtbot.keyClick(pane.editor, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)


def test_template_picker_generates_an_event_from_the_catalog(qtbot) -> None:
    picker = TemplatePickerWidget()
    qtbot.addWidget(picker)
    picker.search.setText("s3 put")
    names = picker.template_names()
    assert names, "searching 's3 put' should find an S3 template"
    name = picker.current_name()
    assert name in names
    info = get_template(name)
    services = {picker.tree.topLevelItem(i).text(0) for i in range(picker.tree.topLevelItemCount())}
    assert info.service in services
    text_params = [p for p in info.parameters if isinstance(p.default, str)]
    assert text_params, f"{name} has no text parameter to fill in"
    param = text_params[0]
    picker.param_edits[param.name].setText("value-from-the-form")
    with qtbot.waitSignal(picker.event_generated) as blocker:
        qtbot.mouseClick(picker.generate_button, Qt.MouseButton.LeftButton)
    generated_name, text = blocker.args
    assert generated_name == name
    assert "value-from-the-form" in text
    assert isinstance(json.loads(text), dict)


def test_template_picker_reports_a_bad_parameter(qtbot) -> None:
    picker = TemplatePickerWidget()
    qtbot.addWidget(picker)
    for info in (get_template(n) for n in picker.template_names()):
        numeric = [p for p in info.parameters if isinstance(p.default, int | float)]
        if numeric and not isinstance(numeric[0].default, bool):
            break
    else:
        pytest.fail("no template with a numeric parameter")
    picker.select(info.name)
    picker.param_edits[numeric[0].name].setText("not a number")
    with qtbot.assertNotEmitted(picker.event_generated):
        picker.generate()
    assert not picker.error.isHidden()
    assert numeric[0].name in picker.error.text()


def test_applying_a_template_fills_the_unsaved_event(qtbot, pane: EventPane) -> None:
    pane.apply_template('{"Records": []}\n')
    assert pane.current_saved_name() == ""
    assert json.loads(pane.event_text()) == {"Records": []}


def test_saved_events_crud_hits_the_disk(qtbot, pane: EventPane, tmp_path: Path, monkeypatch):
    saved = SavedEvents(tmp_path, "hello")
    pane.set_event_text('{"n": 1}\n')
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("first", True))
    qtbot.mouseClick(pane.new_button, Qt.MouseButton.LeftButton)
    assert saved.list() == ["first"]
    assert json.loads(saved.path("first").read_text()) == {"n": 1}
    assert pane.current_saved_name() == "first"

    # Edits to a saved event are written on Save, not before.
    pane.editor.set_text('{"n": 2}\n')
    pane.editor.text_changed.emit()
    assert json.loads(saved.load("first")) == {"n": 1}
    qtbot.mouseClick(pane.save_button, Qt.MouseButton.LeftButton)
    assert json.loads(saved.load("first")) == {"n": 2}

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("copy", True))
    qtbot.mouseClick(pane.duplicate_button, Qt.MouseButton.LeftButton)
    assert sorted(saved.list()) == ["copy", "first"]
    assert pane.current_saved_name() == "copy"

    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("renamed", True))
    qtbot.mouseClick(pane.rename_button, Qt.MouseButton.LeftButton)
    assert sorted(saved.list()) == ["first", "renamed"]
    assert json.loads(saved.load("renamed")) == {"n": 2}

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(pane.delete_button, Qt.MouseButton.LeftButton)
    assert saved.list() == ["first"]
    assert not saved.path("renamed").exists()

    # A new pane (a restart) lists what is on disk and opens it.
    again = EventPane()
    qtbot.addWidget(again)
    again.set_function(tmp_path, "hello")
    assert again.current_saved_name() == "first"
    assert json.loads(again.event_text()) == {"n": 2}


def test_set_event_text_never_overwrites_a_saved_event(qtbot, pane: EventPane, tmp_path: Path):
    saved = SavedEvents(tmp_path, "hello")
    saved.save("keep", '{"keep": true}\n')
    pane.set_function(tmp_path, "hello")
    assert pane.current_saved_name() == "keep"
    pane.set_event_text('{"restored": 1}')
    pane.save_current()
    assert pane.current_saved_name() == ""
    assert json.loads(saved.load("keep")) == {"keep": True}


def test_bad_saved_event_name_is_reported_not_raised(qtbot, pane: EventPane, tmp_path) -> None:
    assert pane.new_event("../escape") is False
    assert pane.status_label.text()
    assert SavedEvents(tmp_path, "hello").list() == []


def test_template_dialog_returns_the_generated_event(qtbot) -> None:
    dialog = TemplatePickerDialog()
    qtbot.addWidget(dialog)
    dialog.picker.search.setText("sqs")
    name = dialog.picker.current_name()
    assert name is not None
    dialog.picker.generate()
    assert dialog.result() == TemplatePickerDialog.DialogCode.Accepted
    assert dialog.template_name == name
    assert isinstance(json.loads(dialog.event_text), dict)


def test_validity_reports_the_current_state(qtbot, pane: EventPane) -> None:
    pane.set_event_text("[1, 2")
    ok, reason = pane.validity()
    assert ok is False and reason.startswith("Line 1, column 6")


def test_typing_in_a_saved_event_marks_it_and_ctrl_s_saves_it(
    qtbot, pane: EventPane, tmp_path: Path
) -> None:
    saved = SavedEvents(tmp_path, "hello")
    saved.save("typed", '{"a": 1}')
    pane.set_function(tmp_path, "hello")
    assert pane.current_saved_name() == "typed"
    assert not pane.save_button.isEnabled()
    QWidget.setFocus(pane.editor)
    pane.editor.gotoPos(pane.editor.textLength() - 1)
    qtbot.keyClicks(pane.editor, ', "b": 2')
    assert pane.saved_combo.currentText() == "typed ●"
    assert pane.save_button.isEnabled() and pane.revert_button.isEnabled()
    assert saved.load("typed") == '{"a": 1}'  # nothing written silently
    pane.save_current()  # what Ctrl+S calls when the event pane has the focus
    assert saved.load("typed") == '{"a": 1, "b": 2}'
    assert pane.saved_combo.currentText() == "typed"


def test_revert_reloads_the_file_and_switching_keeps_unsaved_edits(
    qtbot, pane: EventPane, tmp_path: Path
) -> None:
    saved = SavedEvents(tmp_path, "hello")
    saved.save("one", '{"one": 1}')
    saved.save("two", '{"two": 2}')
    pane.set_function(tmp_path, "hello")
    pane.saved_combo.setCurrentIndex(pane.saved_combo.findData("one"))
    pane.editor.set_text('{"one": "edited"}')
    pane.editor.text_changed.emit()
    pane.saved_combo.setCurrentIndex(pane.saved_combo.findData("two"))
    assert json.loads(pane.event_text()) == {"two": 2}
    assert pane.unsaved_names() == ["one"]
    pane.saved_combo.setCurrentIndex(pane.saved_combo.findData("one"))
    assert json.loads(pane.event_text()) == {"one": "edited"}  # the edit was kept
    qtbot.mouseClick(pane.revert_button, Qt.MouseButton.LeftButton)
    assert json.loads(pane.event_text()) == {"one": 1}
    assert pane.unsaved_names() == []
    assert saved.load("one") == '{"one": 1}'


def test_json_parameters_are_multi_line_and_the_preview_follows_the_form(qtbot) -> None:
    from workbench.ui.events.template_picker import MultiLineField

    picker = TemplatePickerWidget()
    qtbot.addWidget(picker)
    picker.resize(1040, 620)
    picker.show()
    chosen = None
    for name in picker.template_names():
        info = get_template(name)
        if any(isinstance(p.default, (dict, list)) for p in info.parameters):
            chosen = info
            break
    assert chosen is not None, "some template takes a JSON-valued parameter"
    picker.select(chosen.name)
    param = next(p for p in chosen.parameters if isinstance(p.default, (dict, list)))
    field = picker.param_edits[param.name]
    assert isinstance(field, MultiLineField)
    assert "\n" in field.text() or field.text() in ("{}", "[]")  # indented, not escaped
    assert json.loads(picker.preview.toPlainText())  # a preview before "Use this event"
    one_line = [p for p in chosen.parameters if isinstance(p.default, str)]
    one_line = [p for p in one_line if not isinstance(picker.param_edits[p.name], MultiLineField)]
    text_param = one_line[0] if one_line else None
    if text_param is not None:
        edit = picker.param_edits[text_param.name]
        edit.setFocus()
        edit.selectAll()  # type: ignore[union-attr]
        qtbot.keyClicks(edit, "typed-in-the-form")
        qtbot.waitUntil(lambda: "typed-in-the-form" in picker.preview.toPlainText())
    # The form column is wider than the template list.
    assert picker.form_host.width() > picker.tree.width()
