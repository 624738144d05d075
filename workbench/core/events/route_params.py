"""A REST API event's path, resource and pathParameters kept consistent with each other.

API Gateway fills `resource` with the route's template (`/users/{id}`, `/{proxy+}`) and
`pathParameters` with what the request path put in its placeholders. Given only a path
(`events show apigateway aws-proxy --path users/7`, as with SAM CLI), the event gets
the greedy `/{proxy+}` route, so a handler never sees a path that contradicts its
resource and parameters.
"""

from __future__ import annotations

from typing import Any

ROUTE_PARAMETERS = frozenset({"path", "resource", "path_parameters"})


def consistent_route(values: dict[str, Any], given: set[str]) -> None:
    """Adjust `values` in place when the caller set the path but not the rest."""
    if not set(values) >= ROUTE_PARAMETERS or "path" not in given:
        return
    if isinstance(values["path"], str) and not values["path"].startswith("/"):
        values["path"] = "/" + values["path"]  # SAM's --path users/7 means /users/7
    if "resource" not in given:
        values["resource"] = "/{proxy+}"
    if "path_parameters" not in given:
        # Empty when the route has no placeholders (or the path does not fit it): the
        # event's pathParameters is then null, as API Gateway sends it.
        found = path_parameters(str(values["resource"]), str(values["path"]))
        values["path_parameters"] = found or {}


def path_parameters(resource: str, path: str) -> dict[str, str] | None:
    """What `path` puts in the placeholders of `resource` (None when it has none or no match)."""
    template = resource.strip("/").split("/") if resource.strip("/") else []
    parts = path.strip("/").split("/") if path.strip("/") else []
    found: dict[str, str] = {}
    for index, segment in enumerate(template):
        if segment.startswith("{") and segment.endswith("+}"):
            rest = parts[index:]
            if not rest:
                return None
            found[segment[1:-2]] = "/".join(rest)
            return found
        if index >= len(parts):
            return None
        if segment.startswith("{") and segment.endswith("}"):
            found[segment[1:-1]] = parts[index]
        elif segment != parts[index]:
            return None
    if len(parts) != len(template):
        return None
    return found or None
