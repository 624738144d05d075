"""`lambda-workbench package` and `deploy` as a user runs them, against the moto server."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        cwd=ROOT, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120,
    )  # fmt: skip


def test_package_twice_gives_the_same_file(function_dir: Path, tmp_path: Path) -> None:
    (function_dir / "__pycache__").mkdir()
    (function_dir / "__pycache__" / "x.pyc").write_bytes(b"junk")
    first = _cli("package", str(function_dir), "--out", str(tmp_path / "a.zip"))
    second = _cli("package", str(function_dir), "--out", str(tmp_path / "b.zip"))
    assert first.returncode == 0, first.stderr
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()
    assert "Wrote" in first.stdout and "CodeSha256:" in first.stdout
    assert first.stdout.splitlines()[-1] == second.stdout.splitlines()[-1]


def test_package_bad_path_is_a_sentence(tmp_path: Path) -> None:
    result = _cli("package", str(tmp_path / "missing"), "--out", str(tmp_path / "a.zip"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_deploy_created_then_unchanged_then_updated(
    moto_url: str, function_dir: Path, tmp_path: Path
) -> None:
    args = ["deploy", str(function_dir), "--endpoint-url", moto_url, "--region", "eu-west-1"]
    created = _cli(*args, "--yes", "--output", "json")
    assert created.returncode == 0, created.stderr
    data = json.loads(created.stdout)
    assert data["action"] == "created"
    assert data["functionName"] == "hello"
    assert data["functionArn"] == "arn:aws:lambda:eu-west-1:123456789012:function:hello"
    assert data["version"] == "$LATEST" and data["codeSha256"]
    assert {c["setting"] for c in data["changes"]} >= {"code (CodeSha256)", "handler"}

    unchanged = json.loads(_cli(*args, "--yes", "--output", "json").stdout)
    assert unchanged["action"] == "unchanged" and unchanged["changes"] == []
    assert unchanged["codeSha256"] == data["codeSha256"]

    (function_dir / "lambda_function.py").write_text("def lambda_handler(e, c):\n    return 3\n")
    updated = _cli(*args, "--yes", "--publish")
    assert updated.returncode == 0, updated.stderr
    assert updated.stdout.startswith("Updated hello (account 123456789012, region eu-west-1)")
    assert "Version:    1" in updated.stdout


def test_deploy_without_terminal_or_yes_refuses(moto_url: str, function_dir: Path) -> None:
    result = _cli("deploy", str(function_dir), "--endpoint-url", moto_url)
    assert result.returncode == 2
    assert "run it again with --yes" in result.stderr and "Traceback" not in result.stderr
    check = _cli("deploy", str(function_dir), "--endpoint-url", moto_url, "--yes",
                 "--output", "json")  # fmt: skip
    assert json.loads(check.stdout)["action"] == "created"  # the refusal changed nothing


@pytest.mark.parametrize(
    ("extra", "sentence"),
    [
        (["--profile", "ghost"], "There is no AWS profile called 'ghost'"),
        (["--function", "other"], "'other'"),  # wording is the project loader's
    ],
)
def test_deploy_errors_are_sentences(
    aws_env: Path, function_dir: Path, extra: list[str], sentence: str
) -> None:
    result = _cli("deploy", str(function_dir), "--yes", *extra)
    assert result.returncode == 2
    assert sentence in result.stderr and "Traceback" not in result.stderr


def test_deploy_on_a_terminal_asks_first(moto_url: str, function_dir: Path) -> None:
    import os
    import pty

    master, slave = pty.openpty()  # a real terminal on stdin, as when a user types the command
    proc = subprocess.Popen(
        [sys.executable, "-m", "workbench", "deploy", str(function_dir), "--endpoint-url",
         moto_url, "--region", "ap-south-1"],
        cwd=ROOT, stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    os.close(slave)
    os.write(master, b"n\n")
    out, err = proc.communicate(timeout=120)
    os.close(master)
    assert proc.returncode == 2
    assert "Create hello (account 123456789012, region ap-south-1, function hello)" in err
    assert "handler: (none) -> lambda_function.lambda_handler" in err
    assert "Deploy? [y/N]" in out
    assert "Deploy cancelled; nothing was changed." in err
    listed = _cli("deploy", str(function_dir), "--endpoint-url", moto_url, "--region",
                  "ap-south-1", "--yes", "--output", "json")  # fmt: skip
    assert json.loads(listed.stdout)["action"] == "created"  # the "n" really changed nothing
