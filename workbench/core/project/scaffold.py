"""New functions from a starter template, each with a matching saved event."""

from __future__ import annotations

import json
import re

from ruamel.yaml.comments import CommentedMap

from workbench.core.errors import WorkbenchError
from workbench.core.function import DEFAULT_HANDLER, DEFAULT_RUNTIME, FunctionConfig
from workbench.core.languages import family_for
from workbench.core.project import cfn_yaml
from workbench.core.project.model import Project
from workbench.core.project.starters import STARTERS
from workbench.core.settings import atomic_write_text

TEMPLATES = tuple(STARTERS)
_FOLDER_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_LOGICAL_ID = re.compile(r"^[A-Za-z0-9]{1,255}$")


def describe_templates() -> dict[str, str]:
    """Template name -> one-line description, for a "New function" dialog."""
    return {name: starter[0] for name, starter in STARTERS.items()}


def create(
    project: Project, template: str, name: str, runtime: str = DEFAULT_RUNTIME
) -> FunctionConfig:
    """Write the starter code and event; returns the config (the caller saves it).

    The starter comes from the runtime's family (Python, Node.js).
    """
    family = family_for(runtime)
    starters = family.starters
    if template not in starters:
        raise WorkbenchError(
            f"There is no {family.display_name} function template {template!r}; choose one "
            f"of {', '.join(starters)}."
        )
    pattern, rule = (
        (_LOGICAL_ID, "letters and digits only (a SAM logical id)")
        if project.kind == "sam"
        else (_FOLDER_NAME, "letters, digits, - and _ (up to 64)")
    )
    if not pattern.match(name):
        raise WorkbenchError(f"{name!r} cannot name a function here; use {rule}.")
    if name in project.function_names:
        raise WorkbenchError(f"{name} already exists in this project; choose another name.")
    code_dir = project.root / name
    if code_dir.exists() and any(code_dir.iterdir()):
        raise WorkbenchError(f"{code_dir} already exists and is not empty; choose another name.")
    starter = starters[template]
    event = starter.make_event()
    module = "app" if project.kind == "sam" else family.default_module
    if family.name == "python" and project.kind != "sam":
        module = DEFAULT_HANDLER.split(".")[0]
    handler = f"{module}.{starter.function}"
    event_path = project.root / "events" / name / f"{starter.event_name}.json"
    if event_path.exists():
        raise WorkbenchError(f"{event_path} already exists; choose another name.")
    if project.kind == "sam":
        _add_resource(project, name, handler, runtime)
    atomic_write_text(code_dir / f"{module}{starter.suffix}", starter.code)
    atomic_write_text(event_path, json.dumps(event, indent=2) + "\n")
    return FunctionConfig(name=name, handler=handler, code_dir=code_dir, runtime=runtime)


def _add_resource(project: Project, name: str, handler: str, runtime: str) -> None:
    template = project.template
    assert template is not None
    data, layout = cfn_yaml.load(template)
    resources = data.get("Resources")
    if resources is None:
        resources = data["Resources"] = CommentedMap()
    if name in resources:
        raise WorkbenchError(f"{template.name} already has a resource {name}; choose another name.")
    properties = CommentedMap([("CodeUri", f"{name}/"), ("Handler", handler), ("Runtime", runtime)])
    resources[name] = CommentedMap(
        [("Type", "AWS::Serverless::Function"), ("Properties", properties)]
    )
    cfn_yaml.write(template, data, layout)
