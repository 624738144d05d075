"""Handler discovery in JavaScript/TypeScript files, handler checks and frame links."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.languages import family_for
from workbench.core.languages.nodejs import FAMILY
from workbench.core.languages.nodejs_handlers import exported_handlers, handler_problem
from workbench.core.languages.provided import FAMILY as PROVIDED

SOURCE = """
// exports.commentedOut = async (event) => 1;
/* export const alsoCommented = async (event, context) => 1; */
exports.cjsHandler = async (event, context) => ({ ok: true });
module.exports.viaModule = function (event) { return 1; };
export const arrow = async (event) => 1;
export const single = event => event;
export async function declared(event, context, callback) {}
export function* notAHandler(a, b) {}
export const add = (a, b) => a + b;
export const handler = async () => "named handler";
export const typed = async (event: APIGatewayProxyEvent, context: Context): Promise<R> => x;
function local(event, context) {}
const other = async (evt) => 1;
export { local, other as renamed, helperName };
module.exports = { local, aliased: other };
"""


def test_exported_handlers_in_source_order() -> None:
    assert exported_handlers(SOURCE) == [
        "cjsHandler",
        "viaModule",
        "arrow",
        "single",
        "declared",
        "handler",
        "typed",
        "local",
        "renamed",
        "aliased",
    ]


def test_find_handlers_in_a_folder(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "index.mjs").write_text("export const handler = async (event) => 1;\n")
    (tmp_path / "app.ts").write_text("export const handler = async (event: any) => 1;\n")
    (tmp_path / "types.d.ts").write_text("export declare function handler(event: any): void;\n")
    (tmp_path / "node_modules" / "dep").mkdir(parents=True)
    (tmp_path / "node_modules" / "dep" / "index.js").write_text("exports.handler = (e) => 1;\n")
    (tmp_path / "legacy.cjs").write_text("exports.main = (event, context, callback) => {};\n")
    assert FAMILY.find_handlers(tmp_path) == ["app.handler", "legacy.main", "src/index.handler"]


def test_find_handlers_of_the_conformance_fixtures() -> None:
    found = FAMILY.find_handlers(FIXTURES / "node_conformance")
    assert {"app.ok", "app.contextInfo", "esm.handler", "src/index.handler"} <= set(found)
    assert "app.notAFunction" not in found


def test_handler_problems(tmp_path: Path) -> None:
    (tmp_path / "index.mjs").write_text("export const handler = async () => 1;\n")
    assert handler_problem(tmp_path, "index.handler") is None
    assert "must be FILE.FUNCTION" in str(handler_problem(tmp_path, "index"))
    assert "No main.js, main.mjs or main.cjs" in str(handler_problem(tmp_path, "main.handler"))
    (tmp_path / "lib").mkdir()
    (tmp_path / "lib" / "x.cjs").write_text("exports.h = async () => 1;\n")
    assert handler_problem(tmp_path, "lib/x.h") is None


def test_typescript_must_be_built_first(tmp_path: Path) -> None:
    source = tmp_path / "app.ts"
    source.write_text("export const handler = async () => 1;\n")
    problem = handler_problem(tmp_path, "app.handler")
    assert problem is not None and problem.startswith(
        "Handler 'app.handler' is TypeScript (app.ts); Lambda runs JavaScript, so build first"
    )
    function = FunctionConfig("ts", "app.handler", tmp_path, runtime="nodejs20.x")
    with pytest.raises(WorkbenchError, match="so build first: `sam build`"):
        FAMILY.process_launch(function, "127.0.0.1:9")
    compiled = tmp_path / "app.js"
    compiled.write_text("exports.handler = async () => 1;\n")
    old = time.time() - 100
    os.utime(compiled, (old, old))
    problem = handler_problem(tmp_path, "app.handler")
    assert problem is not None and "the JavaScript is stale" in problem
    with pytest.raises(WorkbenchError, match="stale"):
        FAMILY.process_launch(function, "127.0.0.1:9")
    os.utime(compiled, None)
    assert handler_problem(tmp_path, "app.handler") is None


@pytest.mark.parametrize(
    ("line", "path", "number"),
    [
        ("    at handler (file:///var/task/index.mjs:3:9)", "/var/task/index.mjs", 3),
        ("    at Runtime.handler (/var/task/app.js:12:15)", "/var/task/app.js", 12),
        ("    at /var/task/src/index.cjs:7:1", "/var/task/src/index.cjs", 7),
        ("    at async Promise.all (index 0)", None, None),
        ("    at handler (C:\\fn\\app.js:4:2)", "C:\\fn\\app.js", 4),
        ("    at node:internal/modules/cjs/loader:1521:14", None, None),
    ],
)
def test_frame_pattern(line: str, path: str | None, number: int | None) -> None:
    match = FAMILY.frame_pattern.search(line)
    if path is None:
        assert match is None
    else:
        assert match is not None and (match["path"], int(match["line"])) == (path, number)


def test_error_hints_name_the_missing_package(tmp_path: Path) -> None:
    function = FunctionConfig("fn", "index.handler", tmp_path, runtime="nodejs22.x")
    error = {"errorMessage": "Error: Cannot find module 'lodash'\nRequire stack:\n- x"}
    [hint] = FAMILY.error_hints(error, function)
    assert "'lodash' must come with the function" in hint
    sdk = {"errorMessage": "Cannot find package '@aws-sdk/client-s3' imported from x"}
    assert "provide the AWS SDK" in FAMILY.error_hints(sdk, function)[0]
    assert FAMILY.error_hints({"errorMessage": "Cannot find module './local'"}, function) == []


def test_package_json_dependencies_decide_the_manifest(tmp_path: Path) -> None:
    manifest = tmp_path / "package.json"
    manifest.write_text('{"devDependencies": {"jest": "1"}}')
    assert FAMILY.dependency_manifest(tmp_path) is None
    manifest.write_text('{"dependencies": {"ms": "2"}}')
    assert FAMILY.dependency_manifest(tmp_path) == manifest
    install = FAMILY.docker_install(manifest)
    assert "npm install --omit=dev" in install.command[0]
    (tmp_path / "package-lock.json").write_text("{}")
    assert "npm ci --omit=dev" in FAMILY.docker_install(manifest).command[0]


def test_provided_family(tmp_path: Path) -> None:
    assert family_for("provided.al2023") is PROVIDED and family_for("provided.al2") is PROVIDED
    assert "executable file named 'bootstrap'" in str(PROVIDED.handler_problem(tmp_path, "x"))
    (tmp_path / "bootstrap").write_text("#!/bin/sh\n")
    (tmp_path / "bootstrap").chmod(0o644)
    if os.name == "posix":
        assert "is not executable" in str(PROVIDED.handler_problem(tmp_path, "x"))
    (tmp_path / "bootstrap").chmod(0o755)
    assert PROVIDED.handler_problem(tmp_path, "x") is None
    assert PROVIDED.find_handlers(tmp_path) == ["bootstrap"]
    function = FunctionConfig("go", "bootstrap", tmp_path, runtime="provided.al2023")
    with pytest.raises(WorkbenchError, match="runs custom runtimes in Docker only"):
        PROVIDED.process_launch(function, "127.0.0.1:9")


def test_plain_node_folder_defaults_to_node(tmp_path: Path) -> None:
    from workbench.core.project import open_project

    (tmp_path / "index.mjs").write_text("export const handler = async (event) => 1;\n")
    project = open_project(tmp_path)
    [function] = project.functions
    assert (function.handler, function.runtime) == ("index.handler", "nodejs22.x")
    assert project.errors == []


def test_user_frames_of_a_node_trace_outermost_first(tmp_path: Path) -> None:
    from workbench.core.stack_frames import user_frames

    (tmp_path / "index.mjs").write_text("export const handler = async () => inner();\n")
    (tmp_path / "lib.mjs").write_text("export const inner = () => { throw new Error('x'); };\n")
    error = {
        "errorType": "Error",
        "errorMessage": "x",
        "trace": [
            "Error: x",
            "    at inner (file:///var/task/lib.mjs:1:36)",
            "    at Runtime.handler (file:///var/task/index.mjs:1:40)",
            "    at Runtime.handleOnceNonStreaming (file:///var/runtime/index.mjs:1173:29)",
        ],
    }
    frames = user_frames(error, "", tmp_path)
    assert [(f.path.name, f.line) for f in frames] == [("index.mjs", 1), ("lib.mjs", 1)]
