"""The window's status bar: Docker engine, environment state and the last result."""

from __future__ import annotations

import importlib
import importlib.util
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QMessageBox, QSizePolicy, QStatusBar, QWidget

from workbench.ui.session.function_session import engine_status_text
from workbench.ui.worker import start_task

STATE_TEXT = {"cold": "Environment: cold", "starting": "Environment: starting…",
              "warm": "Environment: warm"}  # fmt: skip


class WorkbenchStatusBar(QStatusBar):
    """Three permanent labels; the engine label links to the reason Docker is not used."""

    #: the engine check finished (label text)
    engine_known = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeGripEnabled(False)
        self.engine_label = QLabel("Docker: checking…")
        self.engine_label.setObjectName("engineLabel")
        self.engine_label.linkActivated.connect(self._on_engine_label_link_activated)
        self.state_label = QLabel(STATE_TEXT["cold"])
        self.state_label.setObjectName("stateLabel")
        self.result_label = QLabel("No invoke yet")
        self.result_label.setObjectName("resultLabel")
        # A long message is cut at the window's edge (full text in the tooltip), never widens it.
        self.result_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.addWidget(self.result_label, 1)
        self.addPermanentWidget(self.state_label)
        self.addPermanentWidget(self.engine_label)
        self._engine_reason = ""
        self.engine_text = ""

    def check_engine(self) -> None:
        """Ask the Docker engine module on a worker (the socket may hang)."""
        if importlib.util.find_spec("workbench.core.runtime.docker_engine") is None:
            self._show_engine(("Docker support not installed: using process mode",
                               "This build has no Docker support; handlers run as local "
                               "processes."))  # fmt: skip
            return

        def check(_cancel: Any, _sink: Any) -> Any:
            module = importlib.import_module("workbench.core.runtime.docker_engine")
            return module.engine_status()

        start_task(
            check,
            on_result=lambda status: self._show_engine(engine_status_text(status)),
            on_error=lambda sentence: self._show_engine(
                ("Docker not running: using process mode", sentence)
            ),
        )

    def _show_engine(self, text_and_reason: tuple[str, str]) -> None:
        text, reason = text_and_reason
        self.engine_text = text
        self._engine_reason = reason
        if "not" in text:
            self.engine_label.setText(f'{text} <a href="why">why?</a>')
        else:
            self.engine_label.setText(text)
        self.engine_label.setToolTip(reason)
        self.engine_known.emit(text)

    def _on_engine_label_link_activated(self, _link: str) -> None:
        QMessageBox.information(self, "Docker engine", self._engine_reason)

    def show_state(self, state: str) -> None:
        self.state_label.setText(STATE_TEXT.get(state, f"Environment: {state}"))

    def show_result(self, result: Any) -> None:
        temperature = "cold" if result.cold_start else "warm"
        outcome = "OK" if result.succeeded else f"Error ({(result.error or {}).get('errorType')})"
        memory = (
            f" · {result.max_memory_used_mb}/{result.memory_size_mb} MB"
            if result.max_memory_used_mb is not None
            else ""
        )
        self.result_label.setText(
            f"{outcome} · {result.duration_ms:.1f} ms · billed {result.billed_duration_ms} ms"
            f"{memory} · {temperature} · {result.runner}"
        )

    def show_message(self, text: str) -> None:
        self.result_label.setText(text)
        self.result_label.setToolTip(text)
