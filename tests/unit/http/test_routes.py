"""Routes read from SAM templates and folders: implicit and explicit APIs, OpenAPI, conflicts."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.unit.http.conftest import SERVE_APP
from workbench.core.project import open_project
from workbench.core.project.routes import serve_spec

HANDLER = "def handler(event, context):\n    return {'statusCode': 200, 'body': 'ok'}\n"


def project(tmp_path: Path, template: str):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(HANDLER)
    (tmp_path / "template.yaml").write_text(textwrap.dedent(template))
    return open_project(tmp_path)


def test_implicit_apis_globals_and_payload_versions(tmp_path):
    spec = serve_spec(
        project(
            tmp_path,
            """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function: {Runtime: python3.12, CodeUri: src, Handler: app.handler}
              Api: {BinaryMediaTypes: ["image~1*"], Variables: {v: "1"}}
            Resources:
              Fn:
                Type: AWS::Serverless::Function
                Properties:
                  Events:
                    A: {Type: Api, Properties: {Path: /a, Method: GET}}
                    B: {Type: HttpApi, Properties: {Path: /b, Method: post}}
                    C: {Type: HttpApi, Properties: {Path: /c, Method: get, PayloadFormatVersion: "1.0"}}
                    D: {Type: HttpApi}
                    E: {Type: SQS, Properties: {Queue: arn:aws:sqs:us-east-1:1:q}}
            """,  # noqa: E501
        )
    )
    routes = {(r.kind, r.method, r.path): r for r in spec.routes}
    assert set(routes) == {
        ("rest", "GET", "/a"),
        ("http", "POST", "/b"),
        ("http", "GET", "/c"),
        ("http", "ANY", "$default"),
    }
    assert routes[("rest", "GET", "/a")].payload == "1.0"
    assert routes[("http", "POST", "/b")].payload == "2.0"
    assert routes[("http", "GET", "/c")].payload == "1.0"
    rest = spec.apis["ServerlessRestApi"]
    assert rest.stage == "Prod" and rest.binary_media_types == ("image/*",)
    assert rest.stage_variables == {"v": "1"}
    assert spec.apis["ServerlessHttpApi"].stage == "$default"


def test_definition_body_paths_and_conflicts(tmp_path):
    spec = serve_spec(
        project(
            tmp_path,
            """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function: {Runtime: python3.12, CodeUri: src, Handler: app.handler}
            Resources:
              Api:
                Type: AWS::Serverless::Api
                Properties:
                  StageName: !Ref Stage
                  DefinitionBody:
                    openapi: "3.0.1"
                    paths:
                      /pets/{id}:
                        get:
                          x-amazon-apigateway-integration:
                            type: aws_proxy
                            httpMethod: POST
                            uri: !Sub arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${One.Arn}/invocations
                      /other:
                        x-amazon-apigateway-any-method:
                          x-amazon-apigateway-integration:
                            uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Missing.Arn}/invocations"
              One:
                Type: AWS::Serverless::Function
                Properties:
                  Events:
                    Same: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /x, Method: get}}
              Two:
                Type: AWS::Serverless::Function
                Properties:
                  Events:
                    Same: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /x, Method: get}}
                    Bad: {Type: Api, Properties: {RestApiId: !Ref Nope, Path: /y, Method: get}}
            Parameters:
              Stage: {Type: String, Default: beta}
            """,  # noqa: E501
        )
    )
    keys = [(r.method, r.path, r.function) for r in spec.routes]
    assert ("GET", "/pets/{id}", "One") in keys
    assert ("GET", "/x", "One") in keys and ("GET", "/x", "Two") not in keys
    assert spec.apis["Api"].stage == "beta"
    assert any("conflicts" in w and "One serves it" in w for w in spec.warnings)
    assert any("RestApiId does not name" in w for w in spec.warnings)


def test_function_url_and_only_filter(tmp_path):
    proj = project(
        tmp_path,
        """
        Transform: AWS::Serverless-2016-10-31
        Globals:
          Function: {Runtime: python3.12, CodeUri: src, Handler: app.handler}
        Resources:
          A:
            Type: AWS::Serverless::Function
            Properties:
              FunctionUrlConfig: {AuthType: AWS_IAM, InvokeMode: RESPONSE_STREAM}
          B:
            Type: AWS::Serverless::Function
            Properties:
              Events:
                G: {Type: Api, Properties: {Path: /b, Method: get}}
        """,
    )
    spec = serve_spec(proj)
    assert [(r.kind, r.function) for r in spec.routes] == [("url", "A"), ("rest", "B")]
    assert any("AWS_IAM" in w for w in spec.warnings)
    assert any("streams" in w for w in spec.warnings)
    only = serve_spec(proj, {"B"})
    assert [(r.kind, r.function) for r in only.routes] == [("rest", "B")]


def test_plain_folder_gets_a_function_url_per_function(tmp_path):
    (tmp_path / "lambda_function.py").write_text(
        "def lambda_handler(event, context):\n    return 1\n"
    )
    spec = serve_spec(open_project(tmp_path))
    assert [(r.kind, r.method, r.path) for r in spec.routes] == [("url", "ANY", "/")]


def test_the_fixture_template_reads_without_warnings():
    spec = serve_spec(open_project(SERVE_APP))
    assert spec.warnings == []
    rest = spec.apis["MyRest"]
    assert set(rest.authorizers) == {"TokenAuth", "RequestAuth"}
    assert rest.cors is not None and rest.cors.allow_origins == ("https://app.example",)
    assert rest.binary_media_types == ("application/octet-stream", "image/png")
    http = spec.apis["MyHttp"]
    assert http.authorizers["SimpleAuth"].simple_responses
    assert http.cors is not None and http.cors.max_age == 300


def test_most_specific_route_wins():
    from workbench.core.http.matching import RouteTable
    from workbench.core.http.model import Route

    table = RouteTable(
        [
            Route("rest", "ANY", "/{proxy+}", "Greedy", "A"),
            Route("rest", "GET", "/users/{id}", "ById", "A"),
            Route("rest", "GET", "/users/me", "Me", "A"),
            Route("rest", "ANY", "/users/{id}", "AnyById", "A"),
        ]
    )
    assert table.match("GET", "/users/me").route.function == "Me"
    assert table.match("GET", "/users/7").route.function == "ById"
    assert table.match("GET", "/users/7").path_parameters == {"id": "7"}
    assert table.match("POST", "/users/7").route.function == "AnyById"
    assert table.match("GET", "/a/b/c").path_parameters == {"proxy": "a/b/c"}
    assert table.match("GET", "/users/a%2Fb").path_parameters == {"id": "a/b"}
