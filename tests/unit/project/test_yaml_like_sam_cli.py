"""Templates read the way SAM CLI reads them, and hostile YAML refused with a sentence."""

from __future__ import annotations

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.project import cfn_yaml, find_function, open_project, save_function

FUNCTION = (
    "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
    "      Handler: app.handler\n      Runtime: python3.12\n"
)


def _app(folder) -> None:
    (folder / "app.py").write_text("def handler(event, context):\n    return 1\n")


def test_duplicate_keys_warn_with_file_line_column_and_the_last_wins(tmp_path):
    _app(tmp_path)
    (tmp_path / "template.yaml").write_text(
        FUNCTION + "      MemorySize: 256\n      MemorySize: 512\n"
    )
    project = open_project(tmp_path)
    assert find_function(project).memory_mb == 512  # PyYAML's rule, which SAM CLI follows
    assert any(
        w.startswith("template.yaml:7:7: duplicate key 'MemorySize' (again at line 8)")
        for w in project.warnings
    ), project.warnings


def test_block_scalar_whose_first_line_holds_spaces_is_accepted(tmp_path):
    _app(tmp_path)
    text = FUNCTION + "      Description: |\n  \n        first line\n        second\n"
    (tmp_path / "template.yaml").write_text(text)
    project = open_project(tmp_path)
    assert project.function_names == ["Fn"] and project.errors == []


def test_yaml_errors_are_file_line_column_sentences(tmp_path):
    (tmp_path / "template.yaml").write_text("Resources:\n  Fn: [1\n")
    with pytest.raises(WorkbenchError) as raised:
        open_project(tmp_path)
    assert str(raised.value).startswith("template.yaml:3:1: the template is not valid YAML")


def test_core_tags_never_show_parser_internals(tmp_path):
    _app(tmp_path)
    (tmp_path / "template.yaml").write_text(
        FUNCTION + "      MemorySize: !!int 256\n      Timeout: !!str soon\n"
    )
    project = open_project(tmp_path)
    assert find_function(project).memory_mb == 256
    text = " ".join(project.errors + project.warnings)
    assert "'soon'" in text and "TaggedScalar" not in text


def test_alias_bomb_is_refused_with_a_sentence(tmp_path):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, 10):
        lines.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]")
    (tmp_path / "template.yaml").write_text("\n".join(lines) + "\nResources: {}\n")
    with pytest.raises(WorkbenchError, match="expands its YAML aliases to over 500,000 values"):
        open_project(tmp_path)


def test_alias_inside_itself_and_deep_nesting_are_refused(tmp_path):
    (tmp_path / "template.yaml").write_text("Resources: &r\n  Fn: *r\n")
    with pytest.raises(WorkbenchError, match="alias refers to the value that contains it"):
        open_project(tmp_path)
    (tmp_path / "template.yaml").write_text("Resources: " + "[" * 20_000 + "]" * 20_000 + "\n")
    with pytest.raises(WorkbenchError, match="nested too deeply"):
        open_project(tmp_path)


def test_oversized_template_is_refused_without_reading_it_all(tmp_path):
    (tmp_path / "template.yaml").write_text("# x\n" * (cfn_yaml.MAX_TEMPLATE_BYTES // 4 + 10))
    with pytest.raises(WorkbenchError, match="is over 5 MB"):
        open_project(tmp_path)


def test_settings_are_not_written_back_over_duplicate_keys(tmp_path):
    _app(tmp_path)
    template = tmp_path / "template.yaml"
    template.write_text(FUNCTION + "      Timeout: 5\n      Timeout: 6\n")
    before = template.read_text()
    project = open_project(tmp_path)
    config = find_function(project)
    config.memory_mb = 1024
    with pytest.raises(WorkbenchError, match="Remove the duplicate key"):
        save_function(project, config)
    assert template.read_text() == before  # nothing the user wrote is dropped
