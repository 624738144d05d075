"""The runtime-family interface and the Python family's pieces (no process runs here)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.languages import (
    OUTPUT_SENTINEL,
    LanguageFamily,
    families,
    family_for,
    find_family,
    frame_patterns,
    with_init,
)
from workbench.core.languages.python_interpreters import find_interpreter
from workbench.core.runtime import bootstrap


@pytest.mark.parametrize("runtime", ["python3.9", "python3.12", "python3.14"])
def test_python_runtimes_belong_to_the_python_family(runtime):
    family = family_for(runtime)
    assert isinstance(family, LanguageFamily) and family.name == "python"
    assert family.execution_env(runtime) == f"AWS_Lambda_{runtime}"
    assert family.dependency_mount == "/opt/python"


def test_an_unknown_runtime_gets_a_sentence():
    assert find_family("java21") is None
    with pytest.raises(WorkbenchError, match=r"cannot run the runtime 'java21'.*Docker"):
        family_for("java21")
    assert find_family("python") is None and find_family("python3") is None


def test_every_family_module_is_found_once():
    names = [family.name for family in families()]
    assert names[0] == "python" and len(names) == len(set(names))


def test_the_bootstrap_writes_the_interface_sentinel():
    assert bootstrap.SENTINEL == OUTPUT_SENTINEL


def test_frame_pattern_finds_python_frames():
    trace = '  File "/var/task/app.py", line 12, in handler\n    raise ValueError()\n'
    [match] = [m for p in frame_patterns() for m in p.finditer(trace)]
    assert (match["path"], match["line"]) == ("/var/task/app.py", "12")


def test_starters_and_handlers(tmp_path):
    family = family_for("python3.12")
    hello = family.starters["hello"]
    module = tmp_path / f"{family.default_module}{hello.suffix}"
    module.write_text(hello.code)
    assert family.find_handlers(tmp_path) == [f"{family.default_module}.{hello.function}"]
    handler = f"{family.default_module}.{hello.function}"
    assert family.handler_problem(tmp_path, handler) is None
    assert "no top-level function 'nope'" in str(
        family.handler_problem(tmp_path, "lambda_function.nope")
    )


def test_dependency_manifest_and_install_commands(tmp_path):
    family = family_for("python3.12")
    assert family.dependency_manifest(tmp_path) is None
    (tmp_path / "requirements.txt").write_text("six\n")
    manifest = family.dependency_manifest(tmp_path)
    assert manifest == tmp_path / "requirements.txt"
    install = family.docker_install(manifest)
    assert install is not None and install.entrypoint == ("python3",)
    assert install.command[-2:] == ("-r", "/manifest/requirements.txt")
    assert "/out" in install.command
    command = family.deploy_install(manifest, tmp_path / "out", "python3.13", "arm64")
    assert command is not None
    assert command[command.index("--python-version") + 1] == "3.13"
    assert command[command.index("--platform") + 1] == "manylinux2014_aarch64"


def test_import_error_hint_names_requirements(tmp_path):
    family = family_for("python3.12")
    function = FunctionConfig(name="f", handler="app.handler", code_dir=tmp_path)
    error = {
        "errorType": "Runtime.ImportModuleError",
        "errorMessage": "Unable to import module 'app': No module named 'yaml.loader'",
    }
    [hint] = family.error_hints(error, function)
    assert "'yaml'" in hint and "requirements.txt" in hint
    assert family.error_hints({"errorType": "ValueError"}, function) == []
    assert family.error_hints(None, function) == []


def test_import_error_hint_for_a_missing_handler_file_names_the_file(tmp_path):
    # Found by a new user's first invoke of an empty folder: the hint said to add the
    # handler's own module to requirements.txt.
    family = family_for("python3.12")
    function = FunctionConfig(name="f", handler="lambda_function.lambda_handler", code_dir=tmp_path)
    error = {
        "errorType": "Runtime.ImportModuleError",
        "errorMessage": "Unable to import module 'lambda_function': "
        "No module named 'lambda_function'",
    }
    [hint] = family.error_hints(error, function)
    assert "lambda_function.py" in hint and "requirements.txt" not in hint
    nested = FunctionConfig(name="f", handler="src.app.handler", code_dir=tmp_path)
    error["errorMessage"] = "Unable to import module 'src.app': No module named 'src'"
    [hint] = family.error_hints(error, nested)
    assert "src/app.py" in hint


# Interpreter lookup


def _link_python(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    link = folder / name
    link.symlink_to(sys.executable)
    return link


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_path_interpreter_of_the_exact_version_is_used(tmp_path, monkeypatch):
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    link = _link_python(tmp_path / "bin", f"python{version}")
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    found, warning = find_interpreter(tmp_path, f"python{version}")
    assert (found.path, found.source, warning) == (str(link), "PATH", None)


@pytest.mark.skipif(os.name == "nt", reason="symlinks")
def test_pyenv_shims_are_skipped_and_versions_used(tmp_path, monkeypatch):
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    _link_python(tmp_path / "pyenv" / "shims", f"python{version}")
    real = _link_python(
        tmp_path / "pyenv" / "versions" / f"{version}.99" / "bin", f"python{version}"
    )
    _link_python(tmp_path / "pyenv" / "versions" / f"{version}.1" / "bin", f"python{version}")
    monkeypatch.setenv("PATH", str(tmp_path / "pyenv" / "shims"))
    monkeypatch.setenv("PYENV_ROOT", str(tmp_path / "pyenv"))
    found, _ = find_interpreter(tmp_path, f"python{version}")
    assert (found.path, found.source, found.full_version) == (str(real), "pyenv", f"{version}.99")


def test_a_function_venv_wins_and_a_version_mismatch_warns_once(tmp_path):
    code = tmp_path / "fn"
    code.mkdir()
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(code / ".venv")], check=True)
    found, warning = find_interpreter(code, "python3.98")
    assert found.venv == code / ".venv" and found.source == "the function's .venv"
    assert warning is not None and "the function's .venv uses it" in warning
    assert find_interpreter(code, "python3.98")[1] is None  # once per process


# The cache folder built once across processes (issue 18 item 8)

_BUILDER = """
import sys, time
from pathlib import Path
from workbench.core.languages.cache_build import build_once
from workbench.core.progress import CancelToken
target, log = Path(sys.argv[1]), Path(sys.argv[2])
sys.stdin.readline()  # start together

def build(partial):
    with log.open("a") as f:
        f.write("built\\n")
    time.sleep(0.3)  # a slow pip: the others must wait, not see a half-built folder
    (partial / "pkg.py").write_text("VALUE = 1\\n")

print(build_once(target, build, CancelToken()), (target / "pkg.py").read_text().strip())
"""


def test_concurrent_processes_build_a_cache_folder_once(tmp_path):
    target, log = tmp_path / "cache" / "deps", tmp_path / "log"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _BUILDER, str(target), str(log)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(4)
    ]
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    outputs = [proc.communicate(timeout=60)[0].strip() for proc in procs]
    assert all(proc.returncode == 0 for proc in procs)
    assert outputs == [f"{target} VALUE = 1"] * 4
    assert log.read_text() == "built\n"
    assert [p.name for p in target.parent.iterdir() if "partial" in p.name] == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux subreaper")
def test_with_init_ends_what_an_exec_runtime_left_behind():
    # Any family's runtime (here a shell) that starts a detached child and exits.
    argv = with_init(["/bin/sh", "-c", "setsid sleep 300 </dev/null >/dev/null 2>&1 & echo $!"])
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdin is not None
    pid = int(proc.stdout.readline().strip())
    # stdin stays open (closing it means "the workbench is gone", a separate case).
    assert proc.wait(timeout=30) == 0
    proc.stdin.close()
    proc.stdout.close()
    for _ in range(500):  # bounded wait for the kill to land: 5 s
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
                if stat.read().rpartition(")")[2].split()[0] == "Z":
                    break
        except OSError:
            break
        threading.Event().wait(0.01)
    else:
        pytest.fail(f"the detached child {pid} outlived its environment")


def test_python_tells_another_version_from_the_runtime_clients_user_agent():
    from workbench.core.languages import family_for

    python = family_for("python3.12")
    assert python.ran_other_version("aws-lambda-python/3.11.2-4.2.2", "python3.12") == (
        "Python 3.11.2"
    )
    assert python.ran_other_version("aws-lambda-python/3.12.7-3.0.0", "python3.12") is None
    assert python.ran_other_version("curl/8.0", "python3.12") is None  # says nothing
    assert family_for("nodejs20.x").ran_other_version("aws-lambda-python/3.11.2-1", "x") is None
