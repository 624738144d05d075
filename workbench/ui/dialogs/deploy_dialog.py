"""DeployDialog: confirm account/region/changes, deploy with progress, compare cloud with local."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)  # fmt: skip

from workbench.core.deploy.aws import AwsConnection, connect
from workbench.core.deploy.dependencies import package_function
from workbench.core.deploy.deployer import DeployPlan, DeployResult, apply_deploy, plan_deploy
from workbench.core.deploy.package import Package
from workbench.core.deploy.remote import RemoteInvocation, compare, invoke_remote
from workbench.core.deploy.roles import lambda_roles, role_name_for
from workbench.core.errors import WorkbenchError
from workbench.core.function import FunctionConfig
from workbench.core.invoke import InvocationResult
from workbench.core.progress import CancelToken, Sink
from workbench.core.project import projectfile
from workbench.core.settings import Settings
from workbench.ui.dialogs.endpoint import endpoint_problem, is_local_endpoint
from workbench.ui.worker import Task, start_task

CONFIRM_PAGE, PROGRESS_PAGE, RESULT_PAGE = range(3)


@dataclass
class _Prepared:
    conn: AwsConnection
    package: Package
    plan: DeployPlan
    roles: list[tuple[str, str]]


class DeployDialog(QDialog):
    """Three pages: confirmation, progress (with Cancel), result (with Invoke in the cloud)."""

    #: the DeployPlan, once account, region and changes are known
    planReady = Signal(object)
    #: the DeployResult when the deploy finished
    deployed = Signal(object)
    #: the RemoteInvocation after "Invoke in the cloud"
    remoteInvoked = Signal(object)
    #: a sentence when checking, deploying or invoking failed
    failed = Signal(str)

    def __init__(
        self,
        function: FunctionConfig,
        event: bytes | None,
        last_local: InvocationResult | None,
        settings: Settings,
        parent: QWidget | None = None,
        project_root: Path | None = None,
    ) -> None:
        super().__init__(parent)
        self.project_root = project_root
        self.function = function
        self.event_bytes = event
        self.last_local = last_local
        self.settings = settings
        self.connection: AwsConnection | None = None
        self.plan: DeployPlan | None = None
        self.deploy_result: DeployResult | None = None
        self._package: Package | None = None
        self._task: Task | None = None
        self.setWindowTitle(f"Deploy {function.function_name}")
        self.resize(720, 520)
        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_confirm_page())
        self.pages.addWidget(self._build_progress_page())
        self.pages.addWidget(self._build_result_page())
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)
        self._prepare()

    # ---- pages -------------------------------------------------------------
    def _build_confirm_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        self.account_label = QLabel("…")
        self.region_label = QLabel("…")
        self.function_label = QLabel(self.function.function_name)
        self.endpoint_edit = QLineEdit(self._initial_endpoint())
        self.endpoint_edit.setObjectName("endpointField")
        self.endpoint_edit.setPlaceholderText("AWS (the region's default endpoint)")
        self.endpoint_edit.setToolTip(
            "Where the deploy goes: empty for AWS, or LocalStack / moto "
            "(http://localhost:4566). Kept for this project."
        )
        self.endpoint_badge = QLabel("local endpoint")
        self.endpoint_badge.setObjectName("localEndpointBadge")
        self.endpoint_badge.setStyleSheet(
            "background: #8250df; color: white; border-radius: 6px; padding: 1px 6px;"
        )
        self.endpoint_badge.setVisible(is_local_endpoint(self.endpoint_edit.text()))
        self.endpoint_button = QPushButton("Use")
        self.endpoint_button.setObjectName("useEndpoint")
        self.endpoint_button.clicked.connect(self._on_endpoint_button_clicked)
        self.endpoint_edit.returnPressed.connect(self._on_endpoint_button_clicked)
        endpoint_row = QHBoxLayout()
        endpoint_row.addWidget(self.endpoint_edit, 1)
        endpoint_row.addWidget(self.endpoint_badge)
        endpoint_row.addWidget(self.endpoint_button)
        self.summary_label = QLabel("Checking your AWS credentials and the function on AWS…")
        self.summary_label.setWordWrap(True)
        form.addRow("Account:", self.account_label)
        form.addRow("Region:", self.region_label)
        form.addRow("Endpoint:", endpoint_row)
        form.addRow("Function:", self.function_label)
        self.changes_list = QListWidget()
        self.role_combo = QComboBox()
        self.role_label = QLabel("Execution role:")
        self.role_combo.setVisible(False)
        self.role_label.setVisible(False)
        self.publish_box = QCheckBox("Publish a numbered version")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #c0392b;")
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.deploy_button = QPushButton("Deploy")
        self.deploy_button.setEnabled(False)
        self.deploy_button.setDefault(True)
        self.deploy_button.clicked.connect(self._on_deploy_button_clicked)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.deploy_button)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.summary_label)
        layout.addWidget(QLabel("What will change:"))
        layout.addWidget(self.changes_list, 1)
        role_row = QHBoxLayout()
        role_row.addWidget(self.role_label)
        role_row.addWidget(self.role_combo, 1)
        layout.addLayout(role_row)
        layout.addWidget(self.publish_box)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        return page

    def _build_progress_page(self) -> QWidget:
        page = QWidget()
        self.steps_list = QListWidget()
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self._on_cancel_button_clicked)
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Deploying…"))
        layout.addWidget(self.steps_list, 1)
        layout.addWidget(self.progress_bar)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        layout.addLayout(row)
        return page

    def _build_result_page(self) -> QWidget:
        page = QWidget()
        form = QFormLayout()
        self.outcome_label = QLabel()
        self.arn_label = QLabel()
        self.version_label = QLabel()
        self.sha_label = QLabel()
        for label in (self.arn_label, self.sha_label):
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow("Result:", self.outcome_label)
        form.addRow("ARN:", self.arn_label)
        form.addRow("Version:", self.version_label)
        form.addRow("CodeSha256:", self.sha_label)
        self.result_changes = QListWidget()
        self.invoke_button = QPushButton("Invoke in the cloud")
        self.invoke_button.setEnabled(self.event_bytes is not None)
        if self.event_bytes is None:
            self.invoke_button.setToolTip("Open or write an event first.")
        self.invoke_button.clicked.connect(self._on_invoke_button_clicked)
        self.compare_table = QTableWidget(0, 3)
        self.compare_table.setHorizontalHeaderLabels(["", "Last local run", "Cloud"])
        self.compare_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.compare_table.verticalHeader().setVisible(False)
        self.remote_output = QPlainTextEdit()
        self.remote_output.setReadOnly(True)
        self.remote_output.setPlaceholderText("The cloud's response and log tail appear here.")
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(QLabel("What changed:"))
        layout.addWidget(self.result_changes)
        layout.addWidget(self.invoke_button)
        layout.addWidget(self.compare_table)
        layout.addWidget(self.remote_output, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        return page

    # ---- confirmation ------------------------------------------------------
    def _prepare(self) -> None:
        function = self.function
        profile = self.settings.get("aws_profile") or None
        region = self.settings.get("aws_region") or None
        endpoint = self.endpoint_edit.text().strip() or None
        self.deploy_button.setEnabled(False)
        self.error_label.clear()

        def work(cancel: CancelToken, sink: Sink) -> _Prepared:
            sink.progress("Checking AWS credentials")
            conn = connect(profile=profile, region=region, endpoint_url=endpoint)
            package = package_function(function, cancel=cancel, sink=sink)
            plan = plan_deploy(conn, function, package)
            roles: list[tuple[str, str]] = []
            if not plan.exists:
                try:
                    roles = lambda_roles(conn)
                except WorkbenchError:
                    roles = []  # no iam:ListRoles: offer only the role the workbench creates
            return _Prepared(conn, package, plan, roles)

        self._task = start_task(
            work, on_result=self._on_prepare_result, on_error=self._on_task_error,
            on_progress=lambda message, _f: self.summary_label.setText(message + "…"),
        )  # fmt: skip

    def _on_prepare_result(self, prepared: _Prepared) -> None:
        self.connection, self._package, self.plan = prepared.conn, prepared.package, prepared.plan
        plan = prepared.plan
        self.account_label.setText(plan.account)
        self.region_label.setText(plan.region)
        self.endpoint_badge.setVisible(is_local_endpoint(prepared.conn.endpoint_url or ""))
        package_line = f"Package: {prepared.package.size_summary()}."
        self.summary_label.setText(" ".join([plan.summary(), package_line, *plan.notes]))
        self.changes_list.clear()
        self.changes_list.addItems([c.sentence() for c in plan.changes] or ["Nothing changes."])
        if not plan.exists:
            self.role_combo.clear()
            self.role_combo.addItem(f"Create {role_name_for(plan.function_name)}", None)
            for name, arn in prepared.roles:
                self.role_combo.addItem(name, arn)
            self.role_combo.setVisible(True)
            self.role_label.setVisible(True)
        self.deploy_button.setEnabled(True)
        self.deploy_button.setText("Deploy" if plan.action != "none" else "Deploy anyway")
        self.planReady.emit(plan)

    def _initial_endpoint(self) -> str:
        """The project's own endpoint (lambda-workbench.json), else the setting."""
        if self.project_root is not None:
            try:
                own = projectfile.deploy_endpoint(projectfile.read(self.project_root))
            except WorkbenchError:
                own = ""
            if own:
                return own
        return str(self.settings.get("aws_endpoint_url") or "")

    def _on_endpoint_button_clicked(self) -> None:
        url = self.endpoint_edit.text().strip()
        problem = endpoint_problem(url)
        if problem:
            self.error_label.setText(problem)
            return
        self.endpoint_badge.setVisible(is_local_endpoint(url))
        if self.project_root is not None:
            try:
                data = projectfile.read(self.project_root)
                projectfile.set_deploy_endpoint(data, url)
                projectfile.write(self.project_root, data)
            except (WorkbenchError, OSError) as error:
                self.error_label.setText(f"The endpoint is used but not kept: {error}")
        self.account_label.setText("…")
        self.region_label.setText("…")
        self.summary_label.setText("Checking the endpoint…")
        self._prepare()

    # ---- deploy ------------------------------------------------------------
    def _on_deploy_button_clicked(self) -> None:
        if self.connection is None or self.plan is None or self._package is None:
            return
        conn, plan, package = self.connection, self.plan, self._package
        role_arn = self.role_combo.currentData() if not plan.exists else None
        publish = self.publish_box.isChecked()
        bucket = self.settings.get("deploy_s3_bucket") or None
        self.pages.setCurrentIndex(PROGRESS_PAGE)

        def work(cancel: CancelToken, sink: Sink) -> DeployResult:
            return apply_deploy(conn, plan, package, role_arn=role_arn, publish=publish,
                                s3_bucket=bucket, cancel=cancel, sink=sink)  # fmt: skip

        self._task = start_task(
            work, on_result=self._on_deploy_result, on_error=self._on_task_error,
            on_progress=self._on_deploy_progress, on_cancelled=self._on_deploy_cancelled,
        )  # fmt: skip

    def _on_deploy_progress(self, message: str, fraction: float) -> None:
        self.steps_list.addItem(message)
        self.steps_list.scrollToBottom()
        if fraction >= 0:
            self.progress_bar.setValue(int(fraction * 100))

    def _on_cancel_button_clicked(self) -> None:
        if self._task is not None:
            self._task.cancel()
        self.cancel_button.setEnabled(False)
        self.steps_list.addItem("Cancelling after the current step…")

    def _on_deploy_cancelled(self) -> None:
        self.steps_list.addItem(
            "Cancelled. Steps already finished stay applied on AWS; deploy again to finish."
        )
        self.cancel_button.setText("Close")
        self.cancel_button.setEnabled(True)
        self.cancel_button.clicked.disconnect()
        self.cancel_button.clicked.connect(self.reject)

    def _on_deploy_result(self, result: DeployResult) -> None:
        self.deploy_result = result
        self.outcome_label.setText(
            f"{result.action.capitalize()} in account {result.account}, {result.region}"
            + (" (new execution role created)" if result.role_created else "")
        )
        self.arn_label.setText(result.function_arn)
        self.version_label.setText(result.version)
        self.sha_label.setText(result.code_sha256)
        self.result_changes.clear()
        self.result_changes.addItems([c.sentence() for c in result.changes] or ["Nothing."])
        self.pages.setCurrentIndex(RESULT_PAGE)
        self.deployed.emit(result)

    # ---- remote invoke -----------------------------------------------------
    def _on_invoke_button_clicked(self) -> None:
        if self.connection is None or self.deploy_result is None or self.event_bytes is None:
            return
        conn, event = self.connection, self.event_bytes
        name = self.deploy_result.function_name
        qualifier = None if self.deploy_result.version == "$LATEST" else self.deploy_result.version
        self.invoke_button.setEnabled(False)
        self.remote_output.setPlainText("Invoking in the cloud…")

        def work(cancel: CancelToken, sink: Sink) -> RemoteInvocation:
            return invoke_remote(conn, name, event, qualifier)

        self._task = start_task(
            work, on_result=self._on_remote_result, on_error=self._on_task_error,
            on_finished=lambda: self.invoke_button.setEnabled(True),
        )  # fmt: skip

    def _on_remote_result(self, remote: RemoteInvocation) -> None:
        table = compare(self.last_local, remote)
        self.compare_table.setRowCount(len(table.rows))
        for row, item in enumerate(table.rows):
            cells: list[Any] = [
                item.label,
                _fmt(item.local, item.unit),
                _fmt(item.cloud, item.unit),
            ]
            for column, text in enumerate(cells):
                self.compare_table.setItem(row, column, QTableWidgetItem(text))
        status = "succeeded" if remote.succeeded else f"failed ({remote.function_error})"
        self.remote_output.setPlainText(
            f"Cloud invoke {status}\n\nResponse:\n{remote.payload_text()}\n\n"
            f"Log tail:\n{remote.logs}"
        )
        self.remoteInvoked.emit(remote)

    # ---- shared ------------------------------------------------------------
    def _on_task_error(self, message: str) -> None:
        if self.pages.currentIndex() == CONFIRM_PAGE:
            self.summary_label.setText("Could not prepare the deploy.")
            self.error_label.setText(message)
        elif self.pages.currentIndex() == PROGRESS_PAGE:
            self.steps_list.addItem(f"Failed: {message}")
            self.cancel_button.setText("Close")
            self.cancel_button.setEnabled(True)
            self.cancel_button.clicked.disconnect()
            self.cancel_button.clicked.connect(self.reject)
        else:
            self.remote_output.setPlainText(message)
        self.failed.emit(message)

    def done(self, code: int) -> None:
        # Closing stops whatever is still running (between steps for a deploy).
        if self._task is not None:
            self._task.cancel()
        super().done(code)


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    return f"{value:,.2f} {unit}" if unit == "ms" else f"{value:,.0f} {unit}"
