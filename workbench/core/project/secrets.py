"""Secret environment values: kept out of project files, in the OS keyring or a git-ignored file."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.project.model import SECRETS_FILE
from workbench.core.settings import atomic_write_text

STORES = ("keyring", "file")
MASK = "****"


def _service(root: Path) -> str:
    return f"lambda-workbench:{root.resolve()}"


def _keyring() -> Any:
    """The keyring module, imported only when a secret is read or written (~45 ms)."""
    import keyring
    import keyring.errors

    return keyring


def keyring_available() -> bool:
    """True when the OS keyring has a usable backend (headless Linux often has none)."""
    try:
        return _keyring().get_keyring().priority > 0
    except Exception:  # a broken backend module must not stop the app
        return False


def _read_file(root: Path) -> dict[str, dict[str, str]]:
    path = root / SECRETS_FILE
    if not path.exists():
        return {}
    try:
        if not path.is_file():
            raise ValueError("it is not a regular file")
        with path.open("rb") as handle:
            raw = handle.read(1024 * 1024 + 1)
        if len(raw) > 1024 * 1024:
            raise ValueError("it is over 1 MB")
        data = json.loads(raw.decode("utf-8"))
    except RecursionError:
        raise WorkbenchError(
            f"The secrets file {path} is nested too deeply to read; fix or delete it."
        ) from None
    except (OSError, ValueError) as error:
        raise WorkbenchError(
            f"The secrets file {path} could not be read ({error}); fix or delete it."
        ) from error
    if not isinstance(data, dict):
        return {}
    return {
        fn: {str(k): str(v) for k, v in values.items()}
        for fn, values in data.items()
        if isinstance(values, dict)
    }


def ensure_gitignored(root: Path) -> None:
    """Add the secrets file to the project's .gitignore so it is never committed."""
    path = root / ".gitignore"
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    if SECRETS_FILE in {line.strip().lstrip("/") for line in text.splitlines()}:
        return
    if text and not text.endswith("\n"):
        text += "\n"
    atomic_write_text(path, text + f"{SECRETS_FILE}\n")


def read_secrets(
    root: Path, store: str, function: str, names: set[str], warnings: list[str]
) -> dict[str, str]:
    """The stored values of `names` for one function; missing ones get a warning."""
    values: dict[str, str] = {}
    if not names:
        return values
    if store == "keyring" and keyring_available():
        keyring = _keyring()
        for name in sorted(names):
            try:
                value = keyring.get_password(_service(root), f"{function}:{name}")
            except keyring.errors.KeyringError:
                value = None
            if value is not None:
                values[name] = value
    else:
        values = {k: v for k, v in _read_file(root).get(function, {}).items() if k in names}
    for name in sorted(names - values.keys()):
        warnings.append(
            f"Secret {name} of {function} has no stored value in the {store}; set it again."
        )
    return values


def write_secrets(root: Path, store: str, function: str, values: dict[str, str]) -> str | None:
    """Replace the function's secrets with `values`; a sentence when the keyring fell back."""
    notice = None
    if store == "keyring":
        keyring = _keyring()
        try:
            if not keyring_available():
                raise keyring.errors.NoKeyringError("no backend")
            for name, value in values.items():
                keyring.set_password(_service(root), f"{function}:{name}", value)
            return None
        except keyring.errors.KeyringError:
            notice = (
                "No OS keyring is available here, so secret values were stored in "
                f"{SECRETS_FILE} (git-ignored) instead."
            )
    data = _read_file(root)
    if values:
        data[function] = dict(sorted(values.items()))
    else:
        data.pop(function, None)
    if data or (root / SECRETS_FILE).exists():
        _check_folder(root)
        ensure_gitignored(root)
        # Only the user may read it: it holds every function's secret values.
        atomic_write_text(root / SECRETS_FILE, json.dumps(data, indent=2) + "\n", mode=0o600)
    return notice


def _check_folder(root: Path) -> None:
    """Refuse a folder anyone may write to: another user could swap the secrets file."""
    try:
        mode = root.stat().st_mode
    except OSError as error:
        raise WorkbenchError(f"The project folder {root} cannot be used: {error}.") from error
    if mode & stat.S_IWOTH and not mode & stat.S_ISVTX:
        raise WorkbenchError(
            f"The project folder {root} is writable by every user, so secret values are not "
            f"stored in {SECRETS_FILE} there; run `chmod o-w {root}` or use the OS keyring."
        )


def masked(environment: dict[str, str], secret_names: set[str]) -> dict[str, str]:
    """The environment with secret values replaced by a mask, for display."""
    return {k: (MASK if k in secret_names else v) for k, v in environment.items()}
