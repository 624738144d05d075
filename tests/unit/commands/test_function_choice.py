"""Commands given a project of several functions and no --function say which one they use."""

from __future__ import annotations

from pathlib import Path

from tests.unit.testing.support import cli, write

TEMPLATE = """\
Transform: AWS::Serverless-2016-10-31
Resources:
  UsersFunction:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: users/, Handler: app.handler, Runtime: python3.12}
  OrdersFunction:
    Type: AWS::Serverless::Function
    Properties: {CodeUri: orders/, Handler: app.handler, Runtime: python3.12}
"""


def _project(root: Path) -> Path:
    write(root / "template.yaml", TEMPLATE)
    for name in ("users", "orders"):
        write(root / name / "app.py", "def handler(event, context):\n    return 1\n")
    return root


def test_package_without_function_names_the_one_it_used(tmp_path):
    # Found by a new user: `package app` zipped the first function without a word.
    project = _project(tmp_path / "app")
    run = cli("package", str(project), "--out", str(tmp_path / "f.zip"))
    assert run.returncode == 0, run.stderr
    assert "has 2 functions (UsersFunction, OrdersFunction); using UsersFunction" in run.stderr
    assert "--function NAME" in run.stderr
    chosen = cli(
        "package", str(project), "--function", "OrdersFunction", "--out", str(tmp_path / "o.zip")
    )
    assert chosen.returncode == 0 and "note:" not in chosen.stderr


def test_a_single_function_needs_no_note(tmp_path):
    write(tmp_path / "fn" / "app.py", "def handler(event, context):\n    return 1\n")
    run = cli("package", str(tmp_path / "fn"), "--out", str(tmp_path / "f.zip"))
    assert run.returncode == 0 and "note:" not in run.stderr
