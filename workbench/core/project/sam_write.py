"""Write a function's edited settings back into its SAM template, keeping comments and layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import ScalarString

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.project import cfn_yaml
from workbench.core.project.model import Project
from workbench.core.project.sam import PLAIN, SERVERLESS, function_globals, open_sam

# FunctionConfig attribute -> property path in the template (same for SAM and plain Lambda).
PATHS: dict[str, tuple[str, ...]] = {
    "handler": ("Handler",),
    "runtime": ("Runtime",),
    "memory_mb": ("MemorySize",),
    "timeout_s": ("Timeout",),
    "architecture": ("Architectures",),
    "ephemeral_storage_mb": ("EphemeralStorage", "Size"),
}
FIXED = {"code_dir": "CodeUri", "layers": "Layers", "deploy_name": "FunctionName"}


def write_function(project: Project, config: FunctionConfig, local: set[str]) -> None:
    """Change only what differs from the template; refuse (WorkbenchError) when impossible."""
    template = project.template
    assert template is not None
    text = cfn_yaml.read_text(template)
    duplicates: list[str] = []
    data, layout = cfn_yaml.load(template, text, duplicates)
    if duplicates:
        # Writing back would silently drop the keys SAM ignores; let the user choose.
        raise WorkbenchError(
            f"{duplicates[0]} Remove the duplicate key from {template.name} before changing "
            "settings here, so nothing you wrote is dropped."
        )
    current = {f.name: f for f in open_sam(template, with_secrets=False).functions}
    if config.name not in current:
        raise WorkbenchError(
            f"{template.name} no longer has a function {config.name!r}; reopen the project."
        )
    before = current[config.name]
    resource = data["Resources"][config.name]
    if not isinstance(resource.get("Properties") or {}, dict):
        raise WorkbenchError(
            f"Properties of {config.name} in {template.name} is not a mapping; fix the template."
        )
    editor = _Editor(template, config.name, resource, data)
    for attr, label in FIXED.items():
        if getattr(config, attr) != getattr(before, attr):
            raise WorkbenchError(
                f"{label} of {config.name} can only be changed in {template.name} itself; "
                "edit the template and reopen the project."
            )
    for attr, path in PATHS.items():
        new = getattr(config, attr)
        if new != getattr(before, attr):
            editor.change(path, [new] if attr == "architecture" else new)
    editor.environment(before.environment, config.environment, config.secret_names, local)
    if editor.changed:
        cfn_yaml.write(template, data, layout)


class _Editor:
    """Edits one function resource in the loaded round-trip document."""

    def __init__(self, template: Path, name: str, resource: Any, data: Any) -> None:
        self.template, self.name = template, name
        serverless = resource.get("Type") == SERVERLESS
        assert serverless or resource.get("Type") == PLAIN
        if "Properties" not in resource or resource["Properties"] is None:
            resource["Properties"] = CommentedMap()
        self.own = resource["Properties"]
        self.globals = function_globals(data) if serverless else {}
        self.changed = False

    def _line(self, mapping: Any, key: str) -> str:
        line = cfn_yaml.line_of(mapping, key)
        return f"{self.template.name} line {line}" if line else self.template.name

    def _refuse_intrinsic(self, mapping: Any, key: str, label: str) -> None:
        call = cfn_yaml.intrinsic(mapping[key])
        if call:
            short = call[0].replace("Fn::", "")
            raise WorkbenchError(
                f"{label} of {self.name} is computed by !{short} at {self._line(mapping, key)}; "
                "change it in the template (or the parameter's Default) instead."
            )

    def _refuse_globals(self, key: str, label: str, hint: str = "") -> None:
        hint = hint or f"add {key} to {self.name}'s Properties"
        raise WorkbenchError(
            f"{label} of {self.name} comes from Globals.Function at "
            f"{self._line(self.globals, key)} and is shared by every function; change it there, "
            f"or {hint} in {self.template.name}."
        )

    def change(self, path: tuple[str, ...], value: Any) -> None:
        label = ".".join(path)
        key = path[0]
        if key in self.own:
            self._refuse_intrinsic(self.own, key, label)
            if len(path) == 2:
                parent = self.own[key]
                if not isinstance(parent, dict):
                    raise WorkbenchError(f"{label} of {self.name} is not a mapping in the template")
                if path[1] in parent:
                    self._refuse_intrinsic(parent, path[1], label)
                self._put(parent, path[1], value)
            else:
                self._put(self.own, key, value)
        elif key in self.globals:
            self._refuse_globals(key, label)
        else:
            self._put(self.own, key, value if len(path) == 1 else CommentedMap({path[1]: value}))

    def _put(self, mapping: Any, key: str, value: Any) -> None:
        old = mapping.get(key)
        if isinstance(old, list) and isinstance(value, list) and len(old) == len(value) == 1:
            old[0] = _like(old[0], value[0])  # keeps the list's flow or block style
        else:
            mapping[key] = _like(old, value)
        self.changed = True

    def environment(
        self, before: dict[str, str], after: dict[str, str], secrets: set[str], local: set[str]
    ) -> None:
        """Write `after` over the template's `before`; secret and local names stay out."""
        outside = secrets | local
        wanted = {k: v for k, v in after.items() if k not in outside}
        if wanted == {k: v for k, v in before.items() if k not in outside} and not secrets:
            return
        own_vars = self._own_variables(create=False)
        global_vars = (self.globals.get("Environment") or {}).get("Variables") or {}
        for key in before:
            if key in wanted or key in outside:
                continue
            if own_vars is not None and key in own_vars:
                del own_vars[key]
                self.changed = True
            else:
                self._refuse_globals(
                    "Environment", f"Environment variable {key}", self._env_hint(key)
                )
        for key, value in wanted.items():
            if before.get(key) == value:
                continue
            if own_vars is not None and key in own_vars:
                self._refuse_intrinsic(own_vars, key, f"Environment variable {key}")
            elif key in global_vars:
                self._refuse_globals(
                    "Environment", f"Environment variable {key}", self._env_hint(key)
                )
            own_vars = self._own_variables(create=True)
            self._put(own_vars, key, value)
        # A secret's value never stays in the template; its declaration does (empty).
        for key in secrets - local:
            if own_vars is None or key not in own_vars or cfn_yaml.intrinsic(own_vars[key]):
                continue
            if own_vars[key] != "":
                self._put(own_vars, key, "")

    def _env_hint(self, key: str) -> str:
        return f"set {key} under {self.name}'s own Environment.Variables"

    def _own_variables(self, *, create: bool) -> Any:
        environment = self.own.get("Environment")
        if environment is not None and cfn_yaml.intrinsic(environment):
            self._refuse_intrinsic(self.own, "Environment", "Environment")
        if environment is None:
            if not create:
                return None
            environment = self.own["Environment"] = CommentedMap()
        variables = environment.get("Variables")
        if variables is not None and cfn_yaml.intrinsic(variables):
            self._refuse_intrinsic(environment, "Variables", "Environment")
        if variables is None:
            if not create:
                return None
            variables = environment["Variables"] = CommentedMap()
        return variables


def _like(old: Any, new: Any) -> Any:
    """`new` written in the same quoting style as `old` (a quoted string stays quoted)."""
    if isinstance(old, ScalarString) and isinstance(new, str):
        return type(old)(new)
    return new


def read_only_fields(project: Project, name: str) -> dict[str, str]:
    """Settings of `name` the window cannot write back, each with the sentence saying why.

    Keys are FunctionConfig attributes ("memory_mb", ...), FIXED attributes, and
    "env:NAME" for an environment variable that comes from Globals or an intrinsic.
    """
    template = project.template
    if project.kind != "sam" or template is None:
        return {}
    try:
        data, _layout = cfn_yaml.load(template, cfn_yaml.read_text(template))
        resource = data["Resources"][name]
    except (WorkbenchError, KeyError, TypeError):
        return {}
    own = resource.get("Properties") or {}
    own = own if isinstance(own, dict) else {}
    serverless = resource.get("Type") == SERVERLESS
    globals_ = function_globals(data) if serverless else {}
    where = template.name
    out = {attr: f"{label} is set in {where} itself." for attr, label in FIXED.items()}

    def reason(mapping: Any, key: str, label: str, from_globals: bool) -> str | None:
        line = cfn_yaml.line_of(mapping, key)
        at = f"{where} line {line}" if line else where
        call = cfn_yaml.intrinsic(mapping[key])
        if call:
            return f"{label} is computed by !{call[0].replace('Fn::', '')} at {at}."
        if from_globals:
            return f"{label} comes from Globals.Function at {at}, shared by every function."
        return None

    for attr, path in PATHS.items():
        key = path[0]
        if key in own:
            found = reason(own, key, key, False)
        elif key in globals_:
            found = reason(globals_, key, key, True)
        else:
            found = None
        if found:
            out[attr] = found
    own_vars = (own.get("Environment") or {}) if isinstance(own.get("Environment"), dict) else {}
    own_vars = own_vars.get("Variables") or {}
    global_env = globals_.get("Environment") or {}
    global_vars = global_env.get("Variables") or {} if isinstance(global_env, dict) else {}
    for mapping, from_globals in ((global_vars, True), (own_vars, False)):
        if not isinstance(mapping, dict):
            continue
        for key in mapping:
            if from_globals and isinstance(own_vars, dict) and key in own_vars:
                continue
            found = reason(mapping, str(key), f"Environment variable {key}", from_globals)
            if found:
                out[f"env:{key}"] = found
    return out
