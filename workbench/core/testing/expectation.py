"""Expectation files: what a saved event's result must contain, as plain reviewable JSON.

events/<function>/<event>.json has its expectation in events/<function>/expected/<event>.json
(a folder of its own, so the expectation never shows up as one more saved event).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.invoke import InvocationResult
from workbench.core.settings import atomic_write_text
from workbench.core.testing import matching

EXPECTED_FOLDER = "expected"
MAX_FILE_BYTES = 2 * 1024 * 1024  # an expectation is a reviewable file, not a data dump
KEYS = ("payload", "error", "paths", "logs", "maxDurationMs", "maxMemoryUsedMb", "ignore")
# What a recorded error keeps: the stack trace has line numbers that move with every edit.
ERROR_KEYS = ("errorType", "errorMessage")


def expectation_path(project_root: Path, function: str, event: str) -> Path:
    return Path(project_root) / "events" / function / EXPECTED_FOLDER / f"{event}.json"


def expectation_names(project_root: Path, function: str) -> list[str]:
    folder = Path(project_root) / "events" / function / EXPECTED_FOLDER
    if not folder.is_dir():
        return []
    return sorted((p.stem for p in folder.glob("*.json") if p.is_file()), key=str.lower)


@dataclass
class Expectation:
    """One parsed expectation file; `data` is the file's object as written."""

    path: Path
    data: dict[str, Any]
    log_patterns: list[re.Pattern[str]] = field(default_factory=list)
    paths: list[tuple[str, list[str | int], Any]] = field(default_factory=list)
    ignore: frozenset[str] = frozenset()

    def check(self, result: InvocationResult) -> list[str]:
        """Every way `result` differs from the expectation (empty when it passes)."""
        found: list[str] = []
        data = self.data
        if "error" in data:
            if result.error is None:
                found.append(
                    f"expected error {data['error'].get('errorType', 'an error')}, "
                    f"got a response {matching.show(result.payload_json())}"
                )
            else:
                found += matching.differences(data["error"], result.error, "error", self.ignore)
        elif result.error is not None:
            found.append(
                f"expected a response, got error {result.error.get('errorType')}: "
                f"{result.error.get('errorMessage')}"
            )
        elif "payload" in data:
            found += matching.differences(
                data["payload"], result.payload_json(), "payload", self.ignore
            )
        if result.error is None:
            payload = result.payload_json()
            for text, parts, want in self.paths:
                ok, got = matching.resolve(payload, parts)
                if not ok:
                    found.append(f"paths {text}: not in the response")
                else:
                    found += matching.differences(want, got, f"paths {text}", skip_volatile=False)
        lines = result.logs.splitlines()
        for pattern in self.log_patterns:
            if not any(pattern.search(line) for line in lines):
                found.append(f"logs: no line matches {pattern.pattern!r}")
        limit = data.get("maxDurationMs")
        if limit is not None and result.duration_ms > limit:
            found.append(f"duration {result.duration_ms:.2f} ms is over maxDurationMs {limit}")
        limit = data.get("maxMemoryUsedMb")
        used = result.max_memory_used_mb
        if limit is not None and used is not None and used > limit:
            found.append(f"max memory used {used} MB is over maxMemoryUsedMb {limit}")
        return found


def _invalid(path: Path, why: str) -> WorkbenchError:
    return WorkbenchError(f"The expectation {path} is not valid: {why}. Fix or delete the file.")


def parse(path: Path, text: str) -> Expectation:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise _invalid(path, f"{error.msg} at line {error.lineno} column {error.colno}") from None
    if not isinstance(data, dict):
        raise _invalid(path, 'it must be a JSON object such as {"payload": {...}}')
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise _invalid(path, f"unknown key {unknown[0]!r} (known: {', '.join(KEYS)})")
    if "payload" in data and "error" in data:
        raise _invalid(path, "give either payload or error, not both")
    if "error" in data and not isinstance(data["error"], dict):
        raise _invalid(path, 'error must be an object such as {"errorType": "ValueError"}')
    for key in ("maxDurationMs", "maxMemoryUsedMb"):
        value = data.get(key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0
        ):
            raise _invalid(path, f"{key} must be a positive number")
    patterns = []
    logs = data.get("logs", [])
    if not isinstance(logs, list) or not all(isinstance(p, str) for p in logs):
        raise _invalid(path, "logs must be a list of regular expressions (strings)")
    for pattern in logs:
        try:
            patterns.append(re.compile(pattern))
        except re.error as error:
            why = f"the logs pattern {pattern!r} is not a regular expression: {error}"
            raise _invalid(path, why) from None
    paths = []
    raw_paths = data.get("paths", {})
    if not isinstance(raw_paths, dict):
        raise _invalid(path, 'paths must be an object such as {"body.message": "Hello"}')
    for text, want in raw_paths.items():
        try:
            paths.append((text, matching.parse_path(text), want))
        except ValueError as error:
            raise _invalid(path, str(error)) from None
    ignore = data.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(p, str) for p in ignore):
        raise _invalid(path, 'ignore must be a list of paths such as ["headers.Date"]')
    ignored = set()
    for text in ignore:
        relative = text[2:] if text.startswith("$.") else text
        ignored |= {f"payload.{relative}", f"error.{relative}"}
    return Expectation(path, data, patterns, paths, frozenset(ignored))


def load(path: Path) -> Expectation:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise _invalid(path, f"it is over {MAX_FILE_BYTES // (1024 * 1024)} MB")
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise WorkbenchError(f"The expectation {path} could not be read: {error}.") from None
    return parse(path, text)


def record(result: InvocationResult, old: dict[str, Any] | None = None) -> dict[str, Any]:
    """The expectation for `result` (a snapshot); an older file's trimming and checks are kept."""
    old = old or {}
    data: dict[str, Any] = {}
    if result.error is None:
        payload = matching.snapshot(result.payload_json())
        if "payload" in old:
            payload = matching.trim_like(payload, old["payload"])
        data["payload"] = payload
    else:
        error = {k: result.error.get(k) for k in ERROR_KEYS if k in result.error}
        if isinstance(old.get("error"), dict):
            error = matching.trim_like(error, old["error"])
        data["error"] = error
    if result.error is None and isinstance(old.get("paths"), dict):
        paths = {}
        for text, want in old["paths"].items():
            try:
                ok, got = matching.resolve(result.payload_json(), matching.parse_path(text))
            except ValueError:
                ok, got = False, None
            paths[text] = got if ok else want
        data["paths"] = paths
    for key in ("logs", "maxDurationMs", "maxMemoryUsedMb", "ignore"):
        if key in old:
            data[key] = old[key]
    return data


def save(path: Path, data: dict[str, Any]) -> None:
    try:
        atomic_write_text(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    except OSError as error:
        raise WorkbenchError(
            f"The expectation {path} could not be written ({error}); check the folder's"
            " permissions and free space."
        ) from error
