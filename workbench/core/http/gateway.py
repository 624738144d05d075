"""The gateway: one HTTP request -> route, authorizer, event, invoke, response, as API Gateway."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workbench.core.errors import Cancelled, WorkbenchError
from workbench.core.http import authorizers, cors
from workbench.core.http.events import HttpRequest, event_for, new_request_id
from workbench.core.http.matching import RouteTable
from workbench.core.http.model import HTTP, REST, URL, Api, Route
from workbench.core.http.proxy import HttpReply, Malformed, function_reply, gateway_error
from workbench.core.invoke import InvocationResult
from workbench.core.runtime.host import FunctionHost, Throttled
from workbench.core.runtime.policy import MAX_REQUEST_BYTES

MAX_BODY_BYTES = 10 * 1024 * 1024  # API Gateway's payload limit
INTEGRATION_TIMEOUT_S = 29.0  # API Gateway's default integration timeout
URL_TIMEOUT_S = 900.0  # function URLs wait as long as the function may run


@dataclass
class ServedRequest:
    """One request the server answered, for the log line, the JSON line and the window."""

    method: str
    path: str
    status: int
    function: str | None = None
    route: Route | None = None
    request_id: str = ""
    event: bytes | None = None
    result: InvocationResult | None = None
    problem: str = ""  # why the gateway answered an error
    authorizer_event: bytes | None = None
    authorizer_result: InvocationResult | None = None
    started: float = field(default_factory=time.time)

    def to_json_dict(self) -> dict[str, Any]:
        """The `serve --output json` line of a request (keys are a public contract)."""
        result = self.result
        return {
            "method": self.method,
            "path": self.path,
            "status": self.status,
            "function": self.function,
            "durationMs": None if result is None else round(result.duration_ms, 2),
            "coldStart": False if result is None else result.cold_start,
        }


class _GatewayTimeout(Exception):
    pass


class Gateway:
    """Answers requests for a set of APIs sharing one listener (thread-safe)."""

    def __init__(
        self,
        apis: list[Api],
        routes: list[Route],
        host: FunctionHost,
        *,
        integration_timeout_s: float = INTEGRATION_TIMEOUT_S,
        throttled: set[str] | None = None,
        on_served: Callable[[ServedRequest], None] | None = None,
    ) -> None:
        self.apis = {a.id: a for a in apis}
        self.routes = routes
        self.table = RouteTable(routes)
        self.host = host
        self.integration_timeout_s = integration_timeout_s
        self.throttled = set(throttled or ())  # ReservedConcurrentExecutions 0
        self.on_served = on_served
        # Authorizer answers per (API, authorizer, identity), for their TTL (ReauthorizeEvery).
        self._cache: dict[tuple, tuple[float, bytes]] = {}
        self._cache_lock = threading.Lock()
        kinds = {a.kind for a in apis}
        # What an unknown route answers depends on the API kind behind the listener.
        self.kind = REST if REST in kinds else HTTP if HTTP in kinds else URL

    def handle(self, request: HttpRequest) -> HttpReply:
        served = ServedRequest(request.method, request.raw_path, 0)
        try:
            reply = self._handle(request, served)
        except Exception as error:  # a bug here must not take the server down
            reply = gateway_error("internal", self.kind, problem=f"the gateway failed: {error!r}")
        served.status = reply.status
        served.problem = served.problem or reply.problem
        if self.on_served is not None:
            self.on_served(served)
        return reply

    def _handle(self, request: HttpRequest, served: ServedRequest) -> HttpReply:
        if len(request.body) > MAX_BODY_BYTES:
            return gateway_error("too_large", self.kind, problem="the body is over 10 MB")
        if cors.is_preflight(request):
            reply = self._preflight(request)
            if reply is not None:
                return reply
        match = self.table.match(request.method, request.raw_path)
        if match is None:
            return gateway_error("not_found", self.kind, problem="no route matches")
        route, api = match.route, self.apis[match.route.api]
        served.route, served.function = route, route.function
        request_id = new_request_id(api)
        served.request_id = request_id
        context = None
        if route.authorizer is not None:
            refused, context = self._authorize(api, route, request, match.path_parameters, served)
            if refused is not None:
                return refused
        event = event_for(request, api, route, match.path_parameters, request_id, context)
        served.event = json.dumps(event, ensure_ascii=False).encode("utf-8")
        reply = self._call(api, route, served, request)
        cors.add_response_headers(api, request, reply)
        id_header = "apigw-requestid" if api.kind == HTTP else "x-amzn-RequestId"
        reply.headers.append((id_header, request_id))
        return reply

    def _preflight(self, request: HttpRequest) -> HttpReply | None:
        match = self.table.match_any_method(request.raw_path)
        api = self.apis[match.route.api] if match else None
        if api is None:
            with_cors = [a for a in self.apis.values() if a.cors and a.kind != REST]
            api = with_cors[0] if len(with_cors) == 1 else None
        if api is None or api.cors is None:
            return None
        methods = self.table.methods_for(request.raw_path)
        return cors.preflight(api, request, methods)

    def _authorize(
        self,
        api: Api,
        route: Route,
        request: HttpRequest,
        params: dict[str, str],
        served: ServedRequest,
    ) -> tuple[HttpReply | None, dict[str, Any] | None]:
        authorizer = api.authorizers[route.authorizer or ""]
        event = authorizers.authorizer_event(authorizer, api, route, request, params, "")
        if event is None:
            return gateway_error("unauthorized", api.kind, problem="no identity source"), None
        identity = authorizers.identity_values(authorizer, request) or []
        key = (api.id, authorizer.name, tuple(identity))
        payload = self._cached_answer(key) if authorizer.ttl_s and identity else None
        if payload is None:
            served.authorizer_event = json.dumps(event).encode()
            try:
                result = self._invoke(authorizer.function, served.authorizer_event, api)
            except (Throttled, _GatewayTimeout, WorkbenchError) as failure:
                problem = f"the authorizer {authorizer.name} did not answer ({failure})"
                return gateway_error("authorizer_failed", api.kind, problem=problem), None
            served.authorizer_result = result
            error, payload = result.error, result.payload
            if error is None and authorizer.ttl_s and identity:
                with self._cache_lock:
                    self._cache[key] = (time.monotonic() + authorizer.ttl_s, payload or b"")
        else:
            error = None
        verdict = authorizers.verdict(
            authorizer, payload, error, authorizers.method_arn(api, request)
        )
        if verdict.refuse is not None:
            return gateway_error(verdict.refuse, api.kind, problem=verdict.problem), None
        return None, verdict.context

    def _cached_answer(self, key: tuple) -> bytes | None:
        with self._cache_lock:
            found = self._cache.get(key)
            if found is None or found[0] < time.monotonic():
                self._cache.pop(key, None)
                return None
            return found[1]

    def _call(
        self, api: Api, route: Route, served: ServedRequest, request: HttpRequest
    ) -> HttpReply:
        assert served.event is not None
        if len(served.event) > MAX_REQUEST_BYTES:
            problem = "the event is over Lambda's 6 MB request limit"
            return gateway_error("too_large", api.kind, served.request_id, problem)
        try:
            result = self._invoke(route.function, served.event, api)
        except Throttled as error:
            return gateway_error("throttled", api.kind, served.request_id, str(error))
        except _GatewayTimeout:
            limit = self._timeout_for(api)
            problem = f"{route.function} did not answer within {limit:g} s"
            return gateway_error("timeout", api.kind, served.request_id, problem)
        except WorkbenchError as error:
            return gateway_error("internal", api.kind, served.request_id, str(error))
        served.result = result
        if result.error is not None:
            problem = f"{result.error.get('errorType')}: {result.error.get('errorMessage')}"
            return gateway_error("internal", api.kind, served.request_id, problem)
        try:
            return function_reply(
                result.payload or b"", api, route.payload, request.header("accept")
            )
        except Malformed as error:
            problem = f"malformed Lambda proxy response: {error}"
            return gateway_error("internal", api.kind, served.request_id, problem)

    def _timeout_for(self, api: Api) -> float:
        return URL_TIMEOUT_S if api.kind == URL else self.integration_timeout_s

    def _invoke(self, name: str, event: bytes, api: Api) -> InvocationResult:
        if name in self.throttled:
            raise Throttled(name, 0)
        limit = self._timeout_for(api)
        if self.host.function(name).timeout_s < limit:
            return self.host.invoke(name, event)
        # The function may run longer than the gateway waits: like API Gateway, give up
        # at the limit and let the invoke finish on its own.
        done = threading.Event()
        box: dict[str, Any] = {}

        def run() -> None:
            try:
                box["result"] = self.host.invoke(name, event)
            except BaseException as error:  # handed to the waiting request thread
                box["error"] = error
            finally:
                done.set()

        threading.Thread(target=run, name=f"invoke-{name}", daemon=True).start()
        if not done.wait(limit):
            raise _GatewayTimeout()
        if "error" in box:
            error = box["error"]
            if isinstance(error, Cancelled | WorkbenchError):
                raise error
            raise WorkbenchError(f"The invoke of {name} failed: {error}.")
        return box["result"]
