"""What `serve` serves: APIs, their routes, authorizers and CORS, read from a project."""

from __future__ import annotations

from dataclasses import dataclass, field

# Route kinds, as printed in the route table and in `--output json`.
REST, HTTP, URL = "rest", "http", "url"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


@dataclass(frozen=True)
class Cors:
    """CORS as API Gateway (Cors / CorsConfiguration) or a function URL (Cors) answers it."""

    allow_origins: tuple[str, ...] = ("*",)
    allow_methods: tuple[str, ...] = ("*",)
    allow_headers: tuple[str, ...] = ()
    expose_headers: tuple[str, ...] = ()
    max_age: int | None = None
    allow_credentials: bool = False


@dataclass(frozen=True)
class Authorizer:
    """A Lambda authorizer.

    `payload` is "TOKEN" or "REQUEST" (REST) or "2.0" / "1.0" (HTTP API REQUEST authorizers).
    `identity_headers` / `identity_queries` are the identity sources: a request without one
    of them is refused with 401 before the authorizer runs. A cached answer (its policy) is
    checked against each request's own method ARN, as API Gateway does.
    """

    name: str
    function: str
    payload: str = "TOKEN"
    identity_headers: tuple[str, ...] = ("Authorization",)
    identity_queries: tuple[str, ...] = ()
    validation_expression: str | None = None
    simple_responses: bool = False
    # Seconds API Gateway keeps an answer per identity (ReauthorizeEvery); 0: never cached.
    ttl_s: int = 300

    @property
    def is_http(self) -> bool:
        return self.payload in ("1.0", "2.0")


@dataclass
class Api:
    """One REST API (payload 1.0), HTTP API or function URL (payload 2.0)."""

    id: str
    kind: str  # REST, HTTP or URL
    stage: str = "Prod"
    stage_variables: dict[str, str] = field(default_factory=dict)
    binary_media_types: tuple[str, ...] = ()
    cors: Cors | None = None
    authorizers: dict[str, Authorizer] = field(default_factory=dict)
    default_authorizer: str | None = None
    # Function URLs only: the function it invokes.
    function: str | None = None


@dataclass(frozen=True)
class Route:
    """METHOD path -> function. `method` "ANY" matches every method; `path` "$default" all."""

    kind: str
    method: str
    path: str
    function: str
    api: str  # Api.id
    payload: str = "1.0"  # "1.0" or "2.0"
    authorizer: str | None = None  # an Authorizer name of the API, None for no auth

    @property
    def route_key(self) -> str:
        return "$default" if self.path == "$default" else f"{self.method} {self.path}"


@dataclass
class ServeSpec:
    """Everything one `serve` answers, plus sentences about what was skipped or conflicts."""

    apis: dict[str, Api] = field(default_factory=dict)
    routes: list[Route] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def routes_of(self, api_id: str) -> list[Route]:
        return [r for r in self.routes if r.api == api_id]

    @property
    def url_apis(self) -> list[Api]:
        return [a for a in self.apis.values() if a.kind == URL]

    @property
    def gateway_apis(self) -> list[Api]:
        return [a for a in self.apis.values() if a.kind != URL]

    def functions(self) -> set[str]:
        names = {r.function for r in self.routes}
        for api in self.apis.values():
            names.update(a.function for a in api.authorizers.values())
        return names
