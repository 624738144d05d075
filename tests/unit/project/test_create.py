"""New functions from starters: code, project entry or template resource, and a saved event."""

from __future__ import annotations

import importlib.util
import json
import shutil
from types import SimpleNamespace

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.project import (
    FUNCTION_TEMPLATES,
    PROJECT_FILE,
    create_function,
    find_function,
    open_project,
)
from workbench.resources import example_dir


def run_handler(config, event):
    """Call the generated handler in-process, as the starter's own quick check."""
    module_name, function_name = config.handler.rsplit(".", 1)
    path = config.code_dir / f"{module_name}.py"
    spec = importlib.util.spec_from_file_location(f"starter_{config.name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return getattr(module, function_name)(event, SimpleNamespace(function_name=config.name))


@pytest.mark.parametrize("template", FUNCTION_TEMPLATES)
def test_each_starter_in_a_folder_project_runs_on_its_saved_event(tmp_path, template):
    root = tmp_path / "hello-python"
    shutil.copytree(example_dir(), root)
    project = open_project(root)
    config = create_function(project, template, f"my-{template}")
    assert config.code_dir == root / f"my-{template}"
    assert config.handler == "lambda_function.lambda_handler"
    [event_file] = (root / "events" / f"my-{template}").glob("*.json")
    event = json.loads(event_file.read_text())
    reopened = open_project(root)
    assert reopened.function_names == ["hello-python", f"my-{template}"]
    assert reopened.errors == []
    data = json.loads((root / PROJECT_FILE).read_text())
    assert [f["name"] for f in data["functions"]] == ["hello-python", f"my-{template}"]
    result = run_handler(find_function(reopened, f"my-{template}"), event)
    if template == "sqs":
        failed = [r["messageId"] for r in event["Records"] if '"fail": true' in r["body"]]
        assert result == {"batchItemFailures": [{"itemIdentifier": failed[0]}]}
    elif template == "s3":
        assert result == {"processed": ["s3://example-bucket/uploads/hello world.txt"]}
    elif template == "api":
        assert result["statusCode"] == 200
        assert json.loads(result["body"]) == {"path": "/items", "query": {"limit": "10"}}
    else:
        assert json.loads(result["body"]) == {"message": "Hello, Workbench!"}


def test_new_function_in_a_sam_template_keeps_the_rest_of_it(copy_fixture):
    root = copy_fixture("commented")
    template = root / "template.yaml"
    before = template.read_text()
    project = open_project(root)
    config = create_function(project, "sqs", "OrdersQueueFunction")
    assert config.code_dir == root / "OrdersQueueFunction"
    assert config.handler == "app.lambda_handler"
    assert config.timeout_s == 5  # Globals apply to the new function too
    assert "OrdersQueueFunction" in project.function_names
    after = template.read_text()
    assert after.startswith(before[: before.index("Outputs:")])
    assert "  OrdersQueueFunction:\n    Type: AWS::Serverless::Function\n" in after
    assert (root / "events" / "OrdersQueueFunction" / "batch-with-one-failure.json").is_file()
    assert open_project(root).errors == []


def test_bad_names_and_templates_are_refused(copy_fixture, tmp_path):
    project = open_project(copy_fixture("commented"))
    with pytest.raises(WorkbenchError, match="SAM logical id"):
        create_function(project, "hello", "my-function")
    with pytest.raises(WorkbenchError, match="already exists"):
        create_function(project, "hello", "AppFunction")
    with pytest.raises(WorkbenchError, match="choose one of hello, api, s3, sqs"):
        create_function(project, "kafka", "New")
    folder = tmp_path / "folder"
    (folder / "taken").mkdir(parents=True)
    (folder / "taken" / "keep.txt").write_text("mine")
    with pytest.raises(WorkbenchError, match="not empty"):
        create_function(open_project(folder), "hello", "taken")
    assert (folder / "taken" / "keep.txt").read_text() == "mine"
