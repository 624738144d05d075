"""Invoke history per project and function, stored as JSON lines under the data directory."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from workbench.core.errors import WorkbenchError
from workbench.core.invoke import InvocationResult
from workbench.core.settings import atomic_write_text, data_dir

DEFAULT_CAP = 200
# A run that printed 100,000 lines would make the file huge; history keeps the
# start and the end of its logs (where START, errors and REPORT are).
LOG_HEAD_CHARS = 20_000
LOG_TAIL_CHARS = 80_000
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass
class HistoryEntry:
    """One stored run: when it happened, the event sent and what came back."""

    timestamp: float
    event_text: str
    result: InvocationResult

    def to_record(self) -> dict[str, Any]:
        result = self.result
        return {
            "timestamp": self.timestamp,
            "event": self.event_text,
            "result": result.to_json_dict(),
            # Fields to_json_dict leaves out, kept so a restored run looks identical.
            "extra": {
                "payloadBase64": (
                    None if result.payload is None else base64.b64encode(result.payload).decode()
                ),
                "architecture": result.architecture,
                "functionName": result.function_name,
                "startedAt": result.started_at,
                "timedOut": result.timed_out,
                "logsTruncatedBytes": result.logs_truncated_bytes,
                "hints": list(result.hints),
            },
        }

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> HistoryEntry:
        result = InvocationResult.from_json_dict(record["result"])
        extra = record.get("extra") or {}
        raw = extra.get("payloadBase64")
        if raw is not None:
            result.payload = base64.b64decode(raw, validate=True)
        elif "payloadBase64" in extra:
            result.payload = None
        result.architecture = str(extra.get("architecture", result.architecture))
        result.function_name = str(extra.get("functionName", ""))
        result.started_at = float(extra.get("startedAt", 0.0))
        result.timed_out = bool(extra.get("timedOut", False))
        result.logs_truncated_bytes = int(extra.get("logsTruncatedBytes", 0))
        result.hints = [str(h) for h in extra.get("hints", [])]
        return cls(float(record["timestamp"]), str(record["event"]), result)


def history_file(project_root: Path, function_name: str) -> Path:
    """data_dir()/history/<hash of the project root>/<function>.jsonl."""
    root = str(Path(project_root).expanduser().resolve())
    digest = hashlib.sha256(root.encode("utf-8")).hexdigest()[:16]
    safe = _SAFE_NAME.sub("_", function_name).strip("._") or "function"
    return data_dir() / "history" / digest / f"{safe}.jsonl"


def shorten_logs(logs: str) -> str:
    """The logs as kept in history: head and tail when they are very long."""
    if len(logs) <= LOG_HEAD_CHARS + LOG_TAIL_CHARS:
        return logs
    dropped = len(logs) - LOG_HEAD_CHARS - LOG_TAIL_CHARS
    return (
        logs[:LOG_HEAD_CHARS]
        + f"\n[... {dropped:,} characters of logs not kept in history ...]\n"
        + logs[-LOG_TAIL_CHARS:]
    )


class History:
    """The last `cap` runs of one function, oldest first; survives restarts.

    Each run is appended as one JSON line; a damaged line (a crash mid-write,
    a hand edit) is skipped and counted, never fatal. The file is rewritten
    atomically to the last `cap` runs once it grows past the cap.
    """

    def __init__(self, project_root: Path, function_name: str, cap: int = DEFAULT_CAP) -> None:
        if cap < 1:
            raise WorkbenchError(f"History must keep at least one run, not {cap}.")
        self.project_root = Path(project_root)
        self.function_name = function_name
        self.cap = cap
        self.path = history_file(self.project_root, function_name)
        self.skipped_lines = 0
        self._entries: list[HistoryEntry] = []
        self._lines_on_disk = 0
        self.load()

    def load(self) -> None:
        self._entries = []
        self.skipped_lines = 0
        self._lines_on_disk = 0
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return
        except OSError as error:
            raise WorkbenchError(
                f"Could not read the run history {self.path} ({error}). "
                "Check the file's permissions; new runs are not recorded until then."
            ) from error
        for line in text.splitlines():
            if not line.strip():
                continue
            self._lines_on_disk += 1
            try:
                self._entries.append(HistoryEntry.from_record(json.loads(line)))
            except (
                ValueError,
                KeyError,
                TypeError,
                AttributeError,
                binascii.Error,
                RecursionError,
            ):
                # RecursionError: one line nested too deeply must not make the rest unloadable.
                self.skipped_lines += 1
        self._entries = self._entries[-self.cap :]

    def entries(self) -> list[HistoryEntry]:
        """Stored runs, oldest first."""
        return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def add(
        self, result: InvocationResult, event_text: str, timestamp: float | None = None
    ) -> HistoryEntry:
        entry = HistoryEntry(time.time() if timestamp is None else timestamp, event_text, result)
        record = entry.to_record()
        record["result"]["logs"] = shorten_logs(result.logs)
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        # Keep in memory exactly what a restart would read back.
        self._entries.append(HistoryEntry.from_record(json.loads(line)))
        self._entries = self._entries[-self.cap :]
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            # Compact with some slack so a full history is not rewritten on every run.
            if self._lines_on_disk + 1 > self.cap + max(10, self.cap // 4):
                self._rewrite()
            else:
                # Appending is cheap; a crash mid-line leaves one damaged line that load skips.
                prefix = "\n" if self._ends_mid_line() else ""
                with self.path.open("a", encoding="utf-8") as handle:
                    handle.write(prefix + line + "\n")
                self._lines_on_disk += 1
        except OSError as error:
            raise WorkbenchError(
                f"Could not save this run to the history {self.path} ({error}). "
                "Check the disk space and permissions of the data folder."
            ) from error
        return self._entries[-1]

    def clear(self) -> None:
        self._entries = []
        try:
            self.path.unlink(missing_ok=True)
        except OSError as error:
            raise WorkbenchError(
                f"Could not clear the run history {self.path} ({error})."
            ) from error
        self._lines_on_disk = 0

    def _ends_mid_line(self) -> bool:
        """True when the file's last line was cut short (so the next record must not join it)."""
        try:
            with self.path.open("rb") as handle:
                handle.seek(0, 2)
                if handle.tell() == 0:
                    return False
                handle.seek(-1, 2)
                return handle.read(1) != b"\n"
        except FileNotFoundError:
            return False

    def _rewrite(self) -> None:
        lines = [
            json.dumps(e.to_record(), ensure_ascii=False, separators=(",", ":"))
            for e in self._entries
        ]
        atomic_write_text(self.path, "".join(line + "\n" for line in lines))
        self._lines_on_disk = len(lines)
