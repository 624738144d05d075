"""Saved events: plain JSON files at events/<function>/<name>.json in the project."""

from __future__ import annotations

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.events import SavedEvents

TEXT = '{\n  "orderId": "1001"\n}\n'


@pytest.fixture
def saved(tmp_path):
    return SavedEvents(tmp_path, "orders")


def test_save_writes_a_plain_json_file_where_sam_can_use_it(saved, tmp_path):
    path = saved.save("paid order", TEXT)
    assert path == tmp_path / "events" / "orders" / "paid order.json"
    assert path.read_text(encoding="utf-8") == TEXT
    assert saved.load("paid order") == TEXT
    assert saved.path("paid order") == path
    # Nothing but the event file is left behind (the write goes through a temp file).
    assert [p.name for p in path.parent.iterdir()] == ["paid order.json"]


def test_list_is_sorted_and_ignores_other_files(saved):
    assert saved.list() == []
    for name in ("b", "A", "c.v2"):
        saved.save(name, TEXT)
    (saved.folder / "notes.txt").write_text("x")
    (saved.folder / ".hidden.json").write_text("{}")
    assert saved.list() == ["A", "b", "c.v2"]


def test_save_overwrites_and_keeps_text_exactly(saved):
    saved.save("e", TEXT)
    saved.save("e", "not json at all ü")  # the editor may hold invalid JSON; keep it
    assert saved.load("e") == "not json at all ü"


def test_rename_moves_the_file(saved):
    saved.save("old", TEXT)
    saved.rename("old", "new")
    assert saved.list() == ["new"]
    assert saved.load("new") == TEXT


def test_rename_refuses_to_overwrite(saved):
    saved.save("a", "A")
    saved.save("b", "B")
    with pytest.raises(WorkbenchError, match="already exists"):
        saved.rename("a", "b")
    assert saved.load("a") == "A" and saved.load("b") == "B"


def test_rename_of_a_missing_event_is_a_sentence(saved):
    with pytest.raises(WorkbenchError, match="no saved event 'ghost'"):
        saved.rename("ghost", "x")


def test_duplicate_copies_and_refuses_to_overwrite(saved):
    saved.save("a", "A")
    saved.duplicate("a", "a copy")
    assert saved.load("a copy") == "A" and saved.load("a") == "A"
    saved.save("b", "B")
    with pytest.raises(WorkbenchError, match="already exists"):
        saved.duplicate("a", "b")
    assert saved.load("b") == "B"


def test_delete_removes_only_that_event(saved):
    saved.save("a", "A")
    saved.save("b", "B")
    saved.delete("a")
    assert saved.list() == ["b"]
    with pytest.raises(WorkbenchError, match="no saved event 'a' to delete"):
        saved.delete("a")


def test_load_of_a_missing_event_is_a_sentence(saved):
    with pytest.raises(WorkbenchError, match="There is no saved event 'nope'"):
        saved.load("nope")


@pytest.mark.parametrize(
    "name",
    [
        "",
        "a/b",
        "..",
        "../escape",
        "a\\b",
        ".hidden",
        "x" * 101,
        "trailing ",
        "dot.",
        "t\tab",
        "a:b",
    ],
)
def test_bad_names_are_refused_with_a_sentence(saved, tmp_path, name):
    with pytest.raises(WorkbenchError, match="cannot be used: give 1 to 100 characters"):
        saved.save(name, TEXT)
    assert not (tmp_path / "events").exists() or saved.list() == []
    assert not any(tmp_path.rglob("*.json"))


def test_names_people_actually_use_work(saved):
    for name in ("order #1 (paid)", "été", "v1.2 - retry"):
        saved.save(name, TEXT)
    assert saved.list() == ["order #1 (paid)", "v1.2 - retry", "été"]


def test_bad_function_name_is_refused(tmp_path):
    with pytest.raises(WorkbenchError, match="Function name '../x' cannot be used"):
        SavedEvents(tmp_path, "../x")


def test_functions_do_not_see_each_other(tmp_path):
    SavedEvents(tmp_path, "one").save("e", "1")
    assert SavedEvents(tmp_path, "two").list() == []
