"""Projects: the functions of a plain folder or a SAM template, opened, edited and created."""

from __future__ import annotations

import copy
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig, validate_limits
from workbench.core.project import projectfile
from workbench.core.project.folder import open_folder, save_folder_function
from workbench.core.project.model import PROJECT_FILE, SECRETS_FILE, Project
from workbench.core.project.secrets import write_secrets

__all__ = [
    "PROJECT_FILE",
    "SECRETS_FILE",
    "Project",
    "find_function",
    "load_function",
    "open_project",
    "save_function",
    "create_function",
    "set_secret_store",
    "FUNCTION_TEMPLATES",
]

TEMPLATE_NAMES = ("template.yaml", "template.yml")
FUNCTION_TEMPLATES = ("hello", "api", "s3", "sqs")


def open_project(
    path: Path | str,
    *,
    region: str | None = None,
    parameters: dict[str, str] | None = None,
) -> Project:
    """Open a folder (plain or holding template.yaml/.yml) or a SAM template file.

    `region` is AWS::Region for a template (and every function's region);
    `parameters` override a template's parameter Defaults (--parameter-overrides).
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise WorkbenchError(f"{path} does not exist; give a project folder or a template file.")
    path = path.resolve()
    if path.is_file():
        if path.suffix.lower() not in (".yaml", ".yml", ".json"):
            raise WorkbenchError(
                f"{path} is not a folder or a SAM template (.yaml, .yml); open its folder instead."
            )
        return _open_sam(path, region, parameters)
    for name in TEMPLATE_NAMES:
        if (path / name).is_file():
            return _open_sam(path / name, region, parameters)
    if parameters:
        raise WorkbenchError(
            f"{path} has no template.yaml, so --parameter-overrides has nothing to set."
        )
    project = open_folder(path)
    if region:
        for config in project.functions:
            config.region = region
    return project


def _open_sam(template: Path, region: str | None, parameters: dict[str, str] | None) -> Project:
    from workbench.core.project.sam import open_sam

    return open_sam(template, region=region, parameters=parameters)


def find_function(project: Project, name: str | None = None) -> FunctionConfig:
    """The function called `name` (the only or first one when None)."""
    source = project.template or project.root
    if name is not None and name in project.skipped:
        raise WorkbenchError(f"{name} cannot run here: {project.skipped[name]}")
    if not project.functions:
        reasons = " ".join(project.skipped.values())
        if reasons:
            raise WorkbenchError(f"{source} has no Lambda functions that can run here: {reasons}")
        raise WorkbenchError(f"{source} has no Lambda functions.")
    if name is None:
        return project.functions[0]
    for config in project.functions:
        if name in (config.name, config.deploy_name, config.function_name):
            return config
    raise WorkbenchError(
        f"There is no function {name!r} in {project.template or project.root}; "
        f"available: {', '.join(project.function_names)}."
    )


def load_function(path: Path | str, name: str | None = None) -> tuple[FunctionConfig, list[str]]:
    """The function a PATH (folder or template) and optional name mean, with the warnings."""
    project = open_project(path)
    return find_function(project, name), list(project.warnings)


def save_function(project: Project, config: FunctionConfig) -> list[str]:
    """Validate and save one function's settings; returns notices for the user.

    Plain folders write lambda-workbench.json; SAM projects write back into the
    template (comments and layout kept) or raise WorkbenchError saying why not.
    Secret values go to the keyring or the git-ignored secrets file, never into
    either file.
    """
    problems = validate_limits(config)
    if problems:
        raise WorkbenchError(" ".join(problems))
    config = copy.deepcopy(config)
    config.secret_names &= set(config.environment)
    data = projectfile.read(project.root)
    write_data = project.kind == "folder"
    if project.kind == "sam":
        from workbench.core.project.sam_write import write_function

        local = project.local_environment.get(config.name, set()) & set(config.environment)
        write_function(project, config, local)
        values = {k: config.environment[k] for k in local - config.secret_names}
        had_local = bool(projectfile.local_environment(data, config.name))
        if values or had_local:
            projectfile.set_local_environment(data, config.name, values)
            write_data = True
        project.local_environment[config.name] = local
    else:
        save_folder_function(project, config, data)
    notices = []
    secrets = {k: config.environment[k] for k in sorted(config.secret_names)}
    had_secrets = bool(projectfile.secret_names(data, config.name))
    if secrets or had_secrets:
        notice = write_secrets(project.root, project.secret_store, config.name, secrets)
        if notice:
            notices.append(notice)
            project.secret_store = "file"
            projectfile.secrets_section(data)["store"] = "file"
        projectfile.set_secret_names(data, config.name, config.secret_names)
    if write_data or secrets or had_secrets:
        projectfile.write(project.root, data)
    _replace(project, config)
    return notices


def create_function(
    project: Project, template: str, name: str, runtime: str | None = None
) -> FunctionConfig:
    """A new function from a starter ("hello", "api", "s3", "sqs") with a saved event.

    Plain folders get `<name>/lambda_function.py` and an entry in
    lambda-workbench.json; SAM projects get `<name>/app.py` and a resource in
    the template. The event is `events/<name>/<event>.json`. `runtime` picks the
    language's starters (Node.js: `<name>/index.mjs`, handler index.handler).
    """
    from workbench.core.function import DEFAULT_RUNTIME
    from workbench.core.project.scaffold import create

    config = create(project, template, name, runtime or DEFAULT_RUNTIME)
    if project.kind == "sam":
        _reload(project)
        return find_function(project, name)
    save_function(project, config)
    return find_function(project, name)


def set_secret_store(project: Project, store: str) -> list[str]:
    """Choose where secret values are kept ("keyring" or "file") and move existing ones."""
    if store not in ("keyring", "file"):
        raise WorkbenchError(f"Secret store must be keyring or file, not {store!r}.")
    data = projectfile.read(project.root)
    notices: list[str] = []
    for config in project.functions:
        values = {k: v for k, v in config.environment.items() if k in config.secret_names}
        if not values:
            continue
        notice = write_secrets(project.root, store, config.name, values)
        if notice:
            notices.append(notice)
            store = "file"
        elif store == "keyring":
            write_secrets(project.root, "file", config.name, {})  # moved: drop the file copy
    projectfile.secrets_section(data)["store"] = store
    project.secret_store = store
    projectfile.write(project.root, data)
    return sorted(set(notices))


def _reload(project: Project) -> None:
    fresh = open_project(project.template or project.root)
    project.functions, project.warnings, project.errors = (
        fresh.functions,
        fresh.warnings,
        fresh.errors,
    )


def _replace(project: Project, config: FunctionConfig) -> None:
    for index, existing in enumerate(project.functions):
        if existing.name == config.name:
            project.functions[index] = config
            return
    project.functions.append(config)
