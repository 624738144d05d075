"""The Lambda console's shareable test events, to and from saved events (core and CLI)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.events import (
    SavedEvents,
    console_document,
    export_console_events,
    generate_event,
    import_console_events,
    parse_console_events,
    read_console_file,
)

ROOT = Path(__file__).resolve().parents[3]
PAID = {"orderId": "1001", "status": "paid", "note": "héllo", "items": [1, 2.5, True, None]}


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "events", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
    )


def document(**events):
    """A document shaped as the console stores one in lambda-testevent-schemas."""
    return {
        "openapi": "3.0.0",
        "info": {"version": "1.0.0", "title": "Event"},
        "paths": {},
        "components": {
            "schemas": {"Event": {"type": "object"}},
            "examples": {name: {"value": value} for name, value in events.items()},
        },
    }


def test_round_trip_keeps_every_event_exactly(tmp_path):
    s3 = generate_event("s3-object-created")
    source = document(paid=PAID, **{"s3-put": s3, "empty": {}})
    paths = import_console_events(tmp_path, "orders", parse_console_events(json.dumps(source)))
    assert sorted(p.name for p in paths) == ["empty.json", "paid.json", "s3-put.json"]
    saved = SavedEvents(tmp_path, "orders")
    assert json.loads(saved.load("paid")) == PAID
    back = export_console_events(tmp_path, "orders")
    assert {k: v["value"] for k, v in back["components"]["examples"].items()} == {
        "empty": {},
        "paid": PAID,
        "s3-put": s3,
    }
    # ...and what we export reads back the same.
    again = parse_console_events(json.dumps(back))
    assert again.events == {"empty": {}, "paid": PAID, "s3-put": s3}
    assert back["openapi"] == "3.0.0"
    assert back["components"]["schemas"]["Event"]["type"] == "object"


def test_describe_schema_output_names_the_function(tmp_path):
    response = {
        "SchemaName": "_orders-schema",
        "Type": "OpenApi3",
        "Content": json.dumps(document(paid=PAID)),
    }
    parsed = parse_console_events(json.dumps(response))
    assert parsed.function == "orders"
    assert parsed.events == {"paid": PAID}


def test_import_refuses_to_replace_a_saved_event_unless_forced(tmp_path):
    saved = SavedEvents(tmp_path, "orders")
    saved.save("paid", '{"mine": true}\n')
    parsed = parse_console_events(json.dumps(document(paid=PAID, other={"a": 1})))
    with pytest.raises(WorkbenchError, match="already exists.*nothing was imported"):
        import_console_events(tmp_path, "orders", parsed)
    assert saved.load("paid") == '{"mine": true}\n'
    assert not saved.exists("other"), "nothing is written when one name clashes"
    import_console_events(tmp_path, "orders", parsed, overwrite=True)
    assert json.loads(saved.load("paid")) == PAID


def test_only_the_named_events(tmp_path):
    parsed = parse_console_events(json.dumps(document(a={"n": 1}, b={"n": 2})))
    import_console_events(tmp_path, "fn", parsed, ["b"])
    assert SavedEvents(tmp_path, "fn").list() == ["b"]
    with pytest.raises(WorkbenchError, match="'zzz' not found in the document; it has: a, b"):
        import_console_events(tmp_path, "fn", parsed, ["zzz"])
    exported = export_console_events(tmp_path, "fn", ["b"])
    assert list(exported["components"]["examples"]) == ["b"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ('{"components": {"examples": {', "is not valid JSON (Expecting property name"),
        ("[1, 2]", 'has no "components" object'),
        ('{"openapi": "3.0.0"}', 'has no "components" object'),
        ('{"components": {"examples": {}}}', "holds no test events"),
        ('{"components": {"examples": {"x": {"summary": "no value"}}}}', 'has no "value"'),
        ('{"Content": "{not json", "SchemaName": "_f-schema"}', "(its Content) is not valid"),
    ],
)
def test_malformed_console_json_is_a_sentence(text, expected):
    with pytest.raises(WorkbenchError, match=re.escape(expected)):
        parse_console_events(text)


def test_export_refuses_names_and_sizes_the_console_would_not_take(tmp_path):
    saved = SavedEvents(tmp_path, "fn")
    with pytest.raises(WorkbenchError, match="has no saved events"):
        export_console_events(tmp_path, "fn")
    saved.save("paid order", "{}")
    with pytest.raises(WorkbenchError, match="1 to 25 letters, digits"):
        export_console_events(tmp_path, "fn")
    saved.delete("paid order")
    saved.save("big", json.dumps({"data": "x" * 6_291_600}))
    with pytest.raises(WorkbenchError, match="Lambda takes at most 6,291,556"):
        export_console_events(tmp_path, "fn")
    saved.save("big", "{broken")
    with pytest.raises(WorkbenchError, match="is not valid JSON"):
        export_console_events(tmp_path, "fn")


def test_read_console_file_is_bounded_and_explains(tmp_path):
    with pytest.raises(WorkbenchError, match="There is no file"):
        read_console_file(tmp_path / "missing.json")
    binary = tmp_path / "x.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(WorkbenchError, match="could not be read"):
        read_console_file(binary)
    good = tmp_path / "good.json"
    good.write_text("\ufeff" + json.dumps(document(a={})), encoding="utf-8")  # BOM from Windows
    assert read_console_file(good).events == {"a": {}}


def test_console_document_schema_describes_the_first_event():
    schema = console_document({"e": {"a": 1, "b": [{"c": "x"}], "d": None}})["components"]
    assert schema["schemas"]["Event"]["properties"]["a"] == {"type": "integer"}
    assert schema["schemas"]["Event"]["properties"]["b"]["items"]["properties"]["c"] == {
        "type": "string"
    }


def test_cli_import_then_export_round_trip(tmp_path):
    source = tmp_path / "console.json"
    source.write_text(json.dumps(document(paid=PAID, refund={"orderId": "1001", "r": 1})))
    project = tmp_path / "proj"
    result = cli("import", str(source), str(project), "--function", "orders")
    assert result.returncode == 0, result.stderr
    assert "Imported 2 event(s)" in result.stderr
    assert json.loads((project / "events/orders/paid.json").read_text()) == PAID
    out = tmp_path / "export.json"
    result = cli("export", str(project), "--function", "orders", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "_orders-schema" in result.stderr
    assert parse_console_events(out.read_text()).events == {
        "paid": PAID,
        "refund": {"orderId": "1001", "r": 1},
    }
    printed = cli("export", str(project), "--function", "orders", "--name", "paid")
    assert json.loads(printed.stdout)["components"]["examples"] == {"paid": {"value": PAID}}


def test_cli_import_takes_the_function_from_describe_schema_output(tmp_path):
    source = tmp_path / "describe.json"
    source.write_text(
        json.dumps({"SchemaName": "_billing-schema", "Content": json.dumps(document(a={}))})
    )
    result = cli("import", str(source), str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "events/billing/a.json").is_file()


@pytest.mark.parametrize(
    "args, expected",
    [
        (("import", "nope.json", "--function", "f"), "There is no file"),
        (("import", "{bad}", "--function", "f"), "is not valid JSON"),
        (("import", "{doc}"), "give --function NAME"),
        (("export", ".", "--function", "nobody"), "has no saved events"),
    ],
)
def test_cli_bad_input_exits_2_with_a_sentence(tmp_path, args, expected):
    (tmp_path / "bad.json").write_text('{"components": ')
    (tmp_path / "doc.json").write_text(json.dumps(document(a={})))
    names = {"{bad}": str(tmp_path / "bad.json"), "{doc}": str(tmp_path / "doc.json")}
    result = cli(*(names.get(a, a) for a in args), cwd=tmp_path)
    assert result.returncode == 2
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
