"""Banner: the window's problem sentences, each under a key so it clears when its cause is fixed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QToolButton, QWidget


class Banner(QWidget):
    """Sentences keyed by cause ("project", "settings", ...); × dismisses what is shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorBannerBox")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label = QLabel()
        self.label.setObjectName("errorBanner")
        self.label.setWordWrap(True)  # a long sentence wraps; the window never grows for it
        self.label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.close_button = QToolButton()
        self.close_button.setObjectName("dismissBanner")
        self.close_button.setText("×")
        self.close_button.setToolTip("Dismiss")
        self.close_button.clicked.connect(self.dismiss)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        self._sentences: dict[str, str] = {}
        self.hide()

    def text(self) -> str:
        return self.label.text()

    def setText(self, text: str) -> None:  # noqa: N802 - QLabel's name, kept for callers
        self.show_problem("general", text)

    def show_problem(self, key: str, sentence: str) -> None:
        self._sentences[key] = sentence
        self._refresh()

    def clear_problem(self, key: str) -> None:
        if self._sentences.pop(key, None) is not None:
            self._refresh()

    def dismiss(self) -> None:
        self._sentences.clear()
        self._refresh()

    def _refresh(self) -> None:
        self.label.setText("\n".join(self._sentences.values()))
        self.setVisible(bool(self._sentences))
