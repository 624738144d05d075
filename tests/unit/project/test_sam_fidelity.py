"""Real-template shapes: what cannot run says why, parameters and conditions resolve as SAM's."""

from __future__ import annotations

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.project import find_function, open_project

HEAD = "Resources:\n"


def _fn(name: str, props: str, kind: str = "AWS::Serverless::Function", extra: str = "") -> str:
    return f"  {name}:\n    Type: {kind}\n{extra}    Properties:\n{props}"


def _write(tmp_path, text: str) -> None:
    (tmp_path / "template.yaml").write_text(text)
    (tmp_path / "app.py").write_text("def handler(event, context):\n    return 1\n")


def test_plain_function_without_code_says_what_is_missing(tmp_path):
    _write(tmp_path, HEAD + _fn("Fn", "      Handler: app.handler\n      Runtime: python3.12\n",
                                "AWS::Lambda::Function"))  # fmt: skip
    project = open_project(tmp_path)
    assert any("Fn has no Code" in w for w in project.warnings)
    assert not any("S3" in w and "not supported" in w for w in project.warnings)
    with pytest.raises(WorkbenchError, match="Fn cannot run here: .*has no Code"):
        find_function(project, "Fn")


def test_image_function_reason_is_carried_to_the_invoke_error(tmp_path):
    _write(tmp_path, HEAD + _fn("Img", "      PackageType: Image\n"))
    project = open_project(tmp_path)
    with pytest.raises(WorkbenchError) as raised:
        find_function(project)
    assert "has no Lambda functions that can run here" in str(raised.value)
    assert "container image function (PackageType: Image)" in str(raised.value)


def test_s3_code_is_recognised_not_taken_as_a_folder(tmp_path):
    props = "      Handler: app.handler\n      Runtime: python3.12\n"
    _write(
        tmp_path,
        HEAD
        + _fn("A", props + "      CodeUri: s3://my-bucket/code.zip\n")
        + _fn("B", props + "      CodeUri: {Bucket: b, Key: k.zip}\n")
        + _fn("C", props + "      Code: {S3Bucket: b2, S3Key: k2.zip}\n", "AWS::Lambda::Function"),
    )
    project = open_project(tmp_path)
    for name, where in (("A", "s3://my-bucket/code.zip"), ("B", "s3://b/k.zip"),
                        ("C", "s3://b2/k2.zip")):  # fmt: skip
        assert f"is in S3 ({where}), which cannot run locally" in project.skipped[name]
    assert project.errors == []


def test_inline_code_runs_from_a_cache_folder_keyed_by_content(tmp_path):
    code = "      InlineCode: |\n        def handler(event, context):\n            return 7\n"
    zipfile = "      Code:\n        ZipFile: |\n          exports.handler = async () => 8;\n"
    _write(
        tmp_path,
        HEAD
        + _fn("Py", "      Handler: index.handler\n      Runtime: python3.12\n" + code)
        + _fn("Js", "      Handler: index.handler\n      Runtime: nodejs22.x\n" + zipfile,
              "AWS::Lambda::Function"),
    )  # fmt: skip
    project = open_project(tmp_path)
    assert project.errors == [], project.errors
    py, js = find_function(project, "Py"), find_function(project, "Js")
    assert (py.code_dir / "index.py").read_text().startswith("def handler(event, context):")
    assert (js.code_dir / "index.js").read_text() == "exports.handler = async () => 8;\n"
    assert py.code_dir != js.code_dir


def test_deprecated_runtime_is_named_deprecated_not_unknown(tmp_path):
    _write(tmp_path, HEAD + _fn("Old", "      Handler: app.handler\n      Runtime: python3.8\n"))
    project = open_project(tmp_path)
    assert not any("not a Lambda runtime" in e for e in project.errors)
    assert any("python3.8 is deprecated on Lambda" in w and "Docker" in w for w in project.warnings)
    assert find_function(project).runtime == "python3.8"


def test_false_condition_is_noted_under_the_parameter_values(tmp_path):
    _write(
        tmp_path,
        "Parameters:\n  Stage: {Type: String, Default: dev}\n"
        "Conditions:\n  IsProd: !Equals [!Ref Stage, prod]\n"
        + HEAD
        + _fn("Fn", "      Handler: app.handler\n      Runtime: python3.12\n",
              extra="    Condition: IsProd\n"),
    )  # fmt: skip
    project = open_project(tmp_path)
    assert any("Condition IsProd, which is false" in w for w in project.warnings)
    overridden = open_project(tmp_path, parameters={"Stage": "prod"})
    assert not any("Condition IsProd" in w for w in overridden.warnings)


def test_architectures_from_a_parameter_and_parameter_overrides(tmp_path):
    _write(
        tmp_path,
        "Parameters:\n  Arch: {Type: String, Default: arm64}\n  Table: {Type: String}\n"
        "  Zones: {Type: CommaDelimitedList, Default: 'a,b'}\n"
        + HEAD
        + _fn("Fn", "      Handler: app.handler\n      Runtime: python3.12\n"
              "      Architectures: !Ref Arch\n"
              "      Environment:\n        Variables:\n          TABLE: !Ref Table\n"
              "          FIRST_ZONE: !Select [0, !Ref Zones]\n"),
    )  # fmt: skip
    project = open_project(tmp_path)
    fn = find_function(project)
    assert fn.architecture == "arm64"
    assert fn.environment == {"TABLE": "", "FIRST_ZONE": "a"}  # never the text ${Table}
    assert any("--parameter-overrides Table=VALUE" in w for w in project.warnings)
    fn = find_function(open_project(tmp_path, parameters={"Table": "orders", "Arch": "x86_64"}))
    assert fn.environment["TABLE"] == "orders" and fn.architecture == "x86_64"


def test_parameter_default_that_refers_to_itself_is_a_warning_not_a_crash(tmp_path):
    _write(
        tmp_path,
        "Parameters:\n  Loop: {Type: String, Default: !Ref Loop}\n"
        + HEAD
        + _fn("Fn", "      Handler: app.handler\n      Runtime: python3.12\n"
              "      Environment:\n        Variables:\n          LOOP: !Ref Loop\n"),
    )  # fmt: skip
    project = open_project(tmp_path)
    assert find_function(project).environment == {"LOOP": ""}
    assert any("Default of parameter Loop refers to itself" in w for w in project.warnings)


def test_code_uri_outside_the_project_is_refused(tmp_path):
    project_dir = tmp_path / "app"
    project_dir.mkdir()
    _write(
        project_dir,
        HEAD + _fn("Fn", "      Handler: app.handler\n      Runtime: python3.12\n"
                   "      CodeUri: ../../../../etc\n"),
    )  # fmt: skip
    project = open_project(project_dir)
    assert project.functions == []
    assert any("is outside the project folder" in e for e in project.errors)
    with pytest.raises(WorkbenchError, match="outside the project folder"):
        find_function(project, "Fn")


def test_build_first_for_typescript_and_compiled_runtimes(tmp_path):
    (tmp_path / "ts").mkdir()
    (tmp_path / "ts" / "app.ts").write_text("export const handler = async () => 1;\n")
    (tmp_path / "java").mkdir()
    (tmp_path / "java" / "pom.xml").write_text("<project/>\n")
    (tmp_path / "rust").mkdir()
    (tmp_path / "rust" / "Cargo.toml").write_text("[package]\n")
    _write(
        tmp_path,
        HEAD
        + _fn("Ts", "      Handler: app.handler\n      Runtime: nodejs22.x\n      CodeUri: ts\n")
        + _fn("Java", "      Handler: a.B::handle\n      Runtime: java21\n      CodeUri: java\n")
        + _fn("Rust", "      Handler: bootstrap\n      Runtime: provided.al2023\n"
              "      CodeUri: rust\n"),
    )  # fmt: skip
    errors = " ".join(open_project(tmp_path).errors)
    assert "is TypeScript (app.ts)" in errors and "build first: `sam build`" in errors
    assert "java21 sources that are not built; build first: sam build" in errors
    assert "no bootstrap; build first: cargo lambda build --release" in errors


def test_reserved_variables_in_the_template_are_problems(tmp_path):
    _write(
        tmp_path,
        HEAD + _fn("Fn", "      Handler: app.handler\n      Runtime: python3.12\n"
                   "      Environment:\n        Variables:\n          AWS_REGION: eu-west-1\n"),
    )  # fmt: skip
    errors = " ".join(open_project(tmp_path).errors)
    assert "AWS_REGION is reserved by Lambda" in errors


def test_non_ascii_name_gets_a_valid_lambda_name_and_a_warning(tmp_path):
    _write(tmp_path, HEAD + _fn("Fn", "      Handler: app.handler\n      Runtime: python3.12\n"))
    folder = tmp_path / "Größe Función"
    folder.mkdir()
    (folder / "lambda_function.py").write_text("def lambda_handler(event, context):\n    pass\n")
    project = open_project(folder)
    fn = find_function(project)
    assert fn.function_name == "Grosse-Funcion"
    assert fn.arn.endswith(":function:Grosse-Funcion")
    assert any("it runs and deploys as 'Grosse-Funcion'" in w for w in project.warnings)


def test_region_is_the_pseudo_parameter_and_the_functions_region(tmp_path):
    _write(
        tmp_path,
        HEAD + _fn("Fn", "      Handler: app.handler\n      Runtime: python3.12\n"
                   "      Environment:\n        Variables:\n"
                   "          WHERE: !Sub '${AWS::Region}'\n"),
    )  # fmt: skip
    fn = find_function(open_project(tmp_path, region="eu-central-1"))
    assert fn.region == "eu-central-1" and fn.environment["WHERE"] == "eu-central-1"
    assert fn.arn.startswith("arn:aws:lambda:eu-central-1:")
