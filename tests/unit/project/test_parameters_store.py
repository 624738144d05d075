"""Locally saved template parameter values: round trip, damaged files, the template's list."""

from __future__ import annotations

from workbench.core.project import parameters
from workbench.core.project.parameters import load_overrides, save_overrides, template_parameters


def test_values_round_trip_and_empty_ones_fall_back_to_the_default(tmp_path):
    save_overrides(tmp_path, {"Stage": "dev", "Table": ""})
    assert load_overrides(tmp_path) == {"Stage": "dev"}
    assert load_overrides(tmp_path / "other") == {}


def test_a_damaged_store_is_empty_not_a_crash(tmp_path):
    store = parameters._store(tmp_path)
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_text("[" * 100_000)
    assert load_overrides(tmp_path) == {}
    store.write_text('["not", "a", "mapping"]')
    assert load_overrides(tmp_path) == {}


def test_template_parameters_lists_defaults_and_allowed_values():
    found = template_parameters(
        {
            "Parameters": {
                "Stage": {"Type": "String", "AllowedValues": ["dev", "prod"]},
                "Size": {"Type": "Number", "Default": 3, "Description": "how many"},
                "Odd": "not a mapping",
            }
        }
    )
    assert [(p.name, p.default, p.allowed) for p in found] == [
        ("Stage", None, ("dev", "prod")),
        ("Size", "3", ()),
        ("Odd", None, ()),
    ]
    assert template_parameters(["no parameters"]) == []
