"""TypeScript with esbuild (Metadata: BuildMethod: esbuild) and Node.js packages for deploy."""

from __future__ import annotations

import io
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from workbench.core.deploy.dependencies import package_function
from workbench.core.errors import WorkbenchError
from workbench.core.project import open_project
from workbench.core.runtime.invoker import Invoker

ESBUILD_VERSION = "0.28.2"  # scripts/node-peer.sh installs it
TEMPLATE = """Transform: AWS::Serverless-2016-10-31
Resources:
  Typed:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: src
      Handler: app.handler
      Runtime: nodejs20.x
    Metadata:
      BuildMethod: esbuild
      BuildProperties:
        EntryPoints: [app.ts]
"""
APP = """import { greet } from "./greet";

export const handler = async (event: { name?: string }): Promise<string> => greet(event.name);
"""
GREET = 'export const greet = (name = "world"): string => `{0}, ${{name}}!`;\n'


def esbuild_bin() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = cache / "lambda-workbench-node-peer" / f"esbuild-{ESBUILD_VERSION}"
    if not (folder / ".complete").exists():
        reason = "esbuild is not installed here; run scripts/node-peer.sh"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    return folder / "node_modules"


@pytest.fixture
def ts_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LAMBDA_WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "project"
    (root / "src").mkdir(parents=True)
    (root / "template.yaml").write_text(TEMPLATE)
    (root / "src" / "app.ts").write_text(APP)
    (root / "src" / "greet.ts").write_text(GREET.format("Hello"))
    return root


def _invoke(root: Path) -> object:
    [function] = open_project(root).functions
    invoker = Invoker(function, "process")
    try:
        return invoker.invoke(b'{"name": "TS"}')
    finally:
        invoker.close()


def test_template_esbuild_builds_and_runs_the_current_source(ts_project: Path) -> None:
    (ts_project / "node_modules").symlink_to(esbuild_bin())
    project = open_project(ts_project)
    assert project.errors == []
    assert project.functions[0].build_method == "esbuild"
    result = _invoke(ts_project)
    assert result.error is None, result.logs  # type: ignore[attr-defined]
    assert result.payload_json() == "Hello, TS!"  # type: ignore[attr-defined]
    # An edit is a new build: the old JavaScript never runs.
    (ts_project / "src" / "greet.ts").write_text(GREET.format("Goodbye"))
    assert _invoke(ts_project).payload_json() == "Goodbye, TS!"  # type: ignore[attr-defined]
    # The package is the bundle: built JavaScript only.
    package = package_function(open_project(ts_project).functions[0])
    names = zipfile.ZipFile(io.BytesIO(package.data)).namelist()
    assert "app.js" in names and not any(n.endswith(".ts") for n in names)


def test_without_esbuild_one_sentence(
    ts_project: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # PATH holds node and nothing else, so no esbuild can be found anywhere.
    only_node = tmp_path / "only-node"
    only_node.mkdir()
    (only_node / "node").symlink_to(shutil.which("node") or "node")
    monkeypatch.setenv("PATH", str(only_node))
    [function] = open_project(ts_project).functions
    invoker = Invoker(function, "process")
    try:
        with pytest.raises(WorkbenchError, match=r"esbuild is not installed; run 'npm install"):
            invoker.invoke(b"{}")
    finally:
        invoker.close()


def test_build_error_is_a_sentence(ts_project: Path) -> None:
    (ts_project / "node_modules").symlink_to(esbuild_bin())
    (ts_project / "src" / "greet.ts").write_text("export const greet = (: string => ;\n")
    with pytest.raises(WorkbenchError, match=r"(?s)esbuild could not build Typed .*greet.ts"):
        _invoke(ts_project)


def test_stale_javascript_is_never_packaged(tmp_path: Path) -> None:
    (tmp_path / "app.js").write_text("exports.handler = async () => 'old';\n")
    os.utime(tmp_path / "app.js", (1, 1))
    (tmp_path / "app.ts").write_text("export const handler = async () => 'new';\n")
    (tmp_path / "lambda-workbench.json").write_text(
        '{"functions": [{"name": "fn", "handler": "app.handler", "runtime": "nodejs20.x"}]}'
    )
    [function] = open_project(tmp_path).functions
    with pytest.raises(WorkbenchError, match="the JavaScript is stale"):
        package_function(function)


def test_package_installs_dependencies_for_lambda_and_skips_local_node_modules(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LAMBDA_WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))
    code = tmp_path / "fn"
    (code / "node_modules" / "local-only").mkdir(parents=True)
    (code / "node_modules" / "local-only" / "index.js").write_text("module.exports = 1;\n")
    (code / "package.json").write_text(
        '{"dependencies": {"ms": "2.1.3"}, "devDependencies": {"left-pad": "1.3.0"}}'
    )
    (code / "index.js").write_text("exports.handler = async () => require('ms')('1h');\n")
    (code / "lambda-workbench.json").write_text(
        '{"functions": [{"name": "fn", "handler": "index.handler", "runtime": "nodejs20.x"}]}'
    )
    [function] = open_project(code).functions
    package = package_function(function)
    names = zipfile.ZipFile(io.BytesIO(package.data)).namelist()
    assert "node_modules/ms/index.js" in names and "index.js" in names
    assert not any("local-only" in n or "left-pad" in n for n in names), names
    assert "package.json" in names
