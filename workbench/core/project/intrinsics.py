"""Resolve CloudFormation intrinsics locally; what needs a deployed stack becomes a placeholder."""

from __future__ import annotations

import base64
import ipaddress
import re
from typing import Any

from ruamel.yaml.comments import TaggedScalar

from workbench.core.project.cfn_yaml import intrinsic


class _NoValue:
    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE: Any = _NoValue()
_SUB_VAR = re.compile(r"\$\{([^}]*)\}")


def plain_scalar(node: TaggedScalar) -> Any:
    """The Python value of a scalar with a YAML core tag (!!int 5 -> 5), never the wrapper."""
    tag = str(getattr(node.tag, "value", node.tag) or "")
    text = str(node.value)
    converters: dict[str, Any] = {"int": int, "float": float, "bool": _yaml_bool}
    converter = converters.get(tag.rsplit(":", 1)[-1])
    if converter is None:
        return text
    try:
        return converter(text)
    except ValueError:
        return text


def _yaml_bool(text: str) -> bool:
    if text.lower() in ("true", "yes", "on"):
        return True
    if text.lower() in ("false", "no", "off"):
        return False
    raise ValueError(text)


def _truthy(value: Any) -> bool:
    # Fn::Equals gives a bool; a condition written as the string "false" is false too.
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)


class Resolver:
    """Evaluates intrinsics against Parameters' defaults, pseudo parameters and Mappings.

    Anything only a deployed stack knows (a resource's Ref or attribute, an
    export) becomes a visible `${...}` placeholder and adds a sentence to
    `warnings`, so nothing is silently dropped.
    """

    def __init__(
        self,
        template: Any,
        *,
        source: str,
        region: str,
        account_id: str,
        stack_name: str,
        overrides: dict[str, str] | None = None,
    ) -> None:
        self.source = source
        self.warnings: list[str] = []
        parameters = template.get("Parameters") or {}
        if not isinstance(parameters, dict):
            parameters = {}
        self.parameters = {str(k): v for k, v in parameters.items() if isinstance(v, dict)}
        # --parameter-overrides, as `sam local invoke` takes them: they win over Default.
        self.overrides = dict(overrides or {})
        for name in sorted(set(self.overrides) - set(self.parameters)):
            self.warnings.append(
                f"{source}: parameter override {name} names no parameter of the template; "
                "it is not used."
            )
        resources = template.get("Resources") or {}
        self.resources = set(resources) if isinstance(resources, dict) else set()
        self.mappings = template.get("Mappings") or {}
        self.conditions = template.get("Conditions") or {}
        self.pseudo = {
            "AWS::Region": region,
            "AWS::AccountId": account_id,
            "AWS::StackName": stack_name,
            "AWS::StackId": f"arn:aws:cloudformation:{region}:{account_id}:stack/{stack_name}/x",
            "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com",
            "AWS::NotificationARNs": [],
            "AWS::NoValue": NO_VALUE,
        }
        self._where = ""
        self._evaluating: set[str] = set()

    def resolve(self, node: Any, where: str) -> Any:
        """The local value of `node`; `where` names the place for warnings (file, line, field)."""
        self._where = where
        return self._value(node)

    def _warn(self, sentence: str) -> None:
        text = f"{self._where}: {sentence}"
        if text not in self.warnings:
            self.warnings.append(text)

    def _deployed(self, what: str, placeholder: str) -> str:
        self._warn(f"{what} needs a deployed stack; it is {placeholder} when run locally.")
        return placeholder

    def _value(self, node: Any) -> Any:
        found = intrinsic(node)
        if found:
            return self._call(*found)
        if isinstance(node, dict):
            result = {}
            for key, value in node.items():
                resolved = self._value(value)
                if resolved is not NO_VALUE:
                    result[str(key)] = resolved
            return result
        if isinstance(node, list):
            return [v for v in (self._value(item) for item in node) if v is not NO_VALUE]
        if isinstance(node, str):
            return str(node)  # drop ruamel's quoting wrappers
        if isinstance(node, TaggedScalar):
            return plain_scalar(node)  # a YAML core tag such as !!str or !!int
        return node

    def _call(self, name: str, arg: Any) -> Any:
        method = getattr(self, "_fn_" + name.replace("Fn::", "").lower(), None)
        if method is None:
            placeholder = f"${{{name}}}"
            self._warn(f"{name} is not supported locally; it is {placeholder} when run locally.")
            return placeholder
        try:
            return method(arg)
        except (ValueError, TypeError, IndexError, KeyError, AttributeError):
            short = name.replace("Fn::", "")
            self._warn(f"!{short} has arguments of the wrong shape; it is empty locally.")
            return ""

    def _fn_ref(self, name: Any) -> Any:
        name = str(name)
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            return self._parameter(name)
        if name in self.resources:
            return self._deployed(f"Ref {name} (a resource)", f"${{{name}}}")
        self._warn(f"Ref {name} names nothing in the template; it is ${{{name}}} locally.")
        return f"${{{name}}}"

    def _parameter(self, name: str) -> Any:
        parameter = self.parameters[name]
        if name in self.overrides:
            value: Any = self.overrides[name]
        elif "Default" in parameter:
            if "Parameters." + name in self._evaluating:
                self._warn(
                    f"the Default of parameter {name} refers to itself; it is empty locally. "
                    f"Give it a plain value or pass --parameter-overrides {name}=VALUE."
                )
                return ""
            self._evaluating.add("Parameters." + name)
            try:
                value = self._value(parameter["Default"])
            finally:
                self._evaluating.discard("Parameters." + name)
        else:
            self._warn(
                f"parameter {name} has no Default, so it is empty locally; pass "
                f"--parameter-overrides {name}=VALUE (or set a Default)."
            )
            value = ""
        kind = str(parameter.get("Type", ""))
        if (kind == "CommaDelimitedList" or kind.startswith("List<")) and isinstance(value, str):
            return [part.strip() for part in value.split(",")] if value else []
        return value

    def condition(self, name: str, where: str) -> bool:
        """The value of a named condition under the parameter values (False when unknown)."""
        self._where = where
        return self._fn_condition(name)

    def _fn_getatt(self, arg: Any) -> str:
        parts = [str(p) for p in arg] if isinstance(arg, list) else str(arg).split(".", 1)
        text = ".".join(parts)
        return self._deployed(f"GetAtt {text}", f"${{{text}}}")

    def _fn_importvalue(self, arg: Any) -> str:
        name = self._value(arg)
        return self._deployed(f"ImportValue {name}", f"${{ImportValue:{name}}}")

    def _fn_sub(self, arg: Any) -> str:
        text, variables = (arg[0], arg[1] or {}) if isinstance(arg, list) else (arg, {})

        def replace(match: re.Match[str]) -> str:
            var = match.group(1)
            if var.startswith("!"):
                return "${" + var[1:] + "}"  # ${!Literal} is written literally
            if var in variables:
                return str(self._value(variables[var]))
            if "." in var and not var.startswith("AWS::"):
                return self._fn_getatt(var)
            value = self._fn_ref(var)
            return "" if value is NO_VALUE else str(value)

        return _SUB_VAR.sub(replace, str(text))

    def _fn_join(self, arg: Any) -> str:
        delimiter, items = arg
        values = self._value(items)
        if not isinstance(values, list):
            values = [values]
        return str(delimiter).join(str(v) for v in values)

    def _fn_select(self, arg: Any) -> Any:
        index, items = self._value(arg[0]), self._value(arg[1])
        try:
            return items[int(index)]
        except (IndexError, ValueError, TypeError, KeyError):
            self._warn(f"Select index {index} is outside the list; it is empty locally.")
            return ""

    def _fn_split(self, arg: Any) -> list[str]:
        return str(self._value(arg[1])).split(str(arg[0]))

    def _fn_base64(self, arg: Any) -> str:
        return base64.b64encode(str(self._value(arg)).encode()).decode()

    def _fn_getazs(self, arg: Any) -> list[str]:
        region = self._value(arg) or self.pseudo["AWS::Region"]
        return [f"{region}{zone}" for zone in "abc"]

    def _fn_cidr(self, arg: Any) -> list[str]:
        block, count, bits = (self._value(a) for a in arg)
        network = ipaddress.ip_network(str(block), strict=False)
        subnets = network.subnets(new_prefix=network.max_prefixlen - int(bits))
        return [str(next(subnets)) for _ in range(int(count))]

    def _fn_findinmap(self, arg: Any) -> Any:
        keys = [self._value(a) for a in arg[:3]]
        try:
            return self._value(self.mappings[keys[0]][keys[1]][keys[2]])
        except (KeyError, TypeError):
            text = ".".join(str(k) for k in keys)
            self._warn(f"FindInMap {text} is not in the template's Mappings; it is empty locally.")
            return ""

    def _fn_if(self, arg: Any) -> Any:
        condition, when_true, when_false = arg
        return self._value(when_true if self._fn_condition(condition) else when_false)

    def _fn_condition(self, name: Any) -> bool:
        name = str(name)
        if name not in self.conditions or name in self._evaluating:
            self._warn(f"Condition {name} is not defined; it counts as false locally.")
            return False
        self._evaluating.add(name)
        try:
            return _truthy(self._value(self.conditions[name]))
        finally:
            self._evaluating.discard(name)

    def _fn_equals(self, arg: Any) -> bool:
        left, right = (self._value(a) for a in arg)
        return str(left) == str(right)

    def _fn_not(self, arg: Any) -> bool:
        return not self._value(arg[0] if isinstance(arg, list) else arg)

    def _fn_and(self, arg: Any) -> bool:
        return all(self._value(a) for a in arg)

    def _fn_or(self, arg: Any) -> bool:
        return any(self._value(a) for a in arg)
