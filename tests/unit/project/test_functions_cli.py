"""`lambda-workbench functions` through a real subprocess: output contract and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from workbench.core.project import find_function, open_project, save_function

from .conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[3]
KEYS = {
    "name",
    "handler",
    "runtime",
    "codeDir",
    "memorySizeMb",
    "timeoutSeconds",
    "architecture",
    "ephemeralStorageMb",
    "environment",
}


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", "functions", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})),
    )


def test_json_lists_every_function_with_the_contract_keys():
    result = cli(str(FIXTURES / "sam_app"), "--output", "json")
    assert result.returncode == 0, result.stderr
    functions = json.loads(result.stdout)
    assert [f["name"] for f in functions] == ["HelloFunction", "OrdersFunction", "LegacyFunction"]
    assert all(set(f) == KEYS for f in functions)
    orders = functions[1]
    assert orders["memorySizeMb"] == 512 and orders["timeoutSeconds"] == 30
    assert orders["ephemeralStorageMb"] == 1024 and orders["architecture"] == "x86_64"
    assert orders["codeDir"] == str((FIXTURES / "sam_app" / "src" / "orders").resolve())
    assert orders["environment"]["TABLE_ARN"] == "${OrdersTable.Arn}"
    # Warnings are for people: on stderr, never mixed into the JSON.
    assert "ImageFunction" in result.stderr and "not supported yet" in result.stderr


def test_text_output_for_the_bundled_example():
    result = cli(str(ROOT / "examples" / "hello-python"))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "hello-python",
        "  handler      lambda_function.lambda_handler  (python3.12, x86_64)",
    ]
    assert result.stderr == ""


def test_secret_values_are_masked(tmp_path):
    (tmp_path / "lambda_function.py").write_text("def lambda_handler(event, context):\n    pass\n")
    project = open_project(tmp_path)
    config = find_function(project)
    config.environment = {"API_KEY": "do-not-print", "STAGE": "dev"}
    config.secret_names = {"API_KEY"}
    save_function(project, config)
    result = cli(str(tmp_path), "--output", "json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["environment"] == {"API_KEY": "****", "STAGE": "dev"}
    text = cli(str(tmp_path))
    assert "do-not-print" not in text.stdout + text.stderr
    assert "API_KEY=****" in text.stdout


def test_problems_go_to_stderr_and_the_rest_is_listed():
    result = cli(str(FIXTURES / "broken_parts" / "template.yml"), "--output", "json")
    assert result.returncode == 3  # problems were printed (0 is for a clean project)
    assert len(json.loads(result.stdout)) == 5
    assert "problem: template.yml line 20 (OldRuntimeFunction Runtime)" in result.stderr


def test_missing_path_and_invalid_yaml_exit_2_with_a_sentence(tmp_path):
    missing = cli(str(tmp_path / "nowhere"))
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr and "Traceback" not in missing.stderr
    broken = cli(str(FIXTURES / "broken_yaml"))
    assert broken.returncode == 2
    assert "template.yaml:7:6: the template is not valid YAML" in broken.stderr
    assert broken.stdout == ""


def test_exit_status_is_3_when_problems_were_printed_and_0_for_warnings_only(tmp_path):
    (tmp_path / "lambda_function.py").write_text("def lambda_handler(event, context):\n    pass\n")
    assert cli(str(tmp_path)).returncode == 0
    (tmp_path / "lambda-workbench.json").write_text('{"functions": [{"handler": "nope.h"}]}')
    result = cli(str(tmp_path))
    assert result.returncode == 3 and "problem: " in result.stderr
    assert result.stdout.strip()  # the functions are still listed


def test_an_empty_folder_says_what_to_write_instead_of_blaming_a_missing_project_file(tmp_path):
    # A new user's first `functions` on an empty folder named lambda-workbench.json,
    # which did not exist.
    folder = tmp_path / "newfn"
    folder.mkdir()
    result = cli(str(folder))
    assert result.returncode == 3
    assert "lambda-workbench.json" not in result.stderr
    assert "no Lambda handler was found" in result.stderr
    assert "def lambda_handler(event, context)" in result.stderr
    # A broken lambda_function.py keeps the precise problem about that file.
    (folder / "lambda_function.py").write_text("x = 1\n")
    assert "no Lambda handler was found" not in cli(str(folder)).stderr
