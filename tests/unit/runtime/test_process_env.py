"""Process-environment specifics: interpreter choice, cancel, signals, live output."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from workbench.core.errors import Cancelled
from workbench.core.function import FunctionConfig
from workbench.core.languages import family_for
from workbench.core.progress import CancelToken
from workbench.core.runtime.invoker import Invoker
from workbench.core.settings import cache_dir

CONFORMANCE = FIXTURES / "conformance"


def invoker(handler: str, code_dir: Path = CONFORMANCE, **changes: object) -> Invoker:
    function = FunctionConfig(name="t", handler=handler, code_dir=code_dir)
    for key, value in changes.items():
        setattr(function, key, value)
    return Invoker(function, "process")


def test_function_venv_interpreter_is_used(tmp_path):
    (tmp_path / "app.py").write_text(
        "import sys\ndef handler(event, context):\n    return sys.prefix\n"
    )
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(tmp_path / ".venv")], check=True
    )
    inv = invoker("app.handler", tmp_path)
    try:
        result = inv.invoke(b"{}")
    finally:
        inv.close()
    assert Path(result.payload_json()).resolve() == (tmp_path / ".venv").resolve()


def test_code_dir_is_cwd_and_first_on_path():
    inv = invoker("app.which_python")
    try:
        data = inv.invoke(b"{}").payload_json()
    finally:
        inv.close()
    assert Path(data["cwd"]) == CONFORMANCE and Path(data["path0"]) == CONFORMANCE


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_signal_kill_is_reported_like_lambda():
    inv = invoker("app.killed")
    try:
        result = inv.invoke(b"{}")
        assert result.error["errorType"] == "Runtime.ExitError"
        assert result.error["errorMessage"].endswith("Runtime exited with error: signal: killed")
        assert inv.state == "cold"
    finally:
        inv.close()


def test_cancel_stops_a_hanging_handler():
    inv = invoker("app.hangs", timeout_s=60)
    token = CancelToken()
    threading.Timer(0.5, token.cancel).start()
    try:
        with pytest.raises(Cancelled):
            inv.invoke(b"{}", cancel=token)
        assert inv.state == "cold"
    finally:
        inv.close()


class Collect:
    def __init__(self) -> None:
        self.text = ""

    def progress(self, message: str, fraction: float | None = None) -> None:
        pass

    def output(self, text: str) -> None:
        self.text += text


def test_output_streams_to_the_sink_live():
    inv = invoker("app.logs")
    sink = Collect()
    try:
        result = inv.invoke(b"{}", sink=sink)
    finally:
        inv.close()
    assert "printed line" in sink.text and "printed line" in result.logs


def test_prestart_then_invoke_is_cold_with_init_duration():
    inv = invoker("app.counts")
    try:
        inv.prestart()
        assert inv.state == "warm"
        result = inv.invoke(b"{}")
        assert result.cold_start and result.init_duration_ms is not None
        assert result.duration_ms < result.init_duration_ms + 1000
    finally:
        inv.close()


def test_late_exit_of_a_retired_environment_does_not_fail_the_current_invoke():
    callbacks = []

    def factory(runner, function, api_address, on_output, on_exit, **_):
        callbacks.append((on_output, on_exit))
        from workbench.core.runtime.process_env import ProcessEnvironment

        return ProcessEnvironment(function, api_address, on_output, on_exit)

    function = FunctionConfig(name="t", handler="app.sleeps", code_dir=CONFORMANCE)
    inv = Invoker(function, "process", environment_factory=factory)
    try:
        inv.invoke(b'{"s": 0}')
        inv.reset()
        old_output, old_exit = callbacks[0]
        from workbench.core.runtime.environment import ExitInfo

        # The old environment reports its exit and stray output while the new one works.
        threading.Timer(0.3, lambda: (old_output(b"stale\n"), old_exit(ExitInfo(code=1)))).start()
        result = inv.invoke(b'{"s": 0.8}')
        assert result.succeeded and result.payload == b'"slept"'
        assert "stale" not in result.logs
    finally:
        inv.close()


def test_max_memory_is_the_functions_not_the_parents():
    # Linux keeps ru_maxrss across fork+exec: a big parent (like the GUI) must not
    # inflate the function's Max Memory Used.
    ballast = bytearray(400 * 1024 * 1024)
    ballast[::4096] = b"x" * len(ballast[::4096])
    inv = invoker("app.ok")
    try:
        result = inv.invoke(b"{}")
    finally:
        inv.close()
    assert result.max_memory_used_mb is not None and 5 < result.max_memory_used_mb < 200
    del ballast


def test_edit_within_the_same_second_runs_new_code(tmp_path):
    source = tmp_path / "app.py"
    source.write_text("def handler(event, context):\n    return 'AAAA'\n")
    inv = invoker("app.handler", tmp_path)
    try:
        assert inv.invoke(b"{}").payload == b'"AAAA"'
        stat = source.stat()
        source.write_text("def handler(event, context):\n    return 'BBBB'\n")  # same size
        import os

        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same mtime
        inv.reset()
        assert inv.invoke(b"{}").payload == b'"BBBB"'
    finally:
        inv.close()
    assert not (tmp_path / "__pycache__").exists()


# The function's own interpreter and packages only (issue 17 item 1).

WORKBENCH_ROOT = Path(__file__).resolve().parents[3]


def test_a_package_the_function_does_not_ship_fails_to_import_as_on_lambda():
    import importlib.util

    assert importlib.util.find_spec("requests") is not None  # the workbench itself has it
    inv = invoker("needs_requests.handler")
    try:
        result = inv.invoke(b"{}")
    finally:
        inv.close()
    assert result.error == {
        "errorType": "Runtime.ImportModuleError",
        "errorMessage": "Unable to import module 'needs_requests': No module named 'requests'",
        "stackTrace": [],
    }
    [hint] = family_for("python3.12").error_hints(result.error, inv.function)
    assert "requirements.txt" in hint and "'requests'" in hint


def test_boto3_imports_and_nothing_of_the_workbench_is_on_sys_path():
    inv = invoker("isolation.environment")
    try:
        result = inv.invoke(b"{}")
    finally:
        inv.close()
    data = result.payload_json()
    assert data["boto3"].startswith(str(cache_dir()))  # the isolated SDK folder
    assert data["path"][0] == str(CONFORMANCE)
    venv_prefix = str(Path(sys.prefix).resolve())
    for entry in data["path"]:
        resolved = str(Path(entry).resolve())
        assert not resolved.startswith(venv_prefix), entry
        assert not resolved.startswith(str(WORKBENCH_ROOT / "workbench")), entry
        assert "site-packages" not in entry, entry
    assert data["leaked"] == []  # the launch variables are gone before user code runs


def test_execution_env_names_the_interpreter_that_ran():
    inv = invoker("isolation.environment")
    try:
        data = inv.invoke(b"{}").payload_json()
        env = inv._env
        assert env is not None
    finally:
        inv.close()
    major, minor = data["version"]
    assert data["execution_env"] == f"AWS_Lambda_python{major}.{minor}"
    assert f"Python {major}.{minor}" in env.runtime_version  # type: ignore[attr-defined]


def test_a_missing_version_runs_on_another_with_one_warning():
    # No machine has Python 3.99: the process runner says what it ran instead, once.
    first = invoker("isolation.environment", runtime="python3.99")
    second = invoker("isolation.environment", runtime="python3.99")
    try:
        data = first.invoke(b"{}").payload_json()
        warnings = list(first._env.hints)  # type: ignore[union-attr]
        assert second.invoke(b"{}").succeeded
        again = list(second._env.hints)  # type: ignore[union-attr]
    finally:
        first.close()
        second.close()
    major, minor = data["version"]
    assert data["execution_env"] == f"AWS_Lambda_python{major}.{minor}"
    ran, warning = warnings
    assert ran.startswith(f"Ran on Python {major}.{minor}")
    assert f"python3.99 function ran on Python {major}.{minor}" in warning
    assert "Install Python 3.99" in warning
    assert again == [ran]  # what ran, every time; the warning once


def _wheel(folder: Path, name: str, source: str) -> Path:
    """A minimal pure-Python wheel, so pip installs it with no network."""
    import zipfile

    info = f"{name}-1.0.dist-info"
    files = {
        f"{name}/__init__.py": source,
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n",
    }
    files[f"{info}/RECORD"] = "".join(f"{path},,\n" for path in [*files, f"{info}/RECORD"])
    path = folder / f"{name}-1.0-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for member, text in files.items():
            archive.writestr(member, text)
    return path


def test_requirements_are_installed_once_and_importable(tmp_path):
    wheel = _wheel(tmp_path, "wbtestpkg", "VALUE = 42\n")
    (tmp_path / "requirements.txt").write_text(f"--no-index\n{wheel}\n")
    (tmp_path / "app.py").write_text(
        "import wbtestpkg\ndef handler(event, context):\n"
        "    return [wbtestpkg.VALUE, wbtestpkg.__file__]\n"
    )
    inv = invoker("app.handler", tmp_path)
    try:
        value, where = inv.invoke(b"{}").payload_json()
        inv.reset()
        assert inv.invoke(b"{}").payload_json() == [value, where]  # cached, same folder
    finally:
        inv.close()
    assert value == 42
    assert Path(where).is_relative_to(cache_dir() / "process-deps")


# Nothing the handler starts outlives the environment (issue 17 item 14).


def _gone(pid: int) -> bool:
    """True once `pid` has ended (a zombie waiting for init to reap it counts as ended)."""
    for _ in range(500):  # bounded: 5 s
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                if stat.read().rpartition(")")[2].split()[0] == "Z":
                    return True
        except OSError:
            return True
        threading.Event().wait(0.01)
    return False


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux /proc")


@linux_only
def test_a_detached_child_does_not_outlive_the_environment():
    inv = invoker("isolation.detached_child")
    try:
        pid = inv.invoke(b"{}").payload_json()
        assert not _gone_now(pid)
    finally:
        inv.close()
    assert _gone(pid)


@linux_only
def test_a_process_orphaned_during_init_is_adopted_by_the_environment():
    # The runtime starts while the environment's init makes itself the subreaper; the
    # function's code must not run before that, or this orphan would escape to pid 1.
    inv = invoker("init_orphan.handler")
    try:
        seen = inv.invoke(b"{}").payload_json()
        assert seen["adopted_by"] == seen["init"], seen
    finally:
        inv.close()
    assert _gone(seen["orphan"])


@linux_only
def test_a_detached_child_does_not_outlive_a_runtime_that_exits():
    inv = invoker("isolation.detached_child")
    try:
        result = inv.invoke(b'{"exit": 3}')
    finally:
        inv.close()
    assert result.error["errorMessage"].endswith("exit status 3")
    pid = int(result.logs.split("child ", 1)[1].split()[0])
    assert _gone(pid)


@linux_only
def test_a_detached_child_does_not_outlive_a_killed_workbench(tmp_path):
    # The workbench process (here a small script) is killed outright: no cleanup code runs.
    script = (
        "import sys, os, signal\n"
        "from pathlib import Path\n"
        "from workbench.core.function import FunctionConfig\n"
        "from workbench.core.runtime.invoker import Invoker\n"
        f"function = FunctionConfig(name='t', handler='isolation.detached_child',"
        f" code_dir=Path({str(CONFORMANCE)!r}))\n"
        "result = Invoker(function, 'process').invoke(b'{}')\n"
        "print(result.payload.decode(), flush=True)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert run.returncode == -9, run.stderr
    assert _gone(int(run.stdout.strip()))


def _gone_now(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rpartition(")")[2].split()[0] == "Z"
    except OSError:
        return True


def test_layers_come_after_the_code_and_the_last_layer_wins(tmp_path):
    for name in ("one", "two"):
        (tmp_path / name / "python").mkdir(parents=True)
        (tmp_path / name / "python" / "shared.py").write_text(f"WHO = {name!r}\n")
    (tmp_path / "code").mkdir()
    (tmp_path / "code" / "app.py").write_text(
        "import sys, shared\ndef handler(event, context):\n    return [shared.WHO, sys.path]\n"
    )
    inv = invoker("app.handler", tmp_path / "code", layers=[tmp_path / "one", tmp_path / "two"])
    try:
        who, path = inv.invoke(b"{}").payload_json()
    finally:
        inv.close()
    assert who == "two"
    assert path[0] == str(tmp_path / "code")
    assert path.index(str(tmp_path / "two" / "python")) < path.index(
        str(tmp_path / "one" / "python")
    )


def test_a_function_venv_gives_its_packages_and_runs_their_pth_files(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(tmp_path / ".venv")], check=True
    )
    [site] = list((tmp_path / ".venv").glob("lib/python3*/site-packages"))
    (site / "inside.py").write_text("WHERE = 'venv'\n")
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "editable.py").write_text("WHERE = 'pth'\n")
    (site / "editable.pth").write_text(str(tmp_path / "src") + "\n")
    (tmp_path / "app.py").write_text(
        "import inside, editable\n"
        "def handler(event, context):\n    return [inside.WHERE, editable.WHERE]\n"
    )
    inv = invoker("app.handler", tmp_path)
    try:
        assert inv.invoke(b"{}").payload_json() == ["venv", "pth"]
    finally:
        inv.close()


def test_a_logging_py_in_the_code_does_not_replace_lambdas_logging(tmp_path):
    # On Lambda the runtime has loaded logging before /var/task is searched, so a
    # function's own logging.py never shadows it; the bootstrap loads logging on first
    # import, and must still find the standard library's.
    (tmp_path / "logging.py").write_text("raise RuntimeError('the function folder logging.py')\n")
    (tmp_path / "app.py").write_text(
        "import logging\n"
        "def handler(event, context):\n"
        "    logging.getLogger().warning('from the handler')\n"
        "    return logging.__file__\n"
    )
    inv = invoker("app.handler", tmp_path)
    try:
        result = inv.invoke(b"{}")
    finally:
        inv.close()
    assert result.error is None, result.error
    assert Path(result.payload_json()).parent != tmp_path
    assert f"\t{result.request_id}\tfrom the handler" in result.logs


def test_a_handler_that_never_logs_does_not_load_logging(tmp_path):
    # Init Duration: the runtime itself imports only what every invoke needs.
    (tmp_path / "app.py").write_text(
        "import sys\ndef handler(event, context):\n    return 'logging' in sys.modules\n"
    )
    inv = invoker("app.handler", tmp_path)
    try:
        assert inv.invoke(b"{}").payload_json() is False
    finally:
        inv.close()
