"""lambda-workbench.json: a plain folder's function settings and any project's secret names."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig, environment_problems
from workbench.core.project.model import PROJECT_FILE
from workbench.core.settings import atomic_write_text

VERSION = 1

# JSON key -> (FunctionConfig attribute, type); the same names the CLI prints.
FIELDS: dict[str, tuple[str, type]] = {
    "handler": ("handler", str),
    "runtime": ("runtime", str),
    "memorySizeMb": ("memory_mb", int),
    "timeoutSeconds": ("timeout_s", int),
    "architecture": ("architecture", str),
    "ephemeralStorageMb": ("ephemeral_storage_mb", int),
}


# lambda-workbench.json is a small settings file; anything bigger is not one.
MAX_PROJECT_FILE_BYTES = 1024 * 1024


def read(root: Path) -> dict[str, Any]:
    """The project file's content ({} when absent); WorkbenchError when it is not valid JSON."""
    path = root / PROJECT_FILE
    if not path.exists():
        return {}
    try:
        if not path.is_file():
            raise WorkbenchError(f"{path} is not a regular file; replace it with a JSON file.")
        with path.open("rb") as handle:
            raw = handle.read(MAX_PROJECT_FILE_BYTES + 1)
        if len(raw) > MAX_PROJECT_FILE_BYTES:
            raise WorkbenchError(
                f"{path} is over 1 MB, which no settings file needs; fix it, the project's "
                "settings are not used until then."
            )
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise WorkbenchError(
            f"{path} is nested too deeply to read; fix it, the project's settings are not "
            "used until then."
        ) from None
    except ValueError as error:
        raise WorkbenchError(
            f"{path} is not valid JSON ({error}); fix it, the project's settings are not "
            "saved until then."
        ) from error
    except OSError as error:
        raise WorkbenchError(f"{path} could not be read: {error.strerror}.") from error
    if not isinstance(data, dict):
        raise WorkbenchError(f"{path} must hold a JSON object; fix it before saving settings.")
    return data


def read_into(project: Any, root: Path) -> dict[str, Any]:
    """Read the project file; a broken one becomes a project error and an empty dict."""
    try:
        data = read(root)
    except WorkbenchError as error:
        project.errors.append(str(error))
        data = {}
    project.errors.extend(problems(data))
    project.secret_store = secret_store(data)
    return data


def write(root: Path, data: dict[str, Any]) -> None:
    data = {"version": VERSION, **{k: v for k, v in data.items() if k != "version"}}
    atomic_write_text(root / PROJECT_FILE, json.dumps(data, indent=2) + "\n")


def _object(data: dict[str, Any], key: str) -> dict[str, Any]:
    value = data.get(key)
    return value if isinstance(value, dict) else {}


def problems(data: dict[str, Any]) -> list[str]:
    """Sentences for top-level fields of the wrong type (they are ignored)."""
    found = []
    for key, kind in (("functions", list), ("secrets", dict), ("localEnvironment", dict)):
        if key in data and not isinstance(data[key], kind):
            what = "a list" if kind is list else "an object"
            found.append(f"{PROJECT_FILE}: {key} must be {what}, not {data[key]!r}; it is ignored.")
    names = _object(data, "secrets").get("names")
    if names is not None and not isinstance(names, dict):
        found.append(f"{PROJECT_FILE}: secrets.names must be an object; it is ignored.")
    return found


def secret_names(data: dict[str, Any], function: str) -> set[str]:
    names = _object(_object(data, "secrets"), "names").get(function, [])
    return {str(n) for n in names} if isinstance(names, list) else set()


def secret_store(data: dict[str, Any]) -> str:
    store = _object(data, "secrets").get("store", "file")
    return store if store in ("keyring", "file") else "file"


def secrets_section(data: dict[str, Any]) -> dict[str, Any]:
    """data["secrets"], replaced by a fresh one when it is not an object (a problem said)."""
    if not isinstance(data.get("secrets"), dict):
        data["secrets"] = {"store": "file", "names": {}}
    return data["secrets"]


def set_secret_names(data: dict[str, Any], function: str, names: set[str]) -> None:
    secrets = secrets_section(data)
    if not isinstance(secrets.get("names"), dict):
        secrets["names"] = {}
    all_names = secrets["names"]
    if names:
        all_names[function] = sorted(names)
    else:
        all_names.pop(function, None)


def local_environment(data: dict[str, Any], function: str) -> dict[str, str]:
    values = data.get("localEnvironment", {})
    values = values.get(function, {}) if isinstance(values, dict) else {}
    return {str(k): str(v) for k, v in values.items()} if isinstance(values, dict) else {}


def set_local_environment(data: dict[str, Any], function: str, values: dict[str, str]) -> None:
    if not isinstance(data.get("localEnvironment"), dict):
        data["localEnvironment"] = {}
    local = data["localEnvironment"]
    if values:
        local[function] = dict(sorted(values.items()))
    else:
        local.pop(function, None)
    if not local:
        data.pop("localEnvironment")


def function_from_json(root: Path, entry: dict[str, Any], problems: list[str]) -> FunctionConfig:
    """One FunctionConfig from a project-file entry; bad fields are reported and defaulted."""
    name = str(entry.get("name") or root.name)
    code_dir = (root / str(entry.get("codeDir", "."))).resolve()
    if code_dir != root.resolve() and root.resolve() not in code_dir.parents:
        problems.append(
            f"{PROJECT_FILE}: codeDir {entry.get('codeDir')!r} of {name} is outside the project "
            "folder; the workbench only runs and packages code inside it. Using the project "
            "folder."
        )
        code_dir = root.resolve()
    config = FunctionConfig(name=name, handler="", code_dir=code_dir)
    config.handler = str(entry.get("handler") or "lambda_function.lambda_handler")
    for key, (attr, kind) in FIELDS.items():
        if key not in entry or key == "handler":
            continue
        value = entry[key]
        if not isinstance(value, kind) or isinstance(value, bool):
            problems.append(
                f"{PROJECT_FILE}: {key} of {name} must be a {kind.__name__}, not {value!r}; "
                "using the default."
            )
            continue
        setattr(config, attr, value)
    environment = entry.get("environment", {})
    if isinstance(environment, dict):
        config.environment = {str(k): str(v) for k, v in environment.items()}
        problems.extend(environment_problems(config.environment, f"{PROJECT_FILE}: {name}"))
    else:
        problems.append(f"{PROJECT_FILE}: environment of {name} must be an object.")
    if entry.get("deployName"):
        config.deploy_name = str(entry["deployName"])
    layers = entry.get("layers", []) or []
    if not isinstance(layers, list) or not all(isinstance(p, str) for p in layers):
        problems.append(
            f"{PROJECT_FILE}: layers of {name} must be a list of folder paths, not "
            f"{layers!r}; no layers are used."
        )
        layers = []
    config.layers = [(root / p).resolve() for p in layers]
    return config


def function_to_json(root: Path, config: FunctionConfig) -> dict[str, Any]:
    """The project-file entry of a function; secret values are left out."""
    entry: dict[str, Any] = {"name": config.name}
    code_dir = _relative(root, config.code_dir)
    if code_dir != ".":
        entry["codeDir"] = code_dir
    for key, (attr, _kind) in FIELDS.items():
        entry[key] = getattr(config, attr)
    entry["environment"] = {
        k: v for k, v in config.environment.items() if k not in config.secret_names
    }
    if config.deploy_name:
        entry["deployName"] = config.deploy_name
    if config.layers:
        entry["layers"] = [_relative(root, p) for p in config.layers]
    return entry


def _relative(root: Path, path: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix() or "."
    except ValueError:
        return str(path)


def deploy_endpoint(data: dict[str, Any]) -> str:
    """The project's own deploy endpoint ("deploy": {"endpointUrl": ...}), or ""."""
    deploy = data.get("deploy")
    value = deploy.get("endpointUrl", "") if isinstance(deploy, dict) else ""
    return value if isinstance(value, str) else ""


def set_deploy_endpoint(data: dict[str, Any], url: str) -> None:
    deploy = data.get("deploy")
    deploy = deploy if isinstance(deploy, dict) else {}
    if url:
        deploy["endpointUrl"] = url
    else:
        deploy.pop("endpointUrl", None)
    if deploy:
        data["deploy"] = deploy
    else:
        data.pop("deploy", None)
