"""About dialog: the app's versions for a bug report, with a Copy button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, qVersion
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.core import about
from workbench.resources import data_path
from workbench.ui.worker import Task, start_task


class AboutDialog(QDialog):
    """Shows versions; asks the Docker engine for its version off the GUI thread."""

    #: emitted once the Docker engine row holds its answer (a version or "not running")
    docker_checked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About Lambda Workbench")
        icon = QIcon(str(data_path("resources", "icons", "app", "lambda-workbench.svg")))
        self.setWindowIcon(icon)
        self._docker = about.CHECKING
        self._values: dict[str, QLabel] = {}

        heading = QLabel(
            "<b>Lambda Workbench</b><br>Write, run and deploy AWS Lambda functions "
            "on your own machine."
        )
        logo = QLabel()
        logo.setPixmap(icon.pixmap(64, 64))
        form = QFormLayout()
        for label, value in self.rows():
            value_label = QLabel(value)
            value_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self._values[label] = value_label
            form.addRow(f"{label}:", value_label)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton("Copy")
        self.copy_button.setToolTip("Copy these versions to the clipboard for a bug report")
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self._on_copy_button_clicked)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(logo, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(heading)
        layout.addLayout(form)
        layout.addWidget(buttons)

        self._task: Task = start_task(
            lambda cancel, sink: about.docker_engine_version(),
            on_result=self._on_docker_task_result,
            on_error=self._on_docker_task_error,
        )

    def rows(self) -> list[tuple[str, str]]:
        return about.versions(qt_version=qVersion(), docker_engine=self._docker)

    def text(self) -> str:
        """What Copy puts on the clipboard."""
        return about.as_text(self.rows())

    def _on_docker_task_result(self, version: object) -> None:
        self._docker = str(version)
        self._values["Docker engine"].setText(self._docker)
        self.docker_checked.emit(self._docker)

    def _on_docker_task_error(self, _message: str) -> None:
        self._on_docker_task_result(about.NOT_RUNNING)

    def _on_copy_button_clicked(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
        self.copy_button.setText("Copied")
