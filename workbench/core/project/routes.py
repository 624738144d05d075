"""Routes for `serve`: the API Gateway APIs and function URLs a SAM template (or folder) defines."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from workbench.core.http.model import HTTP, METHODS, REST, URL, Api, Authorizer, Cors, Route
from workbench.core.http.model import ServeSpec as ServeSpec
from workbench.core.project import cfn_yaml
from workbench.core.project.intrinsics import Resolver
from workbench.core.project.model import Project

IMPLICIT_REST = "ServerlessRestApi"  # the names SAM gives APIs made from events alone
IMPLICIT_HTTP = "ServerlessHttpApi"
_ARN_IN_SUB = re.compile(r"\$\{([A-Za-z0-9]+)\.Arn\}")
_OPENAPI_METHODS = {m.lower() for m in METHODS} | {"x-amazon-apigateway-any-method"}


def serve_spec(project: Project, only: set[str] | None = None) -> ServeSpec:
    """The APIs and routes of a project; a folder without template gets a URL per function."""
    names = {f.name for f in project.functions}
    if only:
        names &= only
    if project.kind != "sam" or project.template is None:
        spec = ServeSpec()
        for name in sorted(names):
            _add_url(spec, name, None)
        return spec
    template, _layout = cfn_yaml.load(project.template)
    reader = _TemplateReader(project.template, template if isinstance(template, dict) else {})
    return reader.read(names)


def _add_url(spec: ServeSpec, function: str, cors: Cors | None) -> None:
    api_id = f"{function}Url"
    spec.apis[api_id] = Api(id=api_id, kind=URL, stage="$default", cors=cors, function=function)
    spec.routes.append(Route(URL, "ANY", "/", function, api_id, payload="2.0"))


def _unquote(value: Any) -> str:
    # SAM's REST Cors values are quoted for the integration mapping: "'*'".
    text = str(value).strip()
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == "'" else text


def _seconds(value: Any, default: int) -> int:
    try:
        return max(0, min(3600, int(value)))  # API Gateway's range for the cache
    except (TypeError, ValueError):
        return default


def _mapping(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _words(value: Any) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v).strip() for v in value if str(v).strip())
    return tuple(w.strip() for w in _unquote(value).split(",") if w.strip())


class _TemplateReader:
    def __init__(self, path: Path, template: dict) -> None:
        self.path = path
        self.template = template
        resources = template.get("Resources")
        self.resources: dict = resources if isinstance(resources, dict) else {}
        self.resolver = Resolver(
            template,
            source=path.name,
            region="us-east-1",
            account_id="123456789012",
            stack_name=path.parent.name,
        )
        globals_ = template.get("Globals")
        self.globals: dict = globals_ if isinstance(globals_, dict) else {}
        self.spec = ServeSpec()

    def at(self, mapping: Any, key: Any) -> str:
        line = cfn_yaml.line_of(mapping, key)
        return f"{self.path.name} line {line}" if line else self.path.name

    def value(self, node: Any, where: str = "") -> Any:
        return self.resolver.resolve(node, where or self.path.name)

    def properties(self, resource: Any) -> dict:
        props = resource.get("Properties") if isinstance(resource, dict) else None
        return props if isinstance(props, dict) else {}

    def read(self, functions: set[str]) -> ServeSpec:
        for logical_id, resource in self.resources.items():
            kind = resource.get("Type") if isinstance(resource, dict) else None
            if kind == "AWS::Serverless::Api":
                self.rest_api(str(logical_id), self.properties(resource))
            elif kind == "AWS::Serverless::HttpApi":
                self.http_api(str(logical_id), self.properties(resource))
        for logical_id, resource in self.resources.items():
            if (
                not isinstance(resource, dict)
                or resource.get("Type") != "AWS::Serverless::Function"
            ):
                continue
            name = str(logical_id)
            if name not in functions:
                continue
            props = self.properties(resource)
            self.events(name, props)
            url = props.get("FunctionUrlConfig", self.function_globals().get("FunctionUrlConfig"))
            if isinstance(url, dict):
                self.function_url(name, url)
        self.definition_routes(functions)
        for api in self.spec.apis.values():
            for authorizer in api.authorizers.values():
                if authorizer.function not in functions and authorizer.function not in (
                    str(k) for k in self.resources
                ):
                    self.spec.warnings.append(
                        f"{self.path.name}: authorizer {authorizer.name} of {api.id} names "
                        f"{authorizer.function}, which is not a function here; its routes "
                        "answer 500 as API Gateway does for a broken authorizer."
                    )
        return self.spec

    def function_globals(self) -> dict:
        found = self.globals.get("Function")
        return found if isinstance(found, dict) else {}

    def merged(self, section: str, props: dict) -> dict:
        from workbench.core.project.sam import merge_globals

        globals_ = self.globals.get(section)
        return merge_globals(globals_, props) if isinstance(globals_, dict) else dict(props)

    # APIs

    def rest_api(self, api_id: str, props: dict) -> Api:
        props = self.merged("Api", props)
        where = self.at(self.resources, api_id)
        api = Api(id=api_id, kind=REST, stage=str(self.value(props.get("StageName", "Prod"))))
        variables = self.value(props.get("Variables") or {}, where)
        if isinstance(variables, dict):
            api.stage_variables = {str(k): str(v) for k, v in variables.items()}
        media = self.value(props.get("BinaryMediaTypes") or [], where)
        if isinstance(media, list):
            api.binary_media_types = tuple(str(m).replace("~1", "/") for m in media)
        cors = props.get("Cors")
        if cors is not None:
            api.cors = self.rest_cors(self.value(cors, where))
        auth = props.get("Auth")
        if isinstance(auth, dict):
            self.rest_authorizers(api, auth, where)
        self.spec.apis[api_id] = api
        return api

    def rest_cors(self, cors: Any) -> Cors:
        if isinstance(cors, str):
            return Cors(allow_origins=_words(cors))
        cors = cors if isinstance(cors, dict) else {}
        max_age = _unquote(cors.get("MaxAge", ""))
        return Cors(
            allow_origins=_words(cors.get("AllowOrigin", "'*'")),
            allow_methods=_words(cors.get("AllowMethods", "'*'")),
            allow_headers=_words(cors.get("AllowHeaders", "")),
            max_age=int(max_age) if max_age.isdigit() else None,
            allow_credentials=bool(cors.get("AllowCredentials", False)),
        )

    def rest_authorizers(self, api: Api, auth: dict, where: str) -> None:
        authorizers = auth.get("Authorizers")
        for name, config in (authorizers if isinstance(authorizers, dict) else {}).items():
            if not isinstance(config, dict):
                continue
            function = self.function_ref(config.get("FunctionArn"))
            if function is None:
                kind = "Cognito" if "UserPoolArn" in config else "this kind of"
                self.spec.warnings.append(
                    f"{where}: {kind} authorizer {name} of {api.id} is not run locally; "
                    "its routes are served without authorization."
                )
                continue
            identity = _mapping(config.get("Identity"))
            payload = str(config.get("FunctionPayloadType", "TOKEN")).upper()
            if payload == "TOKEN":
                headers: tuple[str, ...] = (str(identity.get("Header", "Authorization")),)
                queries: tuple[str, ...] = ()
            else:
                headers = _words(identity.get("Headers") or [])
                queries = _words(identity.get("QueryStrings") or [])
            expression = identity.get("ValidationExpression")
            api.authorizers[str(name)] = Authorizer(
                name=str(name),
                function=function,
                payload=payload,
                identity_headers=headers,
                identity_queries=queries,
                validation_expression=str(expression) if expression else None,
                ttl_s=_seconds(identity.get("ReauthorizeEvery"), 300),
            )
        default = auth.get("DefaultAuthorizer")
        if default and str(default) in api.authorizers:
            api.default_authorizer = str(default)

    def http_api(self, api_id: str, props: dict) -> Api:
        props = self.merged("HttpApi", props)
        where = self.at(self.resources, api_id)
        api = Api(id=api_id, kind=HTTP, stage=str(self.value(props.get("StageName", "$default"))))
        variables = self.value(props.get("StageVariables") or {}, where)
        if isinstance(variables, dict):
            api.stage_variables = {str(k): str(v) for k, v in variables.items()}
        cors = self.value(props.get("CorsConfiguration"), where)
        if cors is True:
            api.cors = Cors(allow_headers=("*",))
        elif isinstance(cors, dict):
            api.cors = self.list_cors(cors)
        auth = props.get("Auth")
        if isinstance(auth, dict):
            authorizers = auth.get("Authorizers")
            for name, config in (authorizers if isinstance(authorizers, dict) else {}).items():
                if not isinstance(config, dict):
                    continue
                function = self.function_ref(config.get("FunctionArn"))
                if function is None:
                    self.spec.warnings.append(
                        f"{where}: authorizer {name} of {api_id} is not a Lambda authorizer "
                        "(JWT and IAM are not checked locally); its routes are served "
                        "without authorization."
                    )
                    continue
                identity = _mapping(config.get("Identity"))
                api.authorizers[str(name)] = Authorizer(
                    name=str(name),
                    function=function,
                    payload=str(config.get("AuthorizerPayloadFormatVersion", "2.0")),
                    identity_headers=_words(identity.get("Headers") or []),
                    identity_queries=_words(identity.get("QueryStrings") or []),
                    simple_responses=bool(config.get("EnableSimpleResponses", False)),
                    ttl_s=_seconds(identity.get("ReauthorizeEvery"), 0),
                )
            default = auth.get("DefaultAuthorizer")
            if default and str(default) in api.authorizers:
                api.default_authorizer = str(default)
        self.spec.apis[api_id] = api
        return api

    def list_cors(self, cors: dict) -> Cors:
        max_age = cors.get("MaxAge")
        return Cors(
            allow_origins=_words(cors.get("AllowOrigins") or []),
            allow_methods=_words(cors.get("AllowMethods") or []),
            allow_headers=_words(cors.get("AllowHeaders") or []),
            expose_headers=_words(cors.get("ExposeHeaders") or []),
            max_age=int(max_age) if isinstance(max_age, int) else None,
            allow_credentials=bool(cors.get("AllowCredentials", False)),
        )

    def function_ref(self, node: Any) -> str | None:
        """The logical id of a function named by !GetAtt F.Arn, !Ref F or !Sub ${F.Arn}."""
        call = cfn_yaml.intrinsic(node)
        if call is None:
            return None
        name, arg = call
        if name == "Fn::GetAtt":
            target = arg.split(".")[0] if isinstance(arg, str) else arg[0] if arg else None
            return str(target) if target else None
        if name == "Ref" and isinstance(arg, str):
            return arg
        if name == "Fn::Sub":
            text = arg if isinstance(arg, str) else arg[0] if isinstance(arg, list) else ""
            found = _ARN_IN_SUB.search(str(text))
            return found.group(1) if found else None
        return None

    def api_of(self, props: dict, key: str, implicit: str, kind: str, where: str) -> Api | None:
        ref = props.get(key)
        if ref is None:
            if implicit not in self.spec.apis:
                if kind == REST:
                    self.rest_api(implicit, {})
                else:
                    self.http_api(implicit, {})
            return self.spec.apis[implicit]
        call = cfn_yaml.intrinsic(ref)
        target = call[1] if call and call[0] == "Ref" else None
        api = self.spec.apis.get(str(target)) if target else None
        if api is None or api.kind != kind:
            self.spec.warnings.append(
                f"{where}: {key} does not name an {'Api' if kind == REST else 'HttpApi'} "
                "resource of this template; the route is skipped."
            )
            return None
        return api

    # Routes

    def events(self, function: str, props: dict) -> None:
        events = props.get("Events")
        for event_name, event in (events if isinstance(events, dict) else {}).items():
            if not isinstance(event, dict) or event.get("Type") not in ("Api", "HttpApi"):
                continue
            where = self.at(events, event_name)
            eprops = self.properties(event)
            if event.get("Type") == "Api":
                api = self.api_of(eprops, "RestApiId", IMPLICIT_REST, REST, where)
                payload = "1.0"
            else:
                api = self.api_of(eprops, "ApiId", IMPLICIT_HTTP, HTTP, where)
                payload = str(eprops.get("PayloadFormatVersion", "2.0"))
            if api is None:
                continue
            path = self.value(eprops.get("Path"), where) if "Path" in eprops else None
            method = str(self.value(eprops.get("Method", "ANY"), where)).upper()
            if path is None:
                if api.kind == REST:
                    self.spec.warnings.append(f"{where}: Api event {event_name} has no Path.")
                    continue
                path, method = "$default", "ANY"
            auth = eprops.get("Auth")
            named = auth.get("Authorizer") if isinstance(auth, dict) else None
            self.add(api, function, method, str(path), payload, named, where)

    def add(
        self,
        api: Api,
        function: str,
        method: str,
        path: str,
        payload: str,
        named: Any,
        where: str,
    ) -> None:
        if method != "ANY" and method not in METHODS:
            self.spec.warnings.append(f"{where}: method {method} is not an HTTP method; skipped.")
            return
        if path != "$default" and not path.startswith("/"):
            path = "/" + path
        authorizer = api.default_authorizer
        if named is not None:
            authorizer = None if str(named) in ("NONE", "AWS_IAM") else str(named)
            if authorizer is not None and authorizer not in api.authorizers:
                self.spec.warnings.append(
                    f"{where}: authorizer {named} is not defined on {api.id}; the route is "
                    "served without authorization."
                )
                authorizer = None
        route = Route(api.kind, method, path, function, api.id, payload, authorizer)
        for existing in self.spec.routes:
            here = (existing.api, existing.method, existing.path, existing.function)
            if here == (api.id, method, path, function):
                return  # the same route from an event and from DefinitionBody
            same_space = existing.kind != URL and route.kind != URL
            if same_space and (existing.method, existing.path) == (method, path):
                self.spec.warnings.append(
                    f"{where}: {method} {path} of {function} conflicts with the same route of "
                    f"{existing.function} ({existing.api}); {existing.function} serves it."
                )
                return
        self.spec.routes.append(route)

    def function_url(self, function: str, config: dict) -> None:
        where = self.at(self.resources, function)
        config = self.value(config, where)
        if str(config.get("AuthType", "NONE")) == "AWS_IAM":
            self.spec.warnings.append(
                f"{where}: the function URL of {function} uses AWS_IAM; requests are not "
                "signature-checked locally."
            )
        if str(config.get("InvokeMode", "BUFFERED")) == "RESPONSE_STREAM":
            self.spec.warnings.append(
                f"{where}: the function URL of {function} streams responses in the cloud; "
                "locally the response is sent when the function returns."
            )
        cors = config.get("Cors")
        _add_url(self.spec, function, self.list_cors(cors) if isinstance(cors, dict) else None)

    def definition_routes(self, functions: set[str]) -> None:
        """Paths of an API's DefinitionBody (OpenAPI) whose integration is a local function."""
        for api_id, resource in self.resources.items():
            api = self.spec.apis.get(str(api_id))
            body = self.properties(resource).get("DefinitionBody")
            if api is None or not isinstance(body, dict):
                continue
            paths = body.get("paths")
            where = self.at(self.resources, api_id)
            media = body.get("x-amazon-apigateway-binary-media-types")
            if isinstance(media, list) and not api.binary_media_types:
                api.binary_media_types = tuple(str(m) for m in media)
            for path, operations in (paths if isinstance(paths, dict) else {}).items():
                for verb, operation in (operations if isinstance(operations, dict) else {}).items():
                    if str(verb).lower() not in _OPENAPI_METHODS or not isinstance(operation, dict):
                        continue
                    integration = operation.get("x-amazon-apigateway-integration")
                    if not isinstance(integration, dict):
                        continue
                    function = self.function_ref(integration.get("uri"))
                    if function is None or function not in functions:
                        continue
                    method = "ANY" if "any" in str(verb).lower() else str(verb).upper()
                    payload = "1.0" if api.kind == REST else "2.0"
                    version = integration.get("payloadFormatVersion")
                    if api.kind == HTTP and version:
                        payload = str(version)
                    self.add(api, function, method, str(path), payload, None, where)
