"""Node.js starters: created in folder and SAM projects, and they run (process runner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from workbench.core.project import create_function, open_project
from workbench.core.runtime.invoker import Invoker


@pytest.mark.parametrize("template", ["hello", "api", "sqs"])
def test_node_starter_in_a_folder_runs(tmp_path: Path, template: str) -> None:
    project = open_project(tmp_path)
    config = create_function(project, template, "fresh", runtime="nodejs20.x")
    assert (config.handler, config.runtime) == ("index.handler", "nodejs20.x")
    assert (tmp_path / "fresh" / "index.mjs").is_file()
    [event_file] = (tmp_path / "events" / "fresh").glob("*.json")
    invoker = Invoker(config, "process")
    try:
        result = invoker.invoke(event_file.read_bytes())
    finally:
        invoker.close()
    assert result.error is None, result.logs
    payload = result.payload_json()
    if template == "hello":
        assert json.loads(payload["body"]) == {"message": "Hello, Workbench!"}
    elif template == "api":
        assert payload["statusCode"] == 200
        assert json.loads(payload["body"])["path"] == "/items"
    else:
        assert len(payload["batchItemFailures"]) == 1
    # Reopened, the project keeps the runtime and finds no problem.
    reopened = open_project(tmp_path)
    assert not [e for e in reopened.errors if "fresh" in e]
    assert {f.name: f.runtime for f in reopened.functions}["fresh"] == "nodejs20.x"


def test_node_starter_in_a_sam_project(tmp_path: Path) -> None:
    (tmp_path / "template.yaml").write_text(
        "Transform: AWS::Serverless-2016-10-31\nResources: {}\n"
    )
    project = open_project(tmp_path)
    config = create_function(project, "hello", "Greeter", runtime="nodejs22.x")
    assert (config.handler, config.runtime) == ("app.handler", "nodejs22.x")
    assert (tmp_path / "Greeter" / "app.mjs").is_file()
    text = (tmp_path / "template.yaml").read_text()
    assert "Runtime: nodejs22.x" in text and "Handler: app.handler" in text
