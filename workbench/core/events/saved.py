"""Saved events of one function: plain JSON files at events/<function>/<name>.json."""

from __future__ import annotations

import re
from pathlib import Path

from workbench.core.errors import WorkbenchError
from workbench.core.settings import atomic_write_text

# Any printable name that is one file on every OS: no path separators or characters
# Windows refuses, no leading dot (hidden files), no trailing space or dot.
_NAME = re.compile(r'[^./\\:*?"<>|\x00-\x1f][^/\\:*?"<>|\x00-\x1f]{0,99}')


class SavedEvents:
    """The saved events of `function_name` in the project at `project_root`.

    Files live in the project so they go into git and work with `sam local invoke -e`.
    """

    def __init__(self, project_root: Path, function_name: str) -> None:
        self._check_name(function_name, "function name")
        self.folder = Path(project_root) / "events" / function_name

    @staticmethod
    def _check_name(name: str, what: str = "event name") -> str:
        if not isinstance(name, str) or not _NAME.fullmatch(name) or name.endswith((" ", ".")):
            raise WorkbenchError(
                f"{what.capitalize()} {name!r} cannot be used: give 1 to 100 characters, not"
                " starting with '.', not ending with a space or '.', and without"
                ' / \\ : * ? " < > |.'
            )
        return name

    def path(self, name: str) -> Path:
        """Where the event `name` is (or would be) stored."""
        return self.folder / f"{self._check_name(name)}.json"

    def list(self) -> list[str]:
        """Names of the saved events, sorted case-insensitively."""
        if not self.folder.is_dir():
            return []
        names = [p.stem for p in self.folder.glob("*.json") if p.is_file()]
        return sorted((n for n in names if _NAME.fullmatch(n)), key=str.lower)

    def exists(self, name: str) -> bool:
        return self.path(name).is_file()

    def load(self, name: str) -> str:
        """The saved text, exactly as written."""
        path = self.path(name)
        try:
            return path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise WorkbenchError(
                f"There is no saved event '{name}' ({path}); it may have been deleted or renamed."
            ) from None
        except (OSError, UnicodeDecodeError) as error:
            raise WorkbenchError(f"Saved event {path} could not be read: {error}.") from error

    def save(self, name: str, text: str) -> Path:
        """Write (or overwrite) the event `name`; a crash leaves the old or the new file."""
        path = self.path(name)
        try:
            atomic_write_text(path, text)
        except OSError as error:
            raise WorkbenchError(
                f"Saved event {path} could not be written ({error}); check the folder's"
                " permissions and free space. Your text is still in the editor."
            ) from error
        return path

    def _refuse_existing(self, name: str) -> Path:
        path = self.path(name)
        if path.exists():
            raise WorkbenchError(
                f"A saved event named '{name}' already exists; choose another name or delete it"
                " first."
            )
        return path

    def rename(self, old: str, new: str) -> Path:
        """Rename `old` to `new`; refuses to overwrite an existing event."""
        source = self.path(old)
        if not source.is_file():
            raise WorkbenchError(f"There is no saved event '{old}' to rename.")
        if old == new:
            return source
        target = self.path(new)
        if target.exists() and source.samefile(target):
            # A case-only rename on a case-insensitive disk.
            source.rename(target)
            return target
        target = self._refuse_existing(new)
        try:
            # Hard link then unlink: never replaces a file that appeared meanwhile.
            target.hardlink_to(source)
            source.unlink()
        except FileExistsError:
            raise WorkbenchError(
                f"A saved event named '{new}' already exists; choose another name."
            ) from None
        except OSError:
            # File systems without hard links: copy the text instead.
            atomic_write_text(target, source.read_text(encoding="utf-8"))
            source.unlink()
        return target

    def duplicate(self, name: str, new: str) -> Path:
        """Copy `name` to `new`; refuses to overwrite an existing event."""
        text = self.load(name)
        target = self._refuse_existing(new)
        atomic_write_text(target, text)
        return target

    def delete(self, name: str) -> None:
        """Remove the saved event `name`."""
        path = self.path(name)
        try:
            path.unlink()
        except FileNotFoundError:
            raise WorkbenchError(f"There is no saved event '{name}' to delete.") from None
        except OSError as error:
            raise WorkbenchError(f"Saved event {path} could not be deleted: {error}.") from error
