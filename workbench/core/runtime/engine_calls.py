"""Containers, images and networks through engine_http: the shapes the runners use.

`create` takes the keyword options the runners build (the Docker SDK's names, which
read well and which tests and the debugger adjust) and sends the Engine API's body.
Only the options the workbench uses are known; any other is a programming error.
"""

from __future__ import annotations

from typing import Any

from workbench.core.runtime.engine_http import Engine

_UNITS = {"b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def bind(target: str, source: str, read_only: bool = False) -> dict[str, Any]:
    """A bind mount, as the Engine API's HostConfig.Mounts entry."""
    return {"Target": target, "Source": source, "Type": "bind", "ReadOnly": read_only}


def _bytes(value: int | str) -> int:
    if isinstance(value, int):
        return value
    text = value.strip().lower()
    if text[-1:] in _UNITS:
        return int(text[:-1]) * _UNITS[text[-1]]
    return int(text)


def create_body(image: str, options: dict[str, Any]) -> dict[str, Any]:
    """The POST /containers/create body for `image` and the runners' keyword options."""
    options = dict(options)
    host: dict[str, Any] = {}
    config: dict[str, Any] = {
        "Image": image,
        "AttachStdin": False,
        "AttachStdout": False,
        "AttachStderr": False,
        "OpenStdin": bool(options.pop("stdin_open", False)),
        "Tty": bool(options.pop("tty", False)),
    }
    options.pop("detach", None)  # always detached: the runners attach themselves
    simple_config = {
        "command": "Cmd",
        "entrypoint": "Entrypoint",
        "user": "User",
        "working_dir": "WorkingDir",
        "labels": "Labels",
    }
    simple_host = {
        "read_only": "ReadonlyRootfs",
        "security_opt": "SecurityOpt",
        "cap_drop": "CapDrop",
        "pids_limit": "PidsLimit",
        "init": "Init",
        "tmpfs": "Tmpfs",
        "cpu_period": "CpuPeriod",
        "cpu_quota": "CpuQuota",
        "network_mode": "NetworkMode",
    }
    for name in list(options):
        if options[name] is None:
            del options[name]
        elif name in simple_config:
            config[simple_config[name]] = options.pop(name)
        elif name in simple_host:
            host[simple_host[name]] = options.pop(name)
    if "environment" in options:
        config["Env"] = [f"{k}={v}" for k, v in options.pop("environment").items()]
    if "mounts" in options:
        host["Mounts"] = [dict(mount) for mount in options.pop("mounts")]
    if "mem_limit" in options:
        host["Memory"] = _bytes(options.pop("mem_limit"))
    if "memswap_limit" in options:
        host["MemorySwap"] = _bytes(options.pop("memswap_limit"))
    if "extra_hosts" in options:
        host["ExtraHosts"] = [f"{k}:{v}" for k, v in options.pop("extra_hosts").items()]
    if "network" in options:
        network = options.pop("network")
        host["NetworkMode"] = network
        config["NetworkingConfig"] = {"EndpointsConfig": {network: {}}}
    if options:
        raise TypeError(f"unknown container options: {sorted(options)}")
    config["HostConfig"] = host
    return config


class Container:
    """One container: its id, its last inspect data (`attrs`) and what the runners do to it."""

    def __init__(self, engine: Engine, container_id: str, attrs: dict[str, Any] | None = None):
        self.engine = engine
        self.id = container_id
        self.attrs: dict[str, Any] = attrs or {}

    @property
    def labels(self) -> dict[str, str]:
        return dict(
            (self.attrs.get("Config") or {}).get("Labels") or self.attrs.get("Labels") or {}
        )

    def reload(self) -> None:
        self.attrs = self.engine.call("GET", f"/containers/{self.id}/json")

    def start(self) -> None:
        self.engine.call("POST", f"/containers/{self.id}/start")

    def wait(self, timeout: float | None = None) -> dict[str, Any]:
        return dict(self.engine.call("POST", f"/containers/{self.id}/wait", timeout=timeout))

    def kill(self) -> None:
        self.engine.call("POST", f"/containers/{self.id}/kill")

    def remove(self, force: bool = False) -> None:
        self.engine.call("DELETE", f"/containers/{self.id}", query={"force": force})

    def update(self, **values: int) -> None:
        names = {"cpu_period": "CpuPeriod", "cpu_quota": "CpuQuota"}
        self.engine.call(
            "POST", f"/containers/{self.id}/update", body={names[k]: v for k, v in values.items()}
        )

    def stats(self) -> dict[str, Any]:
        query = {"stream": False, "one-shot": True}
        return dict(self.engine.call("GET", f"/containers/{self.id}/stats", query=query))


def create(engine: Engine, image: str, **options: Any) -> Container:
    answer = engine.call("POST", "/containers/create", body=create_body(image, options))
    return Container(engine, str(answer["Id"]))


def list_containers(engine: Engine, label: str) -> list[Container]:
    """Every container (running or not) that has `label` (key=value)."""
    query = {"all": True, "filters": {"label": [label]}}
    found = engine.call("GET", "/containers/json", query=query) or []
    return [Container(engine, str(item["Id"]), item) for item in found]


def image(engine: Engine, name: str) -> dict[str, Any]:
    """The image's inspect data (raises NotFound)."""
    return dict(engine.call("GET", f"/images/{name}/json"))


def images(engine: Engine) -> list[dict[str, Any]]:
    return list(engine.call("GET", "/images/json") or [])


def network(engine: Engine, name: str) -> dict[str, Any]:
    return dict(engine.call("GET", f"/networks/{name}"))


def create_network(engine: Engine, name: str, labels: dict[str, str], options: dict[str, str]):
    body = {
        "Name": name,
        "Driver": "bridge",
        "Labels": labels,
        "Options": options,
        "CheckDuplicate": True,
    }
    engine.call("POST", "/networks/create", body=body)
    return network(engine, name)
