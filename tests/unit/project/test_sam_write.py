"""Editing a SAM function writes back into the template, keeping comments, order and tags."""

from __future__ import annotations

import difflib

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.project import find_function, open_project, save_function


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), n=0, lineterm="")
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


def test_editing_memory_changes_exactly_that_line(copy_fixture):
    root = copy_fixture("commented")
    template = root / "template.yaml"
    before = template.read_text()
    project = open_project(root)
    app = find_function(project, "AppFunction")
    app.memory_mb = 1024
    save_function(project, app)
    assert changed_lines(before, template.read_text()) == [
        "-      MemorySize: 128 # raise for heavy payloads",
        "+      MemorySize: 1024 # raise for heavy payloads",
    ]
    assert find_function(open_project(root), "AppFunction").memory_mb == 1024


def test_several_settings_keep_quotes_comments_and_list_style(copy_fixture):
    root = copy_fixture("commented")
    template = root / "template.yaml"
    before = template.read_text()
    project = open_project(root)
    app = find_function(project, "AppFunction")
    app.runtime = "python3.13"
    app.architecture = "arm64"
    app.ephemeral_storage_mb = 2048
    app.environment["GREETING"] = "hi"
    app.environment["NEW_VAR"] = "x"
    save_function(project, app)
    after = template.read_text()
    changes = changed_lines(before, after)
    assert '+          GREETING: "hi"      # quoted on purpose' in changes
    assert "+        - arm64" in changes
    assert "+      Runtime: python3.13" in changes
    assert "+          NEW_VAR: x" in changes
    assert "+      EphemeralStorage:" in changes and "+        Size: 2048" in changes
    assert len(changes) == 9  # 3 replaced lines (-/+) and 3 added ones
    assert "STAGE: !Ref Stage" in after
    reopened = find_function(open_project(root), "AppFunction")
    assert (reopened.runtime, reopened.architecture) == ("python3.13", "arm64")
    assert reopened.ephemeral_storage_mb == 2048
    assert reopened.environment["NEW_VAR"] == "x"


def test_removing_an_own_variable_deletes_its_line(copy_fixture):
    root = copy_fixture("commented")
    template = root / "template.yaml"
    before = template.read_text()
    project = open_project(root)
    app = find_function(project, "AppFunction")
    del app.environment["LIMIT"]
    save_function(project, app)
    assert changed_lines(before, template.read_text()) == ["-          LIMIT: '10'"]


@pytest.mark.parametrize(
    ("function", "change", "message"),
    [
        (
            "AppFunction",
            {"timeout_s": 9},
            "Timeout of AppFunction comes from Globals.Function at template.yaml line 13",
        ),
        (
            "WorkerFunction",
            {"memory_mb": 256},
            "MemorySize of WorkerFunction is computed by !Ref at template.yaml line 46",
        ),
        (
            "AppFunction",
            {"env": ("STAGE", "prod")},
            "Environment variable STAGE of AppFunction is "
            "computed by !Ref at template.yaml line 31",
        ),
        (
            "AppFunction",
            {"env": ("SHARED", "x")},
            "Environment variable SHARED of AppFunction comes from Globals.Function",
        ),
        ("AppFunction", {"code_dir": "elsewhere"}, "CodeUri of AppFunction can only be changed"),
        ("AppFunction", {"memory_mb": 20_000}, "outside Lambda's range"),
    ],
)
def test_impossible_edits_are_refused_with_a_sentence_and_nothing_written(
    copy_fixture, function, change, message
):
    root = copy_fixture("commented")
    template = root / "template.yaml"
    before = template.read_text()
    project = open_project(root)
    config = find_function(project, function)
    config.memory_mb = 512 if function == "AppFunction" else config.memory_mb  # an allowed edit
    for key, value in change.items():
        if key == "env":
            config.environment[value[0]] = value[1]
        elif key == "code_dir":
            config.code_dir = root / value
        else:
            setattr(config, key, value)
    with pytest.raises(WorkbenchError, match=message):
        save_function(project, config)
    assert template.read_text() == before


def test_function_removed_from_template_meanwhile_is_refused(copy_fixture):
    root = copy_fixture("commented")
    project = open_project(root)
    worker = find_function(project, "WorkerFunction")
    template = root / "template.yaml"
    text = template.read_text()
    template.write_text(text[: text.index("  # Another one")] + text[text.index("Outputs:") :])
    worker.timeout_s = 10
    with pytest.raises(WorkbenchError, match="no longer has a function 'WorkerFunction'"):
        save_function(project, worker)


def test_adding_a_property_to_a_function_without_it(copy_fixture):
    root = copy_fixture("sam_app")
    template = root / "template.yaml"
    project = open_project(root)
    legacy = find_function(project, "LegacyFunction")
    legacy.timeout_s = 42
    save_function(project, legacy)
    assert find_function(open_project(root), "LegacyFunction").timeout_s == 42
    assert "      Timeout: 42\n" in template.read_text()
    assert "Role: !GetAtt LegacyRole.Arn" in template.read_text()
