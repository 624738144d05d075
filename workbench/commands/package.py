"""`lambda-workbench package PATH [--function NAME] --out FILE.zip`: build the deployment zip."""

from __future__ import annotations

import argparse
import stat
import sys
from pathlib import Path

from workbench.commands import function_from_args
from workbench.core.deploy.dependencies import package_function
from workbench.core.deploy.package import Package
from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.progress import CancelToken, Sink
from workbench.core.settings import atomic_write_bytes


class StderrSink:
    """Progress on stderr for the CLI (stdout stays for results)."""

    def __init__(self, quiet: bool = False) -> None:
        self.quiet = quiet

    def progress(self, message: str, fraction: float | None = None) -> None:
        if not self.quiet:
            print(f"  {message}", file=sys.stderr)

    def output(self, text: str) -> None:
        pass  # pip's chatter; its tail is quoted in the error when it fails


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "package", help="build the deployment zip of a function",
        description="Build the deterministic deployment zip of a function (code plus "
        "requirements.txt dependencies for Lambda's platform).",
    )  # fmt: skip
    parser.add_argument("path", type=Path, help="function folder or project (folder or SAM)")
    parser.add_argument("--function", dest="function", help="function name in the project")
    parser.add_argument("--out", type=Path, required=True, help="where to write the zip")


def build(function: FunctionConfig, cancel: CancelToken, sink: Sink) -> Package:
    return package_function(function, cancel=cancel, sink=sink)


def check_out(out: Path) -> None:
    """Refuse to replace anything but a regular file (a link, a device, a folder)."""
    try:
        mode = out.lstat().st_mode
    except FileNotFoundError:
        return
    except OSError as error:
        raise WorkbenchError(f"Could not check {out} ({error.strerror}).") from error
    if stat.S_ISLNK(mode):
        what = "a symbolic link"
    elif stat.S_ISDIR(mode):
        what = "a folder"
    elif not stat.S_ISREG(mode):
        what = "a device, FIFO or socket"
    else:
        return
    raise WorkbenchError(
        f"--out {out} is {what}, not a regular file, so it is not replaced; choose another "
        "path for the zip."
    )


def run(args: argparse.Namespace) -> int:
    check_out(args.out)
    function = function_from_args(args.path, args.function)
    package = build(function, CancelToken(), StderrSink())
    check_out(args.out)  # again: it may have changed while the package was built
    try:
        atomic_write_bytes(args.out, package.data)
    except OSError as error:
        raise WorkbenchError(f"Could not write {args.out} ({error.strerror}).") from error
    print(f"Wrote {args.out}: {package.size_summary()}")
    print(f"CodeSha256: {package.code_sha256}")
    if package.needs_s3:
        print("Over 50 MB zipped: deploys upload it through the deploy_s3_bucket setting.")
    return 0
