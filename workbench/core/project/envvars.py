"""Import environment variables from SAM CLI's --env-vars JSON or a .env file."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.project.model import Project

_MAX_BYTES = 1024 * 1024
_SECRET_HINT = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE|CREDENTIAL", re.I)


def looks_secret(name: str) -> bool:
    """A guess the UI can use to pre-tick "secret" for names like API_KEY or DB_PASSWORD."""
    return bool(_SECRET_HINT.search(name))


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def read_env_vars_json(path: Path) -> dict[str, dict[str, str]]:
    """SAM CLI's format: {"Parameters": {...for all...}, "<Function>": {...}}."""
    try:
        if not path.is_file():
            raise WorkbenchError(f"{path} is not a file; give SAM CLI's env-vars JSON file.")
        with path.open("rb") as handle:
            raw = handle.read(_MAX_BYTES + 1)
        if len(raw) > _MAX_BYTES:
            raise WorkbenchError(f"{path} is over 1 MB; an env-vars file is much smaller.")
        data = json.loads(raw.decode("utf-8"))
    except json.JSONDecodeError as error:
        raise WorkbenchError(
            f"{path.name} is not valid JSON at line {error.lineno}, column {error.colno}: "
            f"{error.msg}."
        ) from error
    except (UnicodeDecodeError, RecursionError):
        raise WorkbenchError(f"{path.name} is not UTF-8 JSON that can be read.") from None
    except OSError as error:
        raise WorkbenchError(f"{path} could not be read: {error.strerror}.") from error
    if not isinstance(data, dict) or not all(isinstance(v, dict) for v in data.values()):
        raise WorkbenchError(
            f"{path.name} is not in SAM CLI's --env-vars format: an object of objects, "
            'e.g. {"Parameters": {"STAGE": "dev"}, "MyFunction": {"TABLE": "t"}}.'
        )
    return {str(k): {str(n): _text(v) for n, v in vs.items()} for k, vs in data.items()}


def read_dotenv(path: Path) -> dict[str, str]:
    """KEY=VALUE lines (quotes, `export` and comments as python-dotenv reads them)."""
    # Imported here: most folders have no .env, and a cold CLI invoke pays for imports.
    from dotenv import dotenv_values

    if not path.is_file():
        raise WorkbenchError(f"{path} does not exist; choose a .env file.")
    try:
        values = dotenv_values(path, interpolate=False)
    except (OSError, UnicodeDecodeError) as error:
        raise WorkbenchError(f"{path} could not be read: {error}.") from error
    return {k: _text(v) for k, v in values.items()}


def import_environment(
    project: Project,
    path: Path | str,
    function: str | None = None,
    secret_names: set[str] | None = None,
    *,
    local: bool | None = None,
) -> tuple[list[FunctionConfig], list[str]]:
    """Updated copies of the functions the file sets variables for, plus notices.

    A .json file is read as SAM CLI's --env-vars format ("Parameters" apply
    to every function); anything else as a .env file for `function` (or the
    only function). Names in `secret_names` are marked secret. In a SAM
    project the imported names are local overrides by default (`local`): they
    are saved in lambda-workbench.json, never into the template, the way SAM
    CLI's env.json works. Nothing is saved here: pass each config to
    save_function.
    """
    local = project.kind == "sam" if local is None else local
    path = Path(path)
    notices: list[str] = []
    targets = [f for f in project.functions if function in (None, f.name, f.deploy_name)]
    if not targets:
        raise WorkbenchError(
            f"There is no function {function!r}; available: {', '.join(project.function_names)}."
        )
    updates: dict[str, dict[str, str]] = {}
    if path.suffix.lower() == ".json":
        data = read_env_vars_json(path)
        shared = data.pop("Parameters", {})
        known = {name for f in project.functions for name in (f.name, f.deploy_name) if name}
        for name in sorted(set(data) - known):
            notices.append(f"{path.name}: {name} is not a function of this project; skipped.")
        for config in targets:
            own = data.get(config.name) or data.get(config.deploy_name or "") or {}
            if shared or own:
                updates[config.name] = {**shared, **own}
    else:
        if len(targets) > 1:
            raise WorkbenchError(
                f"{path.name} has no function names; choose which function it is for "
                f"({', '.join(project.function_names)})."
            )
        updates[targets[0].name] = read_dotenv(path)
    result = []
    for config in targets:
        if config.name not in updates:
            continue
        updated = copy.deepcopy(config)
        updated.environment.update(updates[config.name])
        updated.secret_names |= {n for n in secret_names or set() if n in updated.environment}
        if local and project.kind == "sam":
            names = project.local_environment.setdefault(config.name, set())
            names |= set(updates[config.name])
        result.append(updated)
    if not result:
        notices.append(f"{path.name} sets no variables for these functions.")
    return result, notices
