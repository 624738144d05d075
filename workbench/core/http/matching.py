"""Route matching as API Gateway does it: literal segments beat {param}, which beats {proxy+}."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from workbench.core.http.model import Route

_PARAM = re.compile(r"\{([^{}/]+?)(\+?)\}")


@dataclass(frozen=True)
class Match:
    route: Route
    path_parameters: dict[str, str]


class _Compiled:
    __slots__ = ("greedy", "literal", "names", "pattern", "route", "segments")

    def __init__(self, route: Route) -> None:
        self.route = route
        self.names: list[str] = []
        self.greedy = False
        if route.path == "$default" or route.kind == "url":
            # HTTP API's $default route and a function URL take every path.
            self.pattern = re.compile(r"(?s).*")
            self.greedy, self.literal, self.segments = True, -1, 0
            return
        parts = [p for p in route.path.split("/") if p]
        regex = ""
        self.literal = 0
        for part in parts:
            found = _PARAM.fullmatch(part)
            if found is None:
                regex += "/" + re.escape(part)
                self.literal += 1
            elif found.group(2):
                regex += "/(.+)"
                self.names.append(found.group(1))
                self.greedy = True
            else:
                regex += "/([^/]+)"
                self.names.append(found.group(1))
        self.segments = len(parts)
        self.pattern = re.compile(regex + "/?")

    def rank(self) -> tuple[int, int, int, int]:
        # Most specific first: no greedy part, more literal segments, more segments, a method.
        return (
            int(self.greedy),
            -self.literal,
            -self.segments,
            int(self.route.method == "ANY"),
        )


class RouteTable:
    """The routes one listener serves, matched by method and path (the raw, encoded path)."""

    def __init__(self, routes: list[Route]) -> None:
        self._compiled = sorted((_Compiled(r) for r in routes), key=lambda c: c.rank())

    def match(self, method: str, path: str) -> Match | None:
        for compiled in self._compiled:
            if compiled.route.method not in ("ANY", method):
                continue
            found = compiled.pattern.fullmatch(path)
            if found is None:
                continue
            params = {
                name: unquote(value)
                for name, value in zip(compiled.names, found.groups(), strict=False)
            }
            return Match(compiled.route, params)
        return None

    def match_any_method(self, path: str) -> Match | None:
        """The route a path belongs to, whatever the method (for CORS preflight)."""
        for compiled in self._compiled:
            if compiled.pattern.fullmatch(path):
                return Match(compiled.route, {})
        return None

    def methods_for(self, path: str) -> list[str]:
        found = [c.route.method for c in self._compiled if c.pattern.fullmatch(path)]
        return sorted(set(found))
