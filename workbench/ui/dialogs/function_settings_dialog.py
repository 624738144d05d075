"""FunctionSettingsDialog: one function's handler, runtime, limits and environment, saved back."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from workbench.core import project as core_project
from workbench.core.function import (
    ARCHITECTURES,
    ENVIRONMENT_KEY,
    EPHEMERAL_MAX_MB,
    EPHEMERAL_MIN_MB,
    MEMORY_MAX_MB,
    MEMORY_MIN_MB,
    RESERVED_VARIABLES,
    TIMEOUT_MAX_S,
    TIMEOUT_MIN_S,
    FunctionConfig,
    validate_limits,
)
from workbench.core.progress import CancelToken, Sink
from workbench.core.project.model import KNOWN_RUNTIMES, PROJECT_FILE, runtime_problem
from workbench.ui.worker import start_task

# Lambda's rule for variable names, and the keys its configuration refuses (lambda-facts §5).
FULL_VCPU_MB = 1769  # Lambda gives one vCPU at 1,769 MB, in proportion below and above
NAME, VALUE, SECRET, SOURCE = range(4)
SPIN_CEILING = 1_000_000  # wide on purpose: an out-of-range value is explained, not clamped


def cpu_hint(memory_mb: int) -> str:
    if not MEMORY_MIN_MB <= memory_mb <= MEMORY_MAX_MB:
        return ""
    share = memory_mb / FULL_VCPU_MB
    return f"≈ {share:.2f} vCPU (1,769 MB = 1 vCPU; up to 6 vCPUs at 10,240 MB)"


def environment_problems(rows: list[tuple[str, str, bool]]) -> list[str]:
    """Sentences for names Lambda would refuse (empty, malformed, reserved, repeated)."""
    problems: list[str] = []
    seen: set[str] = set()
    for name, value, _secret in rows:
        if not name:
            problems.append("An environment variable has no name; name it or remove the row.")
        elif name in RESERVED_VARIABLES:
            problems.append(f"{name} is reserved by Lambda and cannot be set; rename it.")
        elif not ENVIRONMENT_KEY.fullmatch(name):  # core's rule: what a run accepts
            problems.append(
                f"{name!r} is not a valid variable name: start with a letter, then letters, "
                "digits or _ (at least two characters)."
            )
        elif name in seen:
            problems.append(f"{name} is set twice; keep one.")
        if "\x00" in value:
            problems.append(f"The value of {name or 'a variable'} contains a NUL character.")
        seen.add(name)
    return problems


class FunctionSettingsDialog(QDialog):
    """Edits one function; Save writes lambda-workbench.json or template.yaml through core."""

    #: the settings were written; the saved FunctionConfig
    saved = Signal(object)

    def __init__(self, project: Any, function: FunctionConfig, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("functionSettingsDialog")
        self.setWindowTitle(f"Function Settings — {function.name}")
        self.project, self.function = project, function
        self.locked = self._read_only_fields()
        self._build()
        self._load(function)
        self._validate()
        self.resize(720, 620)

    # -- construction ---------------------------------------------------------
    def _build(self) -> None:
        where = self.project.template.name if self.project.template else PROJECT_FILE
        intro = QLabel(
            f"<b>{self.function.name}</b> — saved into {where}. "
            "Values Lambda would refuse are explained below."
        )
        intro.setWordWrap(True)
        self.handler = QComboBox(editable=True)
        self.handler.setObjectName("handlerField")
        self.runtime = QComboBox(editable=True)
        self.runtime.setObjectName("runtimeField")
        runtimes = sorted(KNOWN_RUNTIMES, key=_runtime_order)
        self.runtime.addItems(runtimes)
        self.memory = _spin("memoryField", " MB")
        self.cpu = QLabel()
        self.cpu.setObjectName("cpuHint")
        self.timeout = _spin("timeoutField", " s")
        self.architecture = QComboBox()
        self.architecture.setObjectName("architectureField")
        self.architecture.addItems(list(ARCHITECTURES))
        self.storage = _spin("storageField", " MB")
        self.layers = QPlainTextEdit()
        self.layers.setObjectName("layersField")
        self.layers.setPlaceholderText("One layer folder per line (its contents appear in /opt)")
        self.layers.setMaximumHeight(64)
        self.env = QTableWidget(0, 4)
        self.env.setObjectName("environmentTable")
        self.env.setHorizontalHeaderLabels(["Name", "Value", "Secret", "From"])
        header = self.env.horizontalHeader()
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Stretch)
        self.env.setColumnWidth(NAME, 200)
        self.env.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        add, remove = QPushButton("Add Variable"), QPushButton("Remove")
        add.setObjectName("addVariable")
        remove.setObjectName("removeVariable")
        add.clicked.connect(lambda: self.add_variable("", "", False))
        self.import_button = QPushButton("Import .env / env.json…")
        self.import_button.setObjectName("importEnvironment")
        self.import_button.setToolTip(
            "Add variables from a .env file or SAM CLI's env.json (--env-vars); "
            "nothing is saved until Save."
        )
        self.import_button.clicked.connect(self._on_import_button_clicked)
        remove.clicked.connect(self._on_remove_clicked)
        env_buttons = QHBoxLayout()
        env_buttons.addWidget(add)
        env_buttons.addWidget(remove)
        env_buttons.addWidget(self.import_button)
        env_buttons.addStretch(1)
        form = QFormLayout()
        form.addRow("Handler", self.handler)
        form.addRow("Runtime", self.runtime)
        form.addRow("Memory", self.memory)
        form.addRow("", self.cpu)
        form.addRow("Timeout", self.timeout)
        form.addRow("Architecture", self.architecture)
        form.addRow("Ephemeral storage", self.storage)
        form.addRow("Layers", self.layers)
        self.notes = QLabel()
        self.notes.setObjectName("readOnlyNotes")
        self.notes.setWordWrap(True)
        self.problems = QLabel()
        self.problems.setObjectName("errorBanner")
        self.problems.setWordWrap(True)
        self.problems.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(QLabel("Environment variables"))
        layout.addWidget(self.env, 1)
        layout.addLayout(env_buttons)
        layout.addWidget(self.notes)
        layout.addWidget(self.problems)
        layout.addWidget(self.buttons)
        for spin in (self.memory, self.timeout, self.storage):
            spin.valueChanged.connect(self._validate)
        for combo in (self.handler, self.runtime, self.architecture):
            combo.currentTextChanged.connect(self._validate)
        self.env.itemChanged.connect(self._validate)

    def _read_only_fields(self) -> dict[str, str]:
        if self.project.kind != "sam":
            return {}
        from workbench.core.project.sam_write import read_only_fields

        return read_only_fields(self.project, self.function.name)

    def _load(self, function: FunctionConfig) -> None:
        candidates = list(getattr(self.project, "handler_candidates", []) or [])
        if function.handler and function.handler not in candidates:
            candidates.insert(0, function.handler)
        self.handler.addItems(candidates)
        self.handler.setCurrentText(function.handler)
        self.runtime.setCurrentText(function.runtime)
        self.memory.setValue(function.memory_mb)
        self.timeout.setValue(function.timeout_s)
        self.architecture.setCurrentText(function.architecture)
        self.storage.setValue(function.ephemeral_storage_mb)
        self.layers.setPlainText("\n".join(str(p) for p in function.layers))
        for name, value in function.environment.items():
            self.add_variable(name, value, name in function.secret_names)
        fields = {
            "handler": self.handler, "runtime": self.runtime, "memory_mb": self.memory,
            "timeout_s": self.timeout, "architecture": self.architecture,
            "ephemeral_storage_mb": self.storage, "layers": self.layers,
        }  # fmt: skip
        notes = []
        for attr, widget in fields.items():
            if attr in self.locked:
                widget.setEnabled(False)
                widget.setToolTip(self.locked[attr] + " Change it in the template.")
                notes.append(self.locked[attr])
        if any(key.startswith("env:") for key in self.locked):
            notes.append("Variables marked Globals or !Ref are read-only here.")
        self.notes.setText(" ".join(notes))
        self.notes.setVisible(bool(notes))
        if self.handler.isEnabled() and not candidates:
            start_task(self._find_handlers, on_result=self._on_handlers_found)

    def _find_handlers(self, _cancel: CancelToken, _sink: Sink) -> list[str]:
        # Walks and parses the code folder: never on the GUI thread.
        from workbench.core.project.handlers import find_handlers

        return find_handlers(self.function.code_dir)

    def _on_handlers_found(self, found: list[str]) -> None:
        current = self.handler.currentText()
        self.handler.addItems([h for h in found if h != current])

    # -- environment rows -----------------------------------------------------
    def add_variable(self, name: str, value: str, secret: bool) -> int:
        self.env.blockSignals(True)
        row = self.env.rowCount()
        self.env.insertRow(row)
        self.env.setItem(row, NAME, QTableWidgetItem(name))
        value_item = QTableWidgetItem(value)
        self.env.setItem(row, VALUE, value_item)
        secret_item = QTableWidgetItem()
        secret_item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        secret_item.setCheckState(Qt.CheckState.Checked if secret else Qt.CheckState.Unchecked)
        self.env.setItem(row, SECRET, secret_item)
        reason = self.locked.get(f"env:{name}", "")
        source = QTableWidgetItem(_source_label(reason))
        source.setFlags(Qt.ItemFlag.ItemIsEnabled)
        self.env.setItem(row, SOURCE, source)
        if reason:
            for column in range(4):
                item = self.env.item(row, column)
                if item is not None:
                    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                    item.setToolTip(reason)
        if secret:
            value_item.setText("•" * 8)
            value_item.setData(Qt.ItemDataRole.UserRole, value)
        self.env.blockSignals(False)
        if not name:
            self.env.setCurrentCell(row, NAME)
            if (item := self.env.item(row, NAME)) is not None:
                self.env.editItem(item)
        self._validate()
        return row

    def _on_import_button_clicked(self) -> None:
        file, _ = QFileDialog.getOpenFileName(
            self, "Import environment variables", str(self.project.root),
            "Environment files (.env *.env *.json);;All files (*)",
        )  # fmt: skip
        if file:
            self.import_env_file(Path(file))

    def import_env_file(self, path: Path) -> None:
        """Read a .env or env.json on a worker and add its variables as rows (not saved yet)."""
        from workbench.core.project.envvars import import_environment, looks_secret

        name = self.function.name

        def read(_cancel: CancelToken, _sink: Sink) -> tuple[dict[str, str], list[str]]:
            updated, notices = import_environment(self.project, path, name)
            mine = next((c for c in updated if c.name == name), None)
            found = dict(mine.environment) if mine else {}
            return {k: v for k, v in found.items() if self.function.environment.get(k) != v}, (
                notices
            )

        def show(answer: tuple[dict[str, str], list[str]]) -> None:
            values, notices = answer
            rows = {row[0]: index for index, row in enumerate(self.environment_rows())}
            for key, value in values.items():
                if key in rows and (item := self.env.item(rows[key], VALUE)) is not None:
                    item.setText(value)
                else:
                    self.add_variable(key, value, looks_secret(key))
            self.notes.setText(" ".join([f"Imported {len(values)} variable(s) from {path.name}; "
                                         "Save writes them.", *notices]))  # fmt: skip
            self.notes.show()

        def failed(sentence: str) -> None:
            self.problems.setText(sentence)
            self.problems.show()

        self._import_task = start_task(read, on_result=show, on_error=failed)

    def _on_remove_clicked(self) -> None:
        row = self.env.currentRow()
        name_item = self.env.item(row, NAME) if row >= 0 else None
        if name_item is None or f"env:{name_item.text()}" in self.locked:
            return
        self.env.removeRow(row)
        self._validate()

    def environment_rows(self) -> list[tuple[str, str, bool]]:
        rows = []
        for row in range(self.env.rowCount()):
            name_item, value_item = self.env.item(row, NAME), self.env.item(row, VALUE)
            secret_item = self.env.item(row, SECRET)
            name = name_item.text().strip() if name_item else ""
            value = value_item.text() if value_item else ""
            hidden = value_item.data(Qt.ItemDataRole.UserRole) if value_item else None
            if hidden is not None and value == "•" * 8:
                value = str(hidden)  # the masked secret was not edited
            secret = bool(secret_item and secret_item.checkState() == Qt.CheckState.Checked)
            rows.append((name, value, secret))
        return rows

    # -- validate and save ----------------------------------------------------
    def config(self) -> FunctionConfig:
        rows = self.environment_rows()
        layers = [Path(line.strip()) for line in self.layers.toPlainText().splitlines()]
        root = self.project.root
        return dataclasses.replace(
            self.function,
            handler=self.handler.currentText().strip(),
            runtime=self.runtime.currentText().strip(),
            memory_mb=self.memory.value(),
            timeout_s=self.timeout.value(),
            architecture=self.architecture.currentText(),
            ephemeral_storage_mb=self.storage.value(),
            environment={name: value for name, value, _s in rows},
            secret_names={name for name, _v, secret in rows if secret},
            layers=(
                self.function.layers
                if "layers" in self.locked
                else [p if p.is_absolute() else (root / p).resolve() for p in layers if str(p)]
            ),
        )

    def current_problems(self) -> list[str]:
        config = self.config()
        problems = list(validate_limits(config))
        problems += environment_problems(self.environment_rows())
        if not config.handler or "." not in config.handler:
            problems.append("The handler must look like module.function, e.g. app.handler.")
        wrong_runtime = runtime_problem(config.runtime)
        if wrong_runtime:
            problems.append(wrong_runtime)
        return problems

    def _validate(self, *_args: object) -> None:
        self.cpu.setText(cpu_hint(self.memory.value()))
        problems = self.current_problems()
        self.problems.setText(" ".join(problems))
        self.problems.setVisible(bool(problems))
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(not problems)

    def save(self) -> None:
        if self.current_problems():
            return
        config = self.config()
        save = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        save.setEnabled(False)

        def write(_cancel: CancelToken, _sink: Sink) -> list[str]:
            # Keyring writes can block for seconds: on a worker.
            return core_project.save_function(self.project, config)

        def done(notices: list[str]) -> None:
            self.saved.emit(config)
            self.notices = notices
            self.accept()

        def failed(sentence: str) -> None:
            self.problems.setText(sentence)
            self.problems.show()
            save.setEnabled(True)

        self._task = start_task(write, on_result=done, on_error=failed)


# The bounds are shown in the tooltips so a user knows them before typing.
_BOUNDS = {
    "memoryField": f"{MEMORY_MIN_MB}–{MEMORY_MAX_MB:,} MB",
    "timeoutField": f"{TIMEOUT_MIN_S}–{TIMEOUT_MAX_S} s",
    "storageField": f"{EPHEMERAL_MIN_MB}–{EPHEMERAL_MAX_MB:,} MB",
}


def _spin(name: str, suffix: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(name)
    spin.setRange(0, SPIN_CEILING)
    spin.setSuffix(suffix)
    spin.setGroupSeparatorShown(True)
    spin.setToolTip(f"Lambda allows {_BOUNDS[name]}.")
    return spin


def _source_label(reason: str) -> str:
    if "Globals" in reason:
        return "Globals"
    if "computed by" in reason:
        return reason.split("computed by ", 1)[1].split(" ", 1)[0]
    return ""


def _runtime_order(runtime: str) -> tuple[int, str]:
    order = ("python", "nodejs", "java", "dotnet", "ruby", "provided", "go")
    family = next((i for i, prefix in enumerate(order) if runtime.startswith(prefix)), len(order))
    return family, runtime
