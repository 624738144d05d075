"""FirstRunBar: the ways out when the runtime's image cannot be had (no registry, no login)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QWidget

# Sentences core uses when an image cannot be pulled or named (docker_engine).
IMAGE_PROBLEMS = ("Could not download image", "does not exist or is not accessible",
                  "no official Lambda image")  # fmt: skip


def is_image_problem(sentence: str) -> bool:
    return any(marker in sentence for marker in IMAGE_PROBLEMS)


# Core's sentences are written for the command line too; in the window the buttons are the way.
CLI_PHRASES = (
    (" (or --image)", ""),
    (" or --image", ""),
    (", or run without Docker with --runner process.", ", or use one of the buttons below."),
)


def window_sentence(sentence: str) -> str:
    for phrase, replacement in CLI_PHRASES:
        sentence = sentence.replace(phrase, replacement)
    return sentence


class FirstRunBar(QWidget):
    """Two buttons under the error: run without Docker, or pick an image Docker already has."""

    #: "Run as a local process" was clicked
    process_requested = Signal()
    #: "Use a local image…" was clicked
    local_image_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunBar")
        note = QLabel("The function can still run here:")
        note.setWordWrap(True)
        note.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.process_button = QPushButton("Run as a local process")
        self.process_button.setObjectName("runAsProcess")
        self.process_button.setToolTip(
            "Run handlers with this machine's interpreter instead of a container "
            "(Settings > Runner: process)."
        )
        self.image_button = QPushButton("Use a local image…")
        self.image_button.setObjectName("useLocalImage")
        self.image_button.setToolTip(
            "Choose an image Docker already has for this runtime (Settings > Images)."
        )
        self.process_button.clicked.connect(self.process_requested)
        self.image_button.clicked.connect(self.local_image_requested)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(note, 1)
        layout.addWidget(self.process_button)
        layout.addWidget(self.image_button)
        self.hide()
