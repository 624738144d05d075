"""SAM templates: functions, Globals, intrinsics, layers and broken parts."""

from __future__ import annotations

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.project import find_function, open_project

from .conftest import FIXTURES

APP = FIXTURES / "sam_app"


def test_every_function_with_local_code_is_listed():
    project = open_project(APP)
    assert project.kind == "sam"
    assert project.template == (APP / "template.yaml").resolve()
    assert project.function_names == ["HelloFunction", "OrdersFunction", "LegacyFunction"]
    assert project.errors == []


def test_the_template_file_itself_opens_the_same_project():
    by_file = open_project(APP / "template.yaml")
    assert by_file.function_names == open_project(APP).function_names


def test_globals_fill_in_what_a_function_does_not_set():
    hello = find_function(open_project(APP), "HelloFunction")
    assert hello.handler == "app.lambda_handler"
    assert hello.code_dir == (APP / "src" / "hello").resolve()
    assert (hello.runtime, hello.memory_mb, hello.timeout_s) == ("python3.12", 256, 10)
    assert hello.architecture == "arm64"
    assert hello.ephemeral_storage_mb == 512
    assert hello.environment == {
        "STAGE": "dev",
        "LOG_LEVEL": "INFO",
        "POWERTOOLS_SERVICE_NAME": "orders",
    }
    assert hello.deploy_name is None


def test_own_properties_override_globals_and_maps_merge():
    orders = find_function(open_project(APP), "OrdersFunction")
    assert orders.code_dir == (APP / "src" / "orders").resolve()
    assert orders.handler == "handlers/api.handle"
    assert orders.memory_mb == 512  # !Ref OrdersMemory -> the parameter's Default
    assert orders.timeout_s == 30
    assert orders.architecture == "x86_64"
    assert orders.ephemeral_storage_mb == 1024
    env = orders.environment
    assert env["LOG_LEVEL"] == "DEBUG"  # own value wins over Globals
    assert env["POWERTOOLS_SERVICE_NAME"] == "orders"  # merged in from Globals
    assert env["STAGE"] == "dev"


def test_intrinsics_resolve_locally_or_become_visible_placeholders():
    project = open_project(APP)
    env = find_function(project, "OrdersFunction").environment
    assert env["RETENTION"] == "7"  # !FindInMap with a !Ref inside
    assert env["MODE"] == "sandbox"  # !If on a condition over a parameter
    assert env["QUEUE_URL"] == "https://sqs.us-east-1.amazonaws.com/123456789012/orders"
    assert env["DOMAIN"] == "example"  # !Select over !Split
    assert env["TAGS"] == "a,b,dev"  # !Join
    assert env["DEBUG"] == "true"
    assert "OPTIONAL" not in env  # !Ref AWS::NoValue removes the key
    assert env["TABLE_NAME"] == "${OrdersTable}"
    assert env["TABLE_ARN"] == "${OrdersTable.Arn}"
    placeholders = [w for w in project.warnings if "needs a deployed stack" in w]
    assert any("${OrdersTable.Arn}" in w and "template.yaml line 70" in w for w in placeholders)
    assert any("${OrdersTable}" in w for w in placeholders)


def test_function_name_is_resolved_with_sub_over_pseudo_parameters():
    orders = find_function(open_project(APP), "OrdersFunction")
    assert orders.deploy_name == "sam_app-orders-dev"
    assert find_function(open_project(APP), "sam_app-orders-dev") is not None


def test_local_layers_are_paths_and_remote_ones_are_reported():
    project = open_project(APP)
    shared = (APP / "layers" / "shared").resolve()
    assert find_function(project, "HelloFunction").layers == [shared]
    assert find_function(project, "OrdersFunction").layers == [shared]  # Globals add up
    remote = [w for w in project.warnings if "remote layers are not supported yet" in w]
    assert len(remote) == 1 and "AWSLambdaPowertoolsPythonV3" in remote[0]


def test_plain_lambda_function_with_local_code():
    legacy = find_function(open_project(APP), "LegacyFunction")
    assert legacy.code_dir == (APP / "src" / "legacy").resolve()
    assert (legacy.runtime, legacy.memory_mb, legacy.timeout_s) == ("python3.11", 128, 3)
    assert legacy.architecture == "x86_64"  # Globals apply to SAM functions only


def test_image_functions_are_not_supported_yet():
    project = open_project(APP)
    assert "ImageFunction" not in project.function_names
    assert any("ImageFunction" in w and "not supported yet" in w for w in project.warnings)


def test_a_template_with_no_functions_opens_empty_with_a_sentence():
    project = open_project(FIXTURES / "only_resources")
    assert project.functions == []
    assert project.errors == []
    assert "defines no Lambda functions" in project.warnings[0]
    with pytest.raises(WorkbenchError, match="has no Lambda functions"):
        find_function(project)


def test_invalid_yaml_names_file_line_and_column():
    expected = r"template\.yaml:7:6: the template is not valid YAML"
    with pytest.raises(WorkbenchError, match=expected):
        open_project(FIXTURES / "broken_yaml")


def test_broken_functions_are_reported_with_lines_and_the_rest_opens():
    project = open_project(FIXTURES / "broken_parts")
    assert find_function(project, "GoodFunction").handler == "good.handler"
    errors = "\n".join(project.errors)
    assert len(project.errors) == 4
    assert "template.yml line 12 (MissingFolderFunction CodeUri)" in errors
    assert "'does/not/exist'" in errors
    assert "template.yml line 20 (OldRuntimeFunction Runtime)" in errors
    assert "'python2.7' is not a Lambda runtime" in errors
    assert "template.yml line 25 (NoModuleFunction Handler)" in errors
    assert "missing.py" in errors
    assert "template.yml line 31 (NoFunctionFunction Handler)" in errors
    assert "no top-level function 'nothere'" in errors


def test_long_form_intrinsics_in_a_json_template(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text("def handler(event, context):\n    pass\n")
    (tmp_path / "template.json").write_text(
        '{"Parameters": {"Mem": {"Type": "Number", "Default": 1024}},'
        ' "Resources": {"Fn": {"Type": "AWS::Serverless::Function", "Properties": {'
        '"CodeUri": "src", "Handler": "app.handler", "Runtime": "python3.13",'
        '"MemorySize": {"Ref": "Mem"},'
        '"Environment": {"Variables": {"RR": {"Fn::Sub": "${AWS::Region}-${AWS::Partition}"},'
        '"BB": {"Fn::Base64": "hi"}, "ZZ": {"Fn::Select": [0, {"Fn::GetAZs": ""}]}}}}}}}'
    )
    project = open_project(tmp_path / "template.json")
    fn = find_function(project, "Fn")
    assert fn.memory_mb == 1024
    assert fn.environment == {"RR": "us-east-1-aws", "BB": "aGk=", "ZZ": "us-east-1a"}
    assert project.errors == [] and project.warnings == []


def test_missing_parameter_default_and_unknown_ref_are_warned(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Parameters:\n  Secret:\n    Type: String\n"
        "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Handler: app.handler\n      Runtime: python3.12\n"
        "      Environment:\n        Variables:\n          AA: !Ref Secret\n"
        "          BB: !Ref Nowhere\n          CC: !ImportValue shared-vpc\n"
    )
    (tmp_path / "app.py").write_text("def handler(event, context):\n    pass\n")
    project = open_project(tmp_path)
    env = find_function(project).environment
    # A parameter without a Default is empty (with a warning naming --parameter-overrides),
    # never the literal text ${Secret}.
    assert env == {"AA": "", "BB": "${Nowhere}", "CC": "${ImportValue:shared-vpc}"}
    assert len(project.warnings) == 3
    assert any("--parameter-overrides Secret=VALUE" in w for w in project.warnings)
    assert all(w.startswith("template.yaml line 10 (Fn Environment)") for w in project.warnings)


def test_node_handlers_are_checked_down_to_the_file(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "index.mjs").write_text("export const handler = async () => 1;\n")
    (tmp_path / "template.yaml").write_text(
        "Globals:\n  Function:\n    Runtime: nodejs22.x\n    CodeUri: src\n"
        "Resources:\n  Good:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Handler: index.handler\n"
        "  Bad:\n    Type: AWS::Serverless::Function\n"
        "    Properties:\n      Handler: main.handler\n"
    )
    project = open_project(tmp_path)
    assert project.function_names == ["Good", "Bad"]
    assert project.errors == [
        f"template.yaml line 13 (Bad Handler): No main.js, main.mjs or main.cjs in "
        f"{tmp_path.resolve() / 'src'} for the handler 'main.handler'; check the handler or "
        "the function folder."
    ]


def test_template_permissions_survive_an_edit(copy_fixture):
    from workbench.core.project import save_function

    root = copy_fixture("commented")
    template = root / "template.yaml"
    template.chmod(0o644)
    project = open_project(root)
    app = find_function(project, "AppFunction")
    app.memory_mb = 256
    save_function(project, app)
    assert template.stat().st_mode & 0o777 == 0o644


def test_unexpected_shapes_are_reported_not_crashed_on(tmp_path):
    (tmp_path / "template.yaml").write_text(
        "Globals: 3\nResources:\n  F:\n    Type: AWS::Serverless::Function\n    Properties:\n"
        "      Handler: 5\n      Runtime: [x]\n      Layers: notalist\n"
        "      Environment: {Variables: [a, b]}\n      MemorySize: {a: 1}\n"
        "      Architectures: arm64\n      EphemeralStorage: 5\n"
        "  G:\n    Type: AWS::Serverless::Function\n    Properties: [oops]\n"
    )
    project = open_project(tmp_path)
    assert project.function_names == ["F", "G"]
    errors = "\n".join(project.errors)
    for expected in (
        "line 10 (F MemorySize): MemorySize must be a number",
        "line 11 (F Architectures): Architectures of F must be a list",
        "line 12 (F EphemeralStorage)",
        "line 9 (F Environment): Environment.Variables of F must be a mapping",
        "line 8 (F Layers): Layers of F must be a list.",
        "F has no Handler.",
        "F has no Runtime",
        "G has no Runtime",
    ):
        assert expected in errors
