"""Which node runs a Node.js function, and the sentence when none fits (real processes)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.languages import family_for
from workbench.core.languages.nodejs_launch import find_node, node_version, runtime_major

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "node_conformance"


def fake_node(folder: Path, version: str) -> Path:
    """A `node` that only answers --version, like a real one would."""
    folder.mkdir(parents=True, exist_ok=True)
    node = folder / "node"
    node.write_text(f"#!/bin/sh\necho {version}\n")
    node.chmod(node.stat().st_mode | stat.S_IEXEC)
    return node


@pytest.fixture
def path_of(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NVM_DIR", str(tmp_path / "no-nvm"))
    monkeypatch.setenv("LAMBDA_WORKBENCH_CACHE_DIR", str(tmp_path / "cache"))

    def use(*folders: Path) -> None:
        monkeypatch.setenv("PATH", os.pathsep.join(str(f) for f in folders))

    return use


def test_runtime_major() -> None:
    assert runtime_major("nodejs22.x") == 22
    assert runtime_major("python3.12") is None


def test_family_matches_node_runtimes() -> None:
    for runtime in ("nodejs20.x", "nodejs22.x", "nodejs24.x"):
        assert family_for(runtime).name == "nodejs"


@pytest.mark.skipif(os.name != "posix", reason="fake node binaries are shell scripts")
def test_missing_node_is_a_sentence(path_of, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path_of(tmp_path / "empty")
    with pytest.raises(WorkbenchError, match="found no 'node' on PATH; install Node.js"):
        find_node("nodejs22.x")


@pytest.mark.skipif(os.name != "posix", reason="fake node binaries are shell scripts")
def test_too_old_node_is_refused(path_of, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    path_of(fake_node(tmp_path / "old", "v16.20.2").parent)
    with pytest.raises(WorkbenchError, match=r"Node.js 16.20.2 .* needs Node.js 18 or newer"):
        find_node("nodejs20.x")


@pytest.mark.skipif(os.name != "posix", reason="fake node binaries are shell scripts")
def test_other_major_runs_with_a_warning_once(path_of, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    node = fake_node(tmp_path / "newer", "v24.1.0")
    path_of(node.parent)
    found, warning = find_node("nodejs20.x")
    assert found.version == "24.1.0" and found.path == str(node)
    assert warning == (
        f"This nodejs20.x function ran on Node.js 24.1.0 ({node}) because no Node.js 20 was "
        "found on PATH or in nvm; behaviour may differ from Lambda's. Install Node.js 20 "
        "(for example with nvm) or use the Docker runner."
    )
    assert find_node("nodejs20.x")[1] is None  # said once per process


@pytest.mark.skipif(os.name != "posix", reason="fake node binaries are shell scripts")
def test_exact_major_from_nvm_wins(path_of, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    path_of(fake_node(tmp_path / "path", "v24.1.0").parent)
    nvm = tmp_path / "nvm"
    exact = fake_node(nvm / "versions" / "node" / "v22.3.0" / "bin", "v22.3.0")
    monkeypatch.setenv("NVM_DIR", str(nvm))
    found, warning = find_node("nodejs22.x")
    assert (found.path, found.source, warning) == (str(exact), "nvm", None)


def test_version_of_the_real_node() -> None:
    import shutil

    node = shutil.which("node")
    assert node is not None, "node must be on PATH for the Node.js tests"
    assert node_version(node) is not None


def test_launch_sets_lambda_environment() -> None:
    function = FunctionConfig(
        name="fn",
        handler="app.ok",
        code_dir=FIXTURES,
        runtime="nodejs20.x",
        layers=[FIXTURES / "layer"],
    )
    launch = family_for("nodejs20.x").process_launch(function, "127.0.0.1:9")
    assert launch.argv[-1] == "app.ok" and launch.argv[-2].endswith("bootstrap.mjs")
    assert launch.cwd == FIXTURES
    assert launch.env["LAMBDA_TASK_ROOT"] == str(FIXTURES)
    assert launch.env["AWS_LAMBDA_RUNTIME_API"] == "127.0.0.1:9"
    assert launch.env["NODE_PATH"].split(os.pathsep) == [
        str(FIXTURES / "layer" / "nodejs" / "node20" / "node_modules"),
        str(FIXTURES / "layer" / "nodejs" / "node_modules"),
    ]
    assert launch.runtime_version.startswith("Node.js ")


def test_result_says_which_node_ran_and_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    import shutil

    from workbench.core.languages import nodejs_launch
    from workbench.core.runtime.invoker import Invoker

    node = shutil.which("node")
    assert node is not None
    major = nodejs_launch.node_version(node).split(".")[0]  # type: ignore[union-attr]
    other = "nodejs24.x" if major != "24" else "nodejs22.x"
    monkeypatch.setattr(nodejs_launch, "_warned", set())
    function = FunctionConfig(
        name="fn", handler="bad_import.handler", code_dir=FIXTURES, runtime=other
    )
    invoker = Invoker(function, "process")
    try:
        result = invoker.invoke(b"{}")
    finally:
        invoker.close()
    assert result.error["errorType"] == "Runtime.ImportModuleError"
    hints = result.hints
    assert f"Ran on Node.js {major}." in hints[0]
    assert any(h.startswith(f"This {other} function ran on Node.js {major}.") for h in hints)
    assert any("'nonexistent-module-xyz' must come with the function" in h for h in hints)


@pytest.mark.skipif(os.name != "posix", reason="fake node binaries are shell scripts")
def test_version_is_remembered_across_processes(path_of, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from workbench.core.languages import nodejs_launch

    node = fake_node(tmp_path / "cached", "v22.3.0")
    assert node_version(str(node)) == "22.3.0"
    # A new process (empty memory cache) must not need to run node again: same size and
    # time, but the binary no longer answers.
    monkeypatch.setattr(nodejs_launch, "_cache", {})
    stamp = node.stat()
    node.write_text("#!/bin/sh\nexit 1\n".ljust(stamp.st_size - 1) + "\n")
    os.utime(node, ns=(stamp.st_atime_ns, stamp.st_mtime_ns))
    assert node_version(str(node)) == "22.3.0"


def test_a_node_environment_presents_its_token_and_hides_it() -> None:
    """A Python thief cannot take a Node.js environment's invocations; the token stays hidden."""
    import json
    import sys

    from workbench.core.runtime.invoker import Invoker

    handlers = Path(__file__).resolve().parents[2] / "docker" / "handlers"
    victim = Invoker(
        FunctionConfig("victim", "app.contextInfo", FIXTURES, runtime="nodejs20.x"), "process"
    )
    thief = Invoker(FunctionConfig("thief", "sandbox.steal", handlers, timeout_s=30), "process")
    try:
        victim.prestart()  # the Node.js client is now long-polling `next`
        assert victim._api is not None
        token = victim._api._token
        assert token, "the Node.js client must be given a token"
        addresses = victim._api.addresses
        stolen = thief.invoke(json.dumps({"addresses": addresses}).encode())
        assert stolen.payload_json() == {addresses[0]: {"next": 403}}
        own = victim.invoke(b"{}")
        assert own.succeeded, own.logs
        assert token not in json.dumps(own.payload_json())
        if sys.platform.startswith("linux"):
            pid = victim._env.process.pid  # type: ignore[union-attr]
            for name in ("environ", "cmdline"):
                assert token.encode() not in Path(f"/proc/{pid}/{name}").read_bytes()
    finally:
        victim.close()
        thief.close()


def test_the_node_runtime_exits_when_its_runtime_api_goes_away(tmp_path):
    """It once spun at full CPU forever (a parameter hid the function that exits)."""
    import time

    from workbench.core.function import FunctionConfig
    from workbench.core.runtime.invoker import Invoker

    (tmp_path / "index.mjs").write_text("export const handler = async () => 'ok';\n")
    function = FunctionConfig(
        name="gone", handler="index.handler", code_dir=tmp_path, runtime="nodejs20.x"
    )
    invoker = Invoker(function, "process")
    try:
        assert invoker.invoke(b"{}").succeeded
        env = invoker._env
        assert env is not None
        invoker._api.close()  # type: ignore[union-attr]  # the workbench's side disappears
        deadline = time.monotonic() + 10
        while env.alive and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not env.alive
    finally:
        invoker.close()
