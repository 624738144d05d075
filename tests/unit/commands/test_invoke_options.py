"""`invoke` options SAM CLI users rely on, and bad input refused with a sentence (real runs)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
APP = """
import os

def env(event, context):
    return {
        "region": os.environ["AWS_REGION"],
        "default": os.environ["AWS_DEFAULT_REGION"],
        "arn": context.invoked_function_arn,
        "name": os.environ["AWS_LAMBDA_FUNCTION_NAME"],
        "vars": {k: os.environ.get(k) for k in ("TABLE", "STAGE", "ONLY_FILE")},
    }

def ctx(event, context):
    return context.client_context.custom if context.client_context else None
"""


def cli(*args: str, stdin: str | None = None, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("AWS_REGION", "AWS_DEFAULT_REGION")}
    base.update({"PYTHONPATH": str(ROOT), "AWS_CONFIG_FILE": os.devnull, **env})
    return subprocess.run(
        [sys.executable, "-m", "workbench", "invoke", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=base,
        timeout=120,
        cwd=ROOT,
    )


def _folder(tmp_path: Path, name: str = "fn") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "app.py").write_text(APP)
    return folder


def _sam(tmp_path: Path, variables: str = "", parameters: str = "") -> Path:
    folder = _folder(tmp_path)
    (folder / "template.yaml").write_text(
        f"{parameters}Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Handler: app.env\n      Runtime: python3.12\n"
        + (f"      Environment:\n        Variables:\n{variables}" if variables else "")
    )
    return folder


def _payload(run: subprocess.CompletedProcess[str]) -> dict:
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)["payload"]


def _json(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return cli(*args, "--runner", "process", "--output", "json", **env)


def test_region_option_sets_environment_and_arn(tmp_path):
    payload = _payload(
        _json(str(_folder(tmp_path)), "--handler", "app.env", "--region", "eu-west-1")
    )
    assert payload["region"] == payload["default"] == "eu-west-1"
    assert payload["arn"].startswith("arn:aws:lambda:eu-west-1:")


def test_region_defaults_to_the_callers_environment_then_profile(tmp_path):
    folder = str(_folder(tmp_path))
    payload = _payload(_json(folder, "--handler", "app.env", AWS_REGION="ap-south-1"))
    assert payload["region"] == "ap-south-1"
    config = tmp_path / "aws-config"
    config.write_text("[default]\nregion = sa-east-1\n[profile work]\nregion = ca-central-1\n")
    payload = _payload(_json(folder, "--handler", "app.env", AWS_CONFIG_FILE=str(config)))
    assert payload["region"] == "sa-east-1"
    payload = _payload(
        _json(folder, "--handler", "app.env", AWS_CONFIG_FILE=str(config), AWS_PROFILE="work")
    )
    assert payload["region"] == "ca-central-1"
    run = _json(folder, "--handler", "app.env", "--region", "Mars")
    assert run.returncode == 2 and "is not an AWS region name" in run.stderr


def test_reserved_variables_given_with_env_are_refused(tmp_path):
    run = _json(str(_folder(tmp_path)), "--handler", "app.env", "--env", "AWS_REGION=eu-west-1")
    assert run.returncode == 2
    assert "AWS_REGION is reserved by Lambda" in run.stderr and "Traceback" not in run.stderr


def test_env_file_in_sam_format_overrides_only_template_variables(tmp_path):
    folder = _sam(tmp_path, "          TABLE: default\n          STAGE: default\n")
    env_file = tmp_path / "env.json"
    env_file.write_text(
        json.dumps({"Parameters": {"STAGE": "all"}, "Fn": {"TABLE": "mine", "ONLY_FILE": "x"}})
    )
    run = _json(str(folder), "--env-file", str(env_file))
    assert _payload(run)["vars"] == {"TABLE": "mine", "STAGE": "all", "ONLY_FILE": None}
    assert "sets ONLY_FILE, which Fn does not define in the template" in run.stderr


def test_env_file_for_a_plain_folder_sets_every_variable(tmp_path):
    env_file = tmp_path / "env.json"
    env_file.write_text(json.dumps({"Parameters": {"STAGE": "all"}, "fn": {"ONLY_FILE": "x"}}))
    run = _json(str(_folder(tmp_path)), "--handler", "app.env", "--env-file", str(env_file))
    assert _payload(run)["vars"] == {"TABLE": None, "STAGE": "all", "ONLY_FILE": "x"}


def test_parameter_overrides_fill_parameters_without_default(tmp_path):
    folder = _sam(
        tmp_path,
        "          TABLE: !Ref Table\n          STAGE: !Ref Stage\n",
        "Parameters:\n  Table: {Type: String}\n  Stage: {Type: String, Default: dev}\n",
    )
    run = _json(
        str(folder),
        "--parameter-overrides",
        "Table=orders",
        "ParameterKey=Stage,ParameterValue=prod",
    )
    assert _payload(run)["vars"]["TABLE"] == "orders"
    assert _payload(run)["vars"]["STAGE"] == "prod"
    plain = _payload(_json(str(folder)))
    assert plain["vars"]["TABLE"] == ""  # never the literal ${Table}


def test_client_context_reaches_the_handler(tmp_path):
    folder = str(_folder(tmp_path))
    run = _json(folder, "--handler", "app.ctx", "--client-context", '{"custom": {"tenant": "a"}}')
    assert _payload(run) == {"tenant": "a"}
    bad = _json(folder, "--handler", "app.ctx", "--client-context", "[1]")
    assert bad.returncode == 2 and "must be a JSON object" in bad.stderr


def test_why_a_function_was_skipped_is_carried_through(tmp_path):
    folder = tmp_path / "img"
    folder.mkdir()
    (folder / "template.yaml").write_text(
        "Resources:\n  Img:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      PackageType: Image\n"
    )
    run = _json(str(folder))
    assert run.returncode == 2
    assert (
        "container image function (PackageType: Image)" in run.stderr.split("lambda-workbench:")[-1]
    )


def test_event_reads_stop_at_the_request_limit_and_nan_is_refused(tmp_path):
    folder = str(_folder(tmp_path))
    run = _json(folder, "--handler", "app.env", "--event", "/dev/zero")
    assert run.returncode == 2 and "over 6,291,456 bytes" in run.stderr
    run = cli(folder, "--handler", "app.env", "--runner", "process", "--event", "-",
              stdin='{"a": NaN}')  # fmt: skip
    assert run.returncode == 2 and "refuses NaN and Infinity" in run.stderr
    nested = tmp_path / "deep.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    run = _json(folder, "--handler", "app.env", "--event", str(nested))
    assert run.returncode == 2 and "nested too deeply" in run.stderr
    assert "Traceback" not in run.stderr


def test_corrupt_project_file_and_settings_are_warned(tmp_path):
    folder = _folder(tmp_path)
    (folder / "lambda-workbench.json").write_text("{oops")
    config = tmp_path / "config"
    config.mkdir()
    (config / "settings.json").write_text('{"runner": 5')
    run = _json(str(folder), "--handler", "app.env", LAMBDA_WORKBENCH_CONFIG_DIR=str(config))
    assert run.returncode == 0, run.stderr
    assert "problem: " in run.stderr and "lambda-workbench.json is not valid JSON" in run.stderr
    assert run.stderr.count("Settings file") == 1


def test_inline_code_function_runs(tmp_path):
    folder = tmp_path / "inline"
    folder.mkdir()
    (folder / "template.yaml").write_text(
        "Resources:\n  Inline:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Handler: index.handler\n      Runtime: python3.12\n      InlineCode: |\n"
        "        def handler(event, context):\n            return {'inline': True}\n"
    )
    assert _payload(_json(str(folder))) == {"inline": True}


def test_non_ascii_function_name_runs_under_a_valid_lambda_name(tmp_path):
    folder = _folder(tmp_path, "Función")
    run = _json(str(folder), "--handler", "app.env")
    payload = _payload(run)
    assert payload["name"] == "Funcion" and payload["arn"].endswith(":function:Funcion")
    assert "it runs and deploys as 'Funcion'" in run.stderr


def test_fifo_in_the_function_folder_does_not_hang_invoke(tmp_path):
    folder = _folder(tmp_path)
    os.mkfifo(folder / "pipe.py")  # handler discovery used to block reading it
    os.mkfifo(folder / "requirements.txt")
    assert _payload(_json(str(folder), "--handler", "app.env"))["region"] == "us-east-1"
