"""Helpers for the test/load/tune command tests: run the real CLI, write small projects."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "hello-python"

HANDLERS = """
import json, os, time

count = 0

def greet(event, context):
    global count
    count += 1
    print(f"greeting {event.get('name', 'world')}")
    return {"statusCode": int(os.environ.get("STATUS", "200")),
            "headers": {"Date": time.ctime()},
            "body": json.dumps({"message": "hi " + event.get("name", "world"),
                                "requestId": context.aws_request_id, "count": count})}

def boom(event, context):
    raise ValueError("no " + event.get("name", "thing"))

def sleepy(event, context):
    time.sleep(float(event.get("s", 0.1)))
    return {"ok": True}

def counted(event, context):
    time.sleep(float(event.get("s", 0.1)))
    # One line per finished invoke, so a test can wait for progress instead of sleeping.
    with open(os.path.join(os.environ["FLAG_DIR"], "done"), "a") as done:
        done.write("x" + chr(10))
    return {"ok": True}

def lonely(event, context):
    # Fails when another invoke runs at the same time: a handler broken only under load.
    flag = os.path.join(os.environ["FLAG_DIR"], "busy")
    try:
        fd = os.open(flag, os.O_CREAT | os.O_EXCL)
    except FileExistsError:
        raise RuntimeError("another invoke is running")
    try:
        time.sleep(0.05)
    finally:
        os.close(fd)
        os.unlink(flag)
    return {"ok": True}
"""


def cli(*args: str, cwd: Path = ROOT, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "workbench", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
    )


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def sam_project(
    root: Path, functions: dict[str, str], reserved: dict[str, int] | None = None, env: str = ""
) -> Path:
    """A SAM project in `root` with one function per (name -> handler) over HANDLERS."""
    write(root / "src" / "app.py", HANDLERS)
    lines = [
        "AWSTemplateFormatVersion: '2010-09-09'",
        "Transform: AWS::Serverless-2016-10-31",
        "Resources:",
    ]
    for name, handler in functions.items():
        lines += [
            f"  {name}:",
            "    Type: AWS::Serverless::Function",
            "    Properties:",
            "      CodeUri: src/",
            f"      Handler: app.{handler}",
            "      Runtime: python3.12",
            "      Timeout: 10",
        ]
        if reserved and name in reserved:
            lines.append(f"      ReservedConcurrentExecutions: {reserved[name]}")
        if env:
            lines += ["      Environment:", "        Variables:", f"          {env}"]
    write(root / "template.yaml", "\n".join(lines) + "\n")
    return root
