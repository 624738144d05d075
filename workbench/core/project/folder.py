"""Plain folders: handlers found in the code, settings kept in lambda-workbench.json."""

from __future__ import annotations

from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.function import DEFAULT_HANDLER, FunctionConfig, name_notice, validate_limits
from workbench.core.project import projectfile
from workbench.core.project.handlers import find_handlers, handler_problem, runtime_for_handler
from workbench.core.project.model import PROJECT_FILE, Project, runtime_note, runtime_problem
from workbench.core.project.secrets import read_secrets


def open_folder(root: Path) -> Project:
    project = Project(root=root, kind="folder")
    project.handler_candidates = find_handlers(root)
    data = projectfile.read_into(project, root)
    entries = data.get("functions")
    if isinstance(entries, list) and entries:
        for index, entry in enumerate(entries):
            if isinstance(entry, dict):
                project.functions.append(
                    projectfile.function_from_json(root, entry, project.errors)
                )
            else:
                project.errors.append(
                    f"{PROJECT_FILE}: functions[{index}] is not an object; it is ignored."
                )
    else:
        project.functions.append(_default_function(project))
    if _has_no_code(project):
        # There is no lambda-workbench.json to blame and no file to fix: say what to write.
        project.errors.append(empty_folder_problem(root))
    else:
        for config in project.functions:
            check_function(project, config, PROJECT_FILE)
    for config in project.functions:
        load_secrets(project, config, data)
    return project


def _has_no_code(project: Project) -> bool:
    """No project file, no handler found and no lambda_function file (even a broken one)."""
    if project.project_file.exists() or project.handler_candidates:
        return False
    return not any(path.is_file() for path in project.root.glob("lambda_function.*"))


def empty_folder_problem(root: Path) -> str:
    return (
        f"{root.name}: no Lambda handler was found in {root}. Write one (e.g. "
        f"lambda_function.py with def lambda_handler(event, context):), or open the "
        f"folder in the window (lambda-workbench {root}) to start from a starter."
    )


def _default_function(project: Project) -> FunctionConfig:
    candidates = project.handler_candidates
    # Like the console: lambda_function.lambda_handler when present, else the first found.
    use_default = DEFAULT_HANDLER in candidates or not candidates
    handler = DEFAULT_HANDLER if use_default else candidates[0]
    runtime = runtime_for_handler(project.root, handler)
    return FunctionConfig(
        name=project.root.name, handler=handler, code_dir=project.root, runtime=runtime
    )


def check_function(project: Project, config: FunctionConfig, source: str) -> None:
    """Report what would stop the function from running as configured."""
    where = f"{source}: {config.name}"
    notice = name_notice(config)
    if notice:
        project.warnings.append(f"{source}: {notice}")
    for limit in validate_limits(config):
        if limit not in " ".join(project.errors):  # environment problems are already there
            project.errors.append(f"{where}: {limit}")
    if not config.code_dir.is_dir():
        project.errors.append(f"{where}: code folder {config.code_dir} does not exist.")
        return
    note = runtime_note(config.runtime)
    if note:
        project.warnings.append(f"{where}: {note}")
    problem = runtime_problem(config.runtime)
    if problem:
        project.errors.append(f"{where}: {problem}")
    else:
        problem = handler_problem(config.code_dir, config.handler, config.runtime)
        if problem:
            project.errors.append(f"{where}: {problem}")


def load_secrets(project: Project, config: FunctionConfig, data: dict) -> None:
    names = projectfile.secret_names(data, config.name)
    if not names:
        return
    try:
        values = read_secrets(
            project.root, project.secret_store, config.name, names, project.warnings
        )
    except WorkbenchError as error:
        project.errors.append(str(error))
        values = {}
    config.environment.update(values)
    config.secret_names = set(names)


def save_folder_function(project: Project, config: FunctionConfig, data: dict) -> None:
    """Put the function's entry into `data` (the project file), keeping the others."""
    entries = data.get("functions")
    if not isinstance(entries, list) or not entries:
        entries = [projectfile.function_to_json(project.root, f) for f in project.functions]
    entry = projectfile.function_to_json(project.root, config)
    for index, existing in enumerate(entries):
        if isinstance(existing, dict) and existing.get("name") == config.name:
            entries[index] = entry
            break
    else:
        entries.append(entry)
    data["functions"] = entries
