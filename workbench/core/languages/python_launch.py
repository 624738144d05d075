"""How a Python function's process environment starts: interpreter, isolation, sys.path.

The interpreter runs with `-I -S`: no PYTHON* variables, no user or system
site-packages, not even the workbench's own; the bootstrap then puts exactly the
function's paths on sys.path, in Lambda's order (shared/lambda-facts.md §4):
the code folder, the function's .venv or requirements install, its layers'
python/ folders, then the AWS SDK the managed runtime provides.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from workbench.core.function import FunctionConfig
from workbench.core.languages import python_deps
from workbench.core.languages.base import Launch, host_environment
from workbench.core.languages.python_interpreters import Interpreter, find_interpreter
from workbench.core.progress import CancelToken, Sink
from workbench.core.runtime import reaper
from workbench.core.runtime.lambda_env import lambda_environment
from workbench.core.settings import cache_dir

# Read (and removed from os.environ) by the bootstrap before any user code runs.
PATH_VARIABLE = "WORKBENCH_PYTHON_PATH"
SITE_VARIABLE = "WORKBENCH_PYTHON_SITES"
VENV_VARIABLE = "WORKBENCH_PYTHON_VENV"


def launch(
    family: object, function: FunctionConfig, api_address: str, cancel: CancelToken, sink: Sink
) -> Launch:
    from workbench.core.languages.python import bootstrap_path

    code_dir = function.code_dir
    interpreter, warning = find_interpreter(code_dir, function.runtime)
    paths, sites, sdk = import_paths(function, interpreter, cancel, sink)
    # Lambda's LAMBDA_RUNTIME_DIR (/var/runtime) is where the runtime's boto3 lives.
    runtime_dir = sdk or bootstrap_path().parent
    env = lambda_environment(
        function, api_address, task_root=str(code_dir), runtime_dir=str(runtime_dir)
    )
    # What really runs, not what the function asked for (python3.12 on 3.11 says 3.11).
    env["AWS_EXECUTION_ENV"] = f"AWS_Lambda_{interpreter.runtime}"
    env[PATH_VARIABLE] = os.pathsep.join(str(p) for p in paths)
    env[SITE_VARIABLE] = os.pathsep.join(str(p) for p in sites)
    if interpreter.venv is not None:
        env[VENV_VARIABLE] = str(interpreter.venv)
    under_init = sys.platform.startswith("linux")
    if under_init:
        # reaper.py keeps the compiled bootstrap here (compiled once per Python, not at
        # every cold start); it removes the variable before the bootstrap starts.
        env[reaper.CODE_CACHE_VARIABLE] = str(cache_dir() / "code")
    argv = (
        interpreter.path,
        # -I -S: isolated from PYTHON* variables and every site-packages; -u: unbuffered;
        # -B: no .pyc (a .pyc is trusted when mtime in whole seconds and size match, so an
        # edit saved within the same second would run stale code, and it litters the folder);
        # -X utf8: stdout is UTF-8 whatever the host locale, as with Lambda's en_US.UTF-8.
        "-I", "-S", "-u", "-B", "-X", "utf8",
        # Linux: reaper.py is the environment's init (nothing the handler starts outlives
        # the environment); it forks the bootstrap without a second interpreter start.
        *((str(Path(reaper.__file__)), "--script") if under_init else ()),
        str(bootstrap_path()),
        function.handler,
    )  # fmt: skip
    return Launch(
        argv=argv,
        env=host_environment(env),
        cwd=code_dir,
        runtime_version=interpreter.describe(),
        hints=(warning,) if warning else (),
    )


def import_paths(
    function: FunctionConfig, interpreter: Interpreter, cancel: CancelToken, sink: Sink
) -> tuple[list[Path], list[Path], Path | None]:
    """(sys.path entries before the stdlib, site dirs whose .pth files count, the SDK dir)."""
    paths: list[Path] = [function.code_dir]
    sites: list[Path] = []
    if interpreter.venv is not None:
        venv_sites = venv_site_packages(interpreter.venv)
        paths.extend(venv_sites)
        sites.extend(venv_sites)
    elif function.requirements_file is not None:
        # Deployed, these packages sit in the zip beside the code (/var/task).
        paths.append(
            python_deps.requirements_dir(function.requirements_file, interpreter, cancel, sink)
        )
    # Later layers win, as in Lambda's merged /opt.
    for layer in reversed(function.layers):
        python = layer / "python"
        version = f"python{interpreter.version[0]}.{interpreter.version[1]}"
        paths.extend([python / "lib" / version / "site-packages", python])
    sdk = python_deps.sdk_dir(interpreter, cancel, sink)
    if sdk is not None:  # last: the function's own copy of boto3 wins, as on Lambda
        paths.append(sdk)
        sites.append(sdk)
    return paths, sites, sdk


def venv_site_packages(venv: Path) -> list[Path]:
    found = sorted(venv.glob("lib/python3*/site-packages")) + [venv / "Lib" / "site-packages"]
    return [p for p in found if p.is_dir()]
