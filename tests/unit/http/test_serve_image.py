"""`serve --image` with functions of several runtimes warns before a request fails."""

from __future__ import annotations

from pathlib import Path

from workbench.core.function import FunctionConfig
from workbench.core.http.session import image_warnings


def _function(name: str, runtime: str) -> FunctionConfig:
    return FunctionConfig(name=name, handler="app.handler", code_dir=Path("."), runtime=runtime)


def test_one_image_for_two_runtimes_is_a_warning():
    # Found by a new user: a Node.js function served in the Python image failed with
    # "No module named 'app'" and nothing said why.
    functions = [_function("Users", "python3.11"), _function("Api", "nodejs20.x")]
    [warning] = image_warnings("lambda-workbench-test/python:3.11", functions)
    assert "nodejs20.x, python3.11" in warning and "--function" in warning


def test_one_runtime_or_no_image_needs_no_warning():
    same = [_function("A", "python3.11"), _function("B", "python3.11")]
    assert image_warnings("img", same) == []
    assert image_warnings(None, [_function("A", "python3.11"), _function("B", "nodejs20.x")]) == []
