"""Where a function's container lives on the network, and where its Runtime API listens.

Modes (README "Networking"):
- isolated (default): the workbench's own bridge network, containers there cannot talk to
  each other (no inter-container traffic) nor reach the host's loopback; each environment's
  Runtime API listens on the bridge's gateway and accepts only its own container's address.
- a named Docker network (--docker-network NAME, as in SAM CLI): the same, on that network.
- host (--network host): the host's network namespace, so the host's loopback services are
  reachable; the Runtime API is on loopback and cannot tell environments apart by address.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.runtime import engine_calls
from workbench.core.runtime.docker_engine import Networking
from workbench.core.runtime.engine_http import EngineError, NotFound

NETWORK = "lambda-workbench"  # the workbench's own bridge, created on first use
NETWORK_LABEL = "lambda-workbench"
MODES = ("isolated", "host")
_gateways: dict[str, str] = {}
_gateways_lock = threading.Lock()


@dataclass(frozen=True)
class NetworkPlan:
    """How one container is attached, and where its Runtime API must listen."""

    network: str | None  # Docker network to join at creation (None: network_mode host)
    api_host: str | None  # host address to serve the Runtime API on (None: loopback as given)
    restrict_peer: bool  # accept only the container's own address on that network

    def create_options(self) -> dict[str, Any]:
        if self.network is None:
            return {"network_mode": "host"}
        # host.docker.internal reaches services the host exposes on its own addresses (not its
        # loopback), as with SAM CLI.
        return {"network": self.network, "extra_hosts": {"host.docker.internal": "host-gateway"}}


def plan(client: Any, net: Networking, mode: str = "isolated", name: str = "") -> NetworkPlan:
    """Decide the network for a container from the settings `network` and `docker_network`."""
    if mode not in MODES:
        raise WorkbenchError(f"Unknown network mode {mode!r}: use isolated or host.")
    if name == "host" or (mode == "host" and not name):
        if net.desktop:
            # Docker Desktop's host network is the VM's; the host is host.docker.internal.
            return NetworkPlan(NETWORK, None, restrict_peer=False)
        return NetworkPlan(None, None, restrict_peer=False)
    if net.desktop or net.host_address != "127.0.0.1":
        # The engine runs in a VM (Desktop) or in RootlessKit's namespace: the bridge's gateway
        # is not an address of this machine, so the Runtime API stays on loopback (reached via
        # host.docker.internal / 10.0.2.2) and cannot check peers. README says so.
        if net.host_network:
            return NetworkPlan(None, None, restrict_peer=False)
        gateway(client, name or NETWORK, create=not name)  # creates ours on first use
        return NetworkPlan(name or NETWORK, None, restrict_peer=False)
    network = name or NETWORK
    return NetworkPlan(network, gateway(client, network, create=not name), restrict_peer=True)


def gateway(client: Any, name: str, create: bool) -> str:
    """The host's address on a bridge network (created, labelled, when it is ours)."""
    with _gateways_lock:
        if name in _gateways:
            return _gateways[name]
    try:
        found = _get_or_create(client, name, create)
        configs = (found.get("IPAM") or {}).get("Config") or []
    except EngineError as error:
        raise WorkbenchError(
            f"Docker could not set up the network {name}: "
            f"{getattr(error, 'explanation', None) or error}"
        ) from error
    for config in configs:
        address = str(config.get("Gateway") or "")
        if address and ":" not in address:  # IPv4: the Runtime API server is IPv4
            with _gateways_lock:
                _gateways[name] = address
            return address
    raise WorkbenchError(
        f"The Docker network {name} has no IPv4 gateway on this machine, so a container on it "
        "cannot reach the workbench's Runtime API. Use a bridge network (docker network create "
        f"{name}) or --network host."
    )


def _get_or_create(client: Any, name: str, create: bool) -> dict[str, Any]:
    try:
        return engine_calls.network(client, name)
    except NotFound:
        if not create:
            raise WorkbenchError(
                f"There is no Docker network called {name}. Create it with 'docker network "
                f"create {name}' (or start the compose project that defines it), or leave out "
                "--docker-network."
            ) from None
    try:
        return engine_calls.create_network(
            client,
            name,
            labels={NETWORK_LABEL: "1"},
            # Functions must not reach each other's containers.
            options={"com.docker.network.bridge.enable_icc": "false"},
        )
    except EngineError as error:
        if error.status != 409:  # another workbench created it meanwhile
            raise
        return engine_calls.network(client, name)


def container_address(attrs: dict[str, Any], network: str) -> str | None:
    """The container's IPv4 address on `network`, from its inspect data."""
    networks = (attrs.get("NetworkSettings") or {}).get("Networks") or {}
    address = (networks.get(network) or {}).get("IPAddress")
    return str(address) if address else None


def forget() -> None:
    """Drop cached gateways (the network was removed)."""
    with _gateways_lock:
        _gateways.clear()
