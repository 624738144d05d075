"""SAM templates: every function with its settings, Globals merged and intrinsics resolved."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig, environment_problems, name_notice
from workbench.core.project import cfn_yaml, projectfile
from workbench.core.project.folder import load_secrets
from workbench.core.project.handlers import handler_problem
from workbench.core.project.intrinsics import NO_VALUE, Resolver
from workbench.core.project.model import Project, runtime_note, runtime_problem
from workbench.core.settings import atomic_write_text, cache_dir

SERVERLESS = "AWS::Serverless::Function"
PLAIN = "AWS::Lambda::Function"
LAYER_TYPES = ("AWS::Serverless::LayerVersion", "AWS::Lambda::LayerVersion")
# Lists in Globals are added to the function's own (SAM's rule); other lists are replaced.
ADDITIVE_LISTS = ("Layers",)


def merge_globals(globals_: Any, own: Any) -> Any:
    """SAM's Globals rule: maps merge, lists in ADDITIVE_LISTS add up, scalars are overridden."""
    if not isinstance(globals_, dict) or cfn_yaml.intrinsic(globals_):
        return globals_
    merged = dict(globals_)
    for key, value in (own or {}).items():
        if key not in merged:
            merged[key] = value
        elif isinstance(value, dict) and isinstance(merged[key], dict):
            both = [cfn_yaml.intrinsic(v) for v in (value, merged[key])]
            merged[key] = value if any(both) else merge_globals(merged[key], value)
        elif key in ADDITIVE_LISTS and isinstance(value, list) and isinstance(merged[key], list):
            merged[key] = [*merged[key], *value]
        else:
            merged[key] = value
    return merged


def function_globals(template: Any) -> dict:
    globals_ = template.get("Globals") or {}
    found = globals_.get("Function") if isinstance(globals_, dict) else None
    return found if isinstance(found, dict) else {}


def open_sam(
    template_path: Path,
    *,
    with_secrets: bool = True,
    region: str | None = None,
    parameters: dict[str, str] | None = None,
) -> Project:
    """The functions of a SAM template; `parameters` override the template's Defaults."""
    root = template_path.parent
    project = Project(root=root, kind="sam", template=template_path)
    template, _layout = cfn_yaml.load(template_path, warnings=project.warnings)
    if not isinstance(template, dict):
        raise WorkbenchError(f"Template {template_path.name} is not a YAML mapping.")
    resources = template.get("Resources")
    if not isinstance(resources, dict):
        resources = {}
    resolver = Resolver(
        template,
        source=template_path.name,
        region=region or "us-east-1",
        account_id="123456789012",
        stack_name=root.name,
        overrides=parameters,
    )
    reader = _Reader(project, template_path, resources, resolver, function_globals(template))
    for logical_id, resource in resources.items():
        if isinstance(resource, dict) and resource.get("Type") in (SERVERLESS, PLAIN):
            try:
                config = reader.function(str(logical_id), resource)
            except (AttributeError, TypeError, ValueError, RecursionError) as error:
                # A shape no rule above expected: report it, keep opening the rest.
                reason = "it is nested too deeply" if isinstance(error, RecursionError) else error
                project.errors.append(
                    f"{reader.at(resources, logical_id)}: {logical_id} could not be read "
                    f"({reason}); check its Properties."
                )
                continue
            if config is not None:
                project.functions.append(config)
        elif isinstance(resource, dict) and resource.get("Type") == "AWS::Serverless::Application":
            project.warnings.append(
                f"{reader.at(resources, logical_id)}: nested application {logical_id} is not "
                "opened; open its own template to run its functions."
            )
    project.warnings.extend(resolver.warnings)
    if not project.functions and not project.errors and not project.skipped:
        project.warnings.append(
            f"{template_path.name} defines no Lambda functions "
            f"({SERVERLESS} or {PLAIN} with local code)."
        )
    if with_secrets:
        data = projectfile.read_into(project, root)
        for config in project.functions:
            local = projectfile.local_environment(data, config.name)
            if local:
                config.environment.update(local)
                project.local_environment[config.name] = set(local)
            load_secrets(project, config, data)
    return project


class _Reader:
    """Turns one function resource into a FunctionConfig, reporting problems with lines."""

    def __init__(
        self, project: Project, path: Path, resources: dict, resolver: Resolver, globals_: dict
    ) -> None:
        self.project, self.path, self.resources = project, path, resources
        self.resolver, self.globals = resolver, globals_

    def at(self, mapping: Any, key: Any) -> str:
        line = cfn_yaml.line_of(mapping, key)
        return f"{self.path.name} line {line}" if line else self.path.name

    def where(self, name: str, own: dict, key: str) -> str:
        source = own if key in own else self.globals if key in self.globals else None
        place = self.at(source, key) if source is not None else self.at(self.resources, name)
        return f"{place} ({name} {key})"

    def value(self, name: str, own: dict, merged: dict, key: str, default: Any = None) -> Any:
        if key not in merged:
            return default
        value = self.resolver.resolve(merged[key], self.where(name, own, key))
        return default if value is NO_VALUE else value

    def number(self, name: str, own: dict, merged: dict, key: str, default: int) -> int:
        value = self.value(name, own, merged, key, default)
        try:
            return int(value)
        except (TypeError, ValueError):
            self.project.errors.append(
                f"{self.where(name, own, key)}: {key} must be a number, not {value!r}; "
                f"using {default}."
            )
            return default

    def skip(self, name: str, sentence: str) -> None:
        """A function that cannot run here: a warning, and the reason `invoke` gives."""
        self.project.warnings.append(sentence)
        self.project.skipped[name] = sentence

    def function(self, name: str, resource: dict) -> FunctionConfig | None:
        own = resource.get("Properties") or {}
        if not isinstance(own, dict):
            own = {}
        serverless = resource.get("Type") == SERVERLESS
        merged = merge_globals(self.globals, own) if serverless else dict(own)
        here = self.at(self.resources, name)
        if self.value(name, own, merged, "PackageType", "Zip") == "Image":
            self.skip(
                name,
                f"{here}: {name} is a container image function (PackageType: Image); "
                "image functions are not supported yet, so it cannot run here.",
            )
            return None
        handler = self.value(name, own, merged, "Handler", "")
        runtime = self.value(name, own, merged, "Runtime")
        if not isinstance(runtime, str):
            runtime = str(runtime) if isinstance(runtime, (int, float)) else None
        code_dir = self.code_dir(
            name, own, merged, serverless, handler if isinstance(handler, str) else "", runtime
        )
        if code_dir is None:
            return None
        config = FunctionConfig(name=name, handler="", code_dir=code_dir)
        config.handler = handler if isinstance(handler, str) else ""
        if runtime:
            config.runtime = str(runtime)
        else:
            self.project.errors.append(
                f"{here}: {name} has no Runtime; add one (for example python3.12)."
            )
        config.memory_mb = self.number(name, own, merged, "MemorySize", 128)
        config.timeout_s = self.number(name, own, merged, "Timeout", 3)
        if "ReservedConcurrentExecutions" in merged:
            reserved = self.number(name, own, merged, "ReservedConcurrentExecutions", 0)
            config.reserved_concurrency = reserved if reserved >= 0 else None
        architectures = self.value(name, own, merged, "Architectures", ["x86_64"])
        if isinstance(architectures, str) and cfn_yaml.intrinsic(merged.get("Architectures")):
            architectures = [architectures]  # !Ref of a String parameter
        if isinstance(architectures, list) and architectures:
            config.architecture = str(architectures[0])
        else:
            self.project.errors.append(
                f"{self.where(name, own, 'Architectures')}: Architectures of {name} must be a "
                "list such as [arm64]."
            )
        storage = self.value(name, own, merged, "EphemeralStorage", {})
        if isinstance(storage, dict) and "Size" in storage:
            config.ephemeral_storage_mb = self.number(name, storage, storage, "Size", 512)
        elif storage:
            self.project.errors.append(
                f"{self.where(name, own, 'EphemeralStorage')}: EphemeralStorage of {name} "
                "must be a mapping with Size."
            )
        environment = self.value(name, own, merged, "Environment", {})
        variables = environment.get("Variables", {}) if isinstance(environment, dict) else None
        if isinstance(variables, dict):
            config.environment = {str(k): _env_text(v) for k, v in variables.items()}
            self.project.errors.extend(
                environment_problems(config.environment, self.where(name, own, "Environment"))
            )
        else:
            self.project.errors.append(
                f"{self.where(name, own, 'Environment')}: Environment.Variables of {name} "
                "must be a mapping of names to values."
            )
        deploy_name = self.value(name, own, merged, "FunctionName")
        if deploy_name and "${" not in str(deploy_name):
            config.deploy_name = str(deploy_name)
        config.region = self.resolver.pseudo["AWS::Region"]
        config.account_id = self.resolver.pseudo["AWS::AccountId"]
        config.layers = self.layers(name, own, merged)
        metadata = resource.get("Metadata")
        if isinstance(metadata, dict) and isinstance(metadata.get("BuildMethod"), str):
            config.build_method = str(metadata["BuildMethod"])
            properties = metadata.get("BuildProperties")
            config.build_properties = dict(properties) if isinstance(properties, dict) else {}
        condition = resource.get("Condition")
        if isinstance(condition, str) and not self.resolver.condition(condition, here):
            self.project.warnings.append(
                f"{here}: {name} has Condition {condition}, which is false with these parameter "
                "values, so CloudFormation would not create it; it still runs here."
            )
        self.check(name, own, config)
        return config

    def code_dir(
        self,
        name: str,
        own: dict,
        merged: dict,
        serverless: bool,
        handler: str,
        runtime: str | None,
    ) -> Path | None:
        key = "CodeUri" if serverless else "Code"
        where = self.where(name, own, key)
        inline = None
        if serverless and "InlineCode" in merged:
            where = self.where(name, own, "InlineCode")
            inline = self.value(name, own, merged, "InlineCode")
        elif not serverless and key not in merged:
            self.skip(
                name,
                f"{where}: {name} has no Code, so there is nothing to run; add Code with "
                "ZipFile (inline code) or S3Bucket and S3Key, or use AWS::Serverless::Function "
                "with a local CodeUri folder.",
            )
            return None
        uri = self.value(name, own, merged, key, "." if serverless else None)
        if not serverless and isinstance(uri, dict) and "ZipFile" in uri:
            inline = uri["ZipFile"]
        if inline is not None:
            if not isinstance(inline, str) or not inline.strip():
                self.skip(name, f"{where}: the inline code of {name} is empty or not text.")
                return None
            return inline_code_dir(inline, handler, runtime or "")
        s3 = _s3_location(uri)
        if s3:
            self.skip(
                name,
                f"{where}: the code of {name} is in S3 ({s3}), which cannot run locally; "
                "download and unzip it into a folder next to the template and point "
                f"{key} at that folder.",
            )
            return None
        if not isinstance(uri, str):
            self.skip(
                name,
                f"{where}: {key} of {name} is not a local folder ({shown(uri)}); point it at "
                "the folder that holds the code.",
            )
            return None
        path = (self.path.parent / uri).resolve()
        root = self.path.parent.resolve()
        if path != root and root not in path.parents:
            self.project.errors.append(
                f"{where}: {key} {uri!r} of {name} is outside the project folder {root}; "
                "the workbench only runs and packages code inside the project. Move the "
                "code into the project or open the folder that holds both."
            )
            self.project.skipped[name] = self.project.errors[-1]
            return None
        if not path.is_dir():
            what = "is a file, not a folder" if path.exists() else "does not exist"
            self.project.errors.append(
                f"{where}: {key} {uri!r} of {name} {what} (looked for {path})."
            )
        return path

    def layers(self, name: str, own: dict, merged: dict) -> list[Path]:
        found: list[Path] = []
        layers = merged.get("Layers") or []
        if not isinstance(layers, list):
            self.project.errors.append(
                f"{self.where(name, own, 'Layers')}: Layers of {name} must be a list."
            )
            return found
        for item in layers:
            call = cfn_yaml.intrinsic(item)
            layer = self.resources.get(call[1]) if call and call[0] == "Ref" else None
            if isinstance(layer, dict) and layer.get("Type") in LAYER_TYPES:
                properties = layer.get("Properties") or {}
                key = "ContentUri" if layer.get("Type") == LAYER_TYPES[0] else "Content"
                uri = properties.get(key)
                if isinstance(uri, str) and (self.path.parent / uri).is_dir():
                    path = (self.path.parent / uri).resolve()
                    root = self.path.parent.resolve()
                    if path == root or root in path.parents:
                        found.append(path)
                    else:
                        self.project.errors.append(
                            f"{self.where(name, own, 'Layers')}: layer {uri} of {name} is "
                            "outside the project folder; it is not used."
                        )
                    continue
            text = self.resolver.resolve(item, self.where(name, own, "Layers"))
            self.project.warnings.append(
                f"{self.where(name, own, 'Layers')}: layer {text} is not a local folder; "
                "remote layers are not supported yet, so it is not under /opt locally."
            )
        return found

    def check(self, name: str, own: dict, config: FunctionConfig) -> None:
        if not config.handler:
            where = self.where(name, own, "Handler")
            self.project.errors.append(f"{where}: {name} has no Handler.")
        notice = name_notice(config)
        if notice:
            self.project.warnings.append(f"{self.at(self.resources, name)}: {notice}")
        note = runtime_note(config.runtime)
        if note:
            self.project.warnings.append(f"{self.where(name, own, 'Runtime')}: {note}")
        problem = runtime_problem(config.runtime)
        if problem:
            self.project.errors.append(f"{self.where(name, own, 'Runtime')}: {problem}")
        elif config.handler and config.code_dir.is_dir() and not config.build_method:
            # A built function's handler names the build's output, which does not exist yet.
            problem = handler_problem(config.code_dir, config.handler, config.runtime)
            if problem:
                self.project.errors.append(f"{self.where(name, own, 'Handler')}: {problem}")


def _s3_location(uri: Any) -> str | None:
    """s3://bucket/key for an S3 code location (string or Bucket/Key mapping), else None."""
    if isinstance(uri, str):
        return uri if uri.lower().startswith("s3://") else None
    if isinstance(uri, dict):
        bucket = uri.get("Bucket", uri.get("S3Bucket"))
        key = uri.get("Key", uri.get("S3Key"))
        if bucket is not None or key is not None:
            return f"s3://{bucket}/{key}"
    return None


def shown(value: Any) -> str:
    """A value as the user wrote it, for messages (never ruamel's wrapper types)."""
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {shown(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    return repr(getattr(value, "value", value))


def inline_code_dir(code: str, handler: str, runtime: str) -> Path:
    """A cache folder holding InlineCode / Code.ZipFile as a file, as Lambda writes it.

    Lambda puts inline code in a file named after the handler's module (index.py or
    index.js); the folder is keyed by content so edits get a fresh one.
    """
    module = handler.rpartition(".")[0] or "index"
    if not re.fullmatch(r"[A-Za-z0-9_-]+", module):
        module = "index"
    suffix = ".js" if runtime.startswith("nodejs") else ".py"
    digest = hashlib.sha256(f"{module}{suffix}\0{code}".encode()).hexdigest()[:24]
    folder = cache_dir() / "inline-code" / digest
    target = folder / f"{module}{suffix}"
    if not target.is_file():
        atomic_write_text(target, code)
    return folder


def _env_text(value: Any) -> str:
    # CloudFormation passes every variable as a string; YAML true/1 become "true"/"1".
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)
