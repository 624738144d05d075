"""The built wheel works outside the checkout: CLI, shipped data, invoke, window."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA_FOLDERS = ("resources", "sample_events", "examples")

pytestmark = pytest.mark.slow


def _version_in_checkout() -> str:
    namespace: dict[str, str] = {}
    exec((REPO / "workbench" / "__init__.py").read_text(), namespace)
    return namespace["__version__"]


def _tracked_data_files() -> set[str]:
    """What must ship: every file git tracks in the data folders (never caches)."""
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.fail("the wheel test compares the wheel with the git checkout; git is needed")
    out = subprocess.run(
        ["git", "ls-files", "-z", "--", *DATA_FOLDERS],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return {name for name in out.split("\0") if name}


@pytest.fixture(scope="module")
def dist_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdist, then a wheel built from that sdist (what `python -m build` does), once per session."""
    out = tmp_path_factory.mktemp("dist")
    # --no-isolation: hatchling and build come from the test extra, so no download.
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
        cwd=out,
    )
    return out


@pytest.fixture(scope="module")
def wheel(dist_dir: Path) -> Path:
    wheels = list(dist_dir.glob("lambda_workbench-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def venv(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv outside the checkout with only the wheel installed into it."""
    root = tmp_path_factory.mktemp("venv")
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(root)], check=True, capture_output=True
    )
    python = root / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "-q",
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    # Installing PySide6, boto3, ... afresh would download hundreds of MB per run,
    # and `--system-site-packages` would only expose the base interpreter's
    # packages, not this runner's venv. So the dependencies come from the test
    # runner's site-packages through a .pth file; being a plain path line it is
    # appended after the venv's own site-packages, so `workbench` is the wheel's.
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    runner_paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "_runner_dependencies.pth").write_text("\n".join(sorted(runner_paths)) + "\n")
    return root


@pytest.fixture()
def run(venv: Path, tmp_path: Path):
    """Run an installed command from a folder outside the checkout, with a clean environment."""
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    env = {
        k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    }
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        LAMBDA_WORKBENCH_CONFIG_DIR=str(tmp_path / "config"),
        LAMBDA_WORKBENCH_DATA_DIR=str(tmp_path / "data"),
        LAMBDA_WORKBENCH_CACHE_DIR=str(tmp_path / "cache"),
        LAMBDA_WORKBENCH_PROJECTS_DIR=str(tmp_path / "projects"),
        QT_QPA_PLATFORM="offscreen",
    )
    work = tmp_path / "cwd"
    work.mkdir()

    def _run(program: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        exe = shutil.which(program, path=str(bin_dir))
        assert exe is not None, f"{program} is not installed in the venv"
        return subprocess.run(
            [exe, *args], cwd=work, env=env, capture_output=True, text=True, timeout=timeout
        )

    return _run


def test_wheel_holds_data_folders_as_real_files(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {
        n.removeprefix("workbench/_data/") for n in names if n.startswith("workbench/_data/")
    }
    shipped.discard("__init__.py")
    assert shipped == _tracked_data_files()
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]


def test_sdist_has_the_real_folders_not_the_symlinks(dist_dir: Path) -> None:
    import tarfile

    (sdist,) = dist_dir.glob("lambda_workbench-*.tar.gz")
    with tarfile.open(sdist) as tar:
        members = tar.getmembers()
    assert not [m.name for m in members if m.issym() or m.islnk()]
    names = {m.name.split("/", 1)[1] for m in members if "/" in m.name}
    assert _tracked_data_files() <= names
    assert "packaging/hatch_build.py" in names


def test_version(run) -> None:
    result = run("lambda-workbench", "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"lambda-workbench {_version_in_checkout()}"


def test_data_path_resolves_inside_the_venv(run, venv: Path) -> None:
    code = (
        "import json, workbench, workbench.resources as r;"
        "print(json.dumps([workbench.__file__, str(r.example_dir()),"
        " str(r.data_path('resources', 'icons', 'app', 'lambda-workbench.svg'))]))"
    )
    result = run("python", "-c", code)
    assert result.returncode == 0, result.stderr
    package_file, example, icon = (Path(p) for p in json.loads(result.stdout))
    assert package_file.is_relative_to(venv)
    assert not example.is_symlink() and (example / "lambda_function.py").is_file()
    assert example.is_relative_to(venv) and icon.is_relative_to(venv)
    assert icon.read_bytes() == (REPO / "resources/icons/app/lambda-workbench.svg").read_bytes()


def test_events_list_and_show(run) -> None:
    result = run("lambda-workbench", "events", "list", "--output", "json")
    assert result.returncode == 0, result.stderr
    listed = [t["name"] for t in json.loads(result.stdout)]
    index = json.loads((REPO / "sample_events" / "index.json").read_text())
    assert sorted(listed) == sorted(t["name"] for t in index["templates"])
    shown = run("lambda-workbench", "events", "show", listed[0])
    assert shown.returncode == 0, shown.stderr
    assert isinstance(json.loads(shown.stdout), dict)


def test_invoke_bundled_example_with_process_runner(run, venv: Path) -> None:
    located = run("python", "-c", "import workbench.resources as r; print(r.example_dir())")
    example = located.stdout.strip()
    assert Path(example).is_relative_to(venv), example
    result = run(
        "lambda-workbench",
        "invoke",
        example,
        "--runner",
        "process",
        "--output",
        "json",
        "--event",
        str(Path(example) / "events" / "hello-python" / "hello.json"),
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["runner"] == "process" and out["coldStart"] is True and out["error"] is None
    body = json.loads(out["payload"]["body"])
    sent = json.loads((Path(example) / "events/hello-python/hello.json").read_text())
    assert body["message"] == f"Hello, {sent['name']}!"
    assert "REPORT RequestId:" in out["logs"]


def _files_under(folder: Path) -> dict[str, int]:
    return {str(p.relative_to(folder)): p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_window_opens_the_installed_example_offscreen(run, venv: Path, tmp_path: Path) -> None:
    located = run("python", "-c", "import workbench.resources as r; print(r.example_dir())")
    example = Path(located.stdout.strip())
    assert example.is_relative_to(venv), example
    before = _files_under(example)
    shot = tmp_path / "window.png"
    # No PATH: the window opens the bundled example, as after `pipx install`.
    result = run("lambda-workbench", "--screenshot", str(shot), timeout=180)
    assert result.returncode == 0, result.stderr
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert width >= 400 and height >= 300, (width, height)
    # Opening it must not write into the installed package (it may be read-only).
    assert _files_under(example) == before
