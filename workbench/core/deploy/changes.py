"""What a deploy will change: the local FunctionConfig against the function on AWS."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from workbench.core.function import FunctionConfig

MASK = "******"


@dataclass
class Change:
    """One setting that differs; values are display strings (secrets masked)."""

    setting: str
    old: str
    new: str

    def sentence(self) -> str:
        return f"{self.setting}: {self.old} -> {self.new}"

    def to_json_dict(self) -> dict[str, str]:
        return asdict(self)


def desired_configuration(function: FunctionConfig) -> dict[str, Any]:
    """The update_function_configuration arguments the local settings ask for."""
    return {
        "Handler": function.handler,
        "Runtime": function.runtime,
        "MemorySize": function.memory_mb,
        "Timeout": function.timeout_s,
        "Environment": {"Variables": dict(function.environment)},
        "EphemeralStorage": {"Size": function.ephemeral_storage_mb},
    }


def _show(value: Any) -> str:
    return "(none)" if value is None else str(value)


def configuration_changes(function: FunctionConfig, current: dict[str, Any]) -> list[Change]:
    """Differences between the local settings and get_function's Configuration."""
    changes: list[Change] = []
    pairs = [
        ("handler", current.get("Handler"), function.handler),
        ("runtime", current.get("Runtime"), function.runtime),
        ("memory (MB)", current.get("MemorySize"), function.memory_mb),
        ("timeout (s)", current.get("Timeout"), function.timeout_s),
        (
            "ephemeral storage (MB)",
            current.get("EphemeralStorage", {}).get("Size", 512),
            function.ephemeral_storage_mb,
        ),
        ("architecture", (current.get("Architectures") or ["x86_64"])[0], function.architecture),
    ]
    for setting, old, new in pairs:
        if old != new:
            changes.append(Change(setting, _show(old), _show(new)))
    old_env = current.get("Environment", {}).get("Variables", {}) or {}
    new_env = function.environment
    for key in sorted(set(old_env) | set(new_env)):
        if old_env.get(key) == new_env.get(key):
            continue
        secret = key in function.secret_names

        def show(value: str | None, secret: bool = secret) -> str:
            if value is None:
                return "(not set)"
            return MASK if secret else repr(value)

        changes.append(Change(f"environment {key}", show(old_env.get(key)), show(new_env.get(key))))
    return changes


def new_function_changes(function: FunctionConfig) -> list[Change]:
    """Everything a create sets, for the confirmation (secrets masked)."""
    fresh: dict[str, Any] = {"Environment": {"Variables": {}}, "EphemeralStorage": {}}
    changes = configuration_changes(function, fresh)
    return [c for c in changes if c.old != c.new]
