"""Deterministic deployment zip of a function's code directory (same input -> same bytes)."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import stat
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pathspec

from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.progress import CancelToken, NullSink, Sink

# Lambda's limits for a zip package (shared/lambda-facts.md section 5).
MAX_ZIPPED_BYTES = 50 * 1024 * 1024
MAX_UNZIPPED_BYTES = 250 * 1024 * 1024
# Zip cannot store times before 1980; a fixed time makes the bytes reproducible.
FIXED_TIME = (1980, 1, 1, 0, 0, 0)
# Tooling and workbench files that never belong in a deployment (gitignore syntax).
DEFAULT_EXCLUDES = (
    "__pycache__/",
    "*.pyc",
    ".git",
    ".git/",
    ".venv/",
    "lambda-workbench.json",
    ".lambda-workbench.secrets.json",
    "/events/",
    ".aws-sam",
    ".aws-sam/",
    ".lambdaignore",
    # Files that hold credentials or local-only settings never go to the cloud.
    ".env",
    ".env.*",
    ".aws/",
    "credentials",
    ".netrc",
    ".pypirc",
    ".npmrc",
)
# Never packaged, whatever .lambdaignore says (it holds every function's secret values).
NEVER_PACKAGED = ".lambda-workbench.secrets.json"


@dataclass(frozen=True)
class Entry:
    """One zip member: a file, a folder or a symbolic link (with its relative target)."""

    path: Path
    kind: str  # "file", "dir" or "link"
    target: str = ""


@dataclass
class Package:
    """A built zip held in memory, with the numbers Lambda checks."""

    data: bytes
    file_count: int
    unzipped_bytes: int

    @property
    def zipped_bytes(self) -> int:
        return len(self.data)

    @property
    def code_sha256(self) -> str:
        """Lambda's CodeSha256: base64 of the SHA-256 of the zip."""
        return base64.b64encode(hashlib.sha256(self.data).digest()).decode("ascii")

    @property
    def needs_s3(self) -> bool:
        return self.zipped_bytes > MAX_ZIPPED_BYTES

    def size_summary(self) -> str:
        files = f"{self.file_count} file{'s' if self.file_count != 1 else ''}"
        return (
            f"{files}, {_mb(self.zipped_bytes)} zipped of 50 MB, "
            f"{_mb(self.unzipped_bytes)} unzipped of 250 MB"
        )


def _mb(n: int) -> str:
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / (1024 * 1024):.2f} MB"


def ignore_spec(code_dir: Path, extra: tuple[str, ...] = ()) -> pathspec.GitIgnoreSpec:
    """The default exclusions (+ `extra`) plus the patterns of code_dir/.lambdaignore, if any."""
    lines = [*DEFAULT_EXCLUDES, *extra]
    ignore_file = code_dir / ".lambdaignore"
    if ignore_file.is_file():
        lines += ignore_file.read_text(encoding="utf-8", errors="replace").splitlines()
    return pathspec.GitIgnoreSpec.from_lines(lines)


def iter_files(
    root: Path, spec: pathspec.GitIgnoreSpec | None, sink: Sink | None = None
) -> Iterator[tuple[str, Entry]]:
    """(archive name, entry) for everything under root not excluded, sorted.

    Symbolic links that stay inside root are kept as links (as a zip made with
    `zip -y` and Lambda keep them); one pointing outside root, or nowhere, stops the
    package with a sentence, so nothing from elsewhere on the machine is uploaded.
    FIFOs, sockets and devices are skipped (reading a FIFO would hang).
    """
    sink = sink or NullSink()
    top = root.resolve()
    entries: list[tuple[str, Entry]] = []
    for dirpath, dirnames, filenames in os.walk(root):
        base = Path(dirpath)
        rel_base = base.relative_to(root).as_posix()
        prefix = "" if rel_base == "." else rel_base + "/"
        kept = []
        for d in dirnames:
            name = prefix + d + "/"
            if spec is not None and spec.match_file(name):
                continue
            if (base / d).is_symlink():
                entries.append((prefix + d, _link(top, base / d, prefix + d)))
                continue  # os.walk does not follow it; the link itself is stored
            kept.append(d)
            entries.append((name, Entry(base / d, "dir")))
        dirnames[:] = kept  # do not descend into excluded folders
        for f in filenames:
            name = prefix + f
            if f == NEVER_PACKAGED or (spec is not None and spec.match_file(name)):
                continue
            path = base / f
            if path.is_symlink():
                entries.append((name, _link(top, path, name)))
                continue
            try:
                regular = stat.S_ISREG(path.lstat().st_mode)
            except OSError:
                regular = False
            if not regular:
                sink.progress(f"Skipped {name}: not a regular file (a FIFO, socket or device)")
                continue
            entries.append((name, Entry(path, "file")))
    return iter(sorted(entries))


def _link(top: Path, path: Path, name: str) -> Entry:
    """A link kept as a link when it stays inside the folder; WorkbenchError otherwise."""
    try:
        target = path.resolve(strict=True)
    except (OSError, RuntimeError):
        raise WorkbenchError(
            f"{name} is a symbolic link to {os.readlink(path)!r}, which does not exist (or "
            "loops); remove it or list it in .lambdaignore, then package again."
        ) from None
    if target != top and top not in target.parents:
        raise WorkbenchError(
            f"{name} is a symbolic link to {target}, outside the function folder; packaging "
            "it would upload that file from your machine. Copy what the function needs into "
            "the folder, or list the link in .lambdaignore."
        )
    relative = os.path.relpath(target, path.parent.resolve())
    return Entry(path, "link", Path(relative).as_posix())


def _zip_info(name: str, mode: int, link: bool = False) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.create_system = 3  # Unix, so the permission bits below are honoured
    if link:
        info.external_attr = (stat.S_IFLNK | 0o777) << 16  # unzip -y and Lambda make a link
    elif name.endswith("/"):
        info.external_attr = ((stat.S_IFDIR | 0o755) << 16) | 0x10
    else:
        executable = mode & 0o111
        perms = 0o755 if executable else 0o644
        info.external_attr = (stat.S_IFREG | perms) << 16
        info.compress_type = zipfile.ZIP_DEFLATED
    return info


def build_package(
    function: FunctionConfig,
    *,
    dependencies_dir: Path | None = None,
    cancel: CancelToken | None = None,
    sink: Sink | None = None,
    extra_excludes: tuple[str, ...] = (),
) -> Package:
    """Zip the function's code (plus installed dependencies) deterministically.

    Code files win over dependency files with the same name. Raises
    WorkbenchError when the folder is missing or the package is over 250 MB unzipped.
    """
    cancel = cancel or CancelToken()
    sink = sink or NullSink()
    code_dir = function.code_dir
    if not code_dir.is_dir():
        raise WorkbenchError(
            f"The code folder {code_dir} of function {function.name} does not exist; "
            "check the function's CodeUri or open the right project."
        )
    sink.progress("Collecting files")
    chosen: dict[str, Entry] = {}
    if dependencies_dir is not None:
        # Dependencies are taken as pip installed them, minus bytecode caches.
        dep_spec = pathspec.GitIgnoreSpec.from_lines(["__pycache__/", "*.pyc"])
        chosen.update(iter_files(dependencies_dir, dep_spec, sink))
    chosen.update(iter_files(code_dir, ignore_spec(code_dir, extra_excludes), sink))
    buffer = io.BytesIO()
    unzipped = 0
    files = 0
    names = sorted(chosen)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for index, name in enumerate(names):
            if index % 200 == 0:
                cancel.raise_if_cancelled("Packaging")
                sink.progress("Zipping files", index / max(1, len(names)))
            entry = chosen[name]
            path = entry.path
            if entry.kind == "dir":
                zf.writestr(_zip_info(name, 0), b"")
                continue
            if entry.kind == "link":
                zf.writestr(_zip_info(name, 0, link=True), entry.target.encode())
                files += 1
                continue
            try:
                data = path.read_bytes()
                mode = path.stat().st_mode
            except OSError as error:
                raise WorkbenchError(
                    f"Could not read {path} while packaging ({error.strerror}); "
                    "fix its permissions or list it in .lambdaignore."
                ) from error
            unzipped += len(data)
            files += 1
            zf.writestr(_zip_info(name, mode), data)
    package = Package(data=buffer.getvalue(), file_count=files, unzipped_bytes=unzipped)
    if unzipped > MAX_UNZIPPED_BYTES:
        raise WorkbenchError(
            f"The package of {function.name} is {_mb(unzipped)} unzipped; Lambda allows 250 MB. "
            "Exclude files with .lambdaignore, move libraries into a layer, or use a "
            "container image."
        )
    sink.progress(f"Package built: {package.size_summary()}", 1.0)
    return package
