"""API pane: the served routes (copy URL, send a request) and every request served."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.core.http.gateway import ServedRequest
from workbench.core.units import describe_ms
from workbench.ui.api.send_request import SendRequestForm

ROUTE_COLUMNS = ("Kind", "Method", "Path", "Function", "URL")
REQUEST_COLUMNS = ("Time", "Method", "Path", "Status", "Function", "Duration", "Start")
KINDS = {"rest": "REST", "http": "HTTP", "url": "URL"}
MAX_ROWS = 500  # requests listed; older ones stay in each function's history
_ROW_ROLE = Qt.ItemDataRole.UserRole


class ApiPane(QWidget):
    """Routes and the requests served (newest first) on the left, the send-request form right."""

    #: a ServedRequest whose invoke the user opened (show it in the result panes)
    request_activated = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = QLabel("Not serving. Press Serve API on the toolbar.")
        self.state.setObjectName("apiState")
        self.state.setWordWrap(True)
        self.routes = QTreeWidget()
        self.routes.setObjectName("apiRoutes")
        self.routes.setHeaderLabels(list(ROUTE_COLUMNS))
        self.routes.setRootIsDecorated(False)
        self.copy_button = QPushButton("Copy URL")
        self.copy_button.setEnabled(False)
        self.form = SendRequestForm()
        self.requests = QTreeWidget()
        self.requests.setObjectName("apiRequests")
        self.requests.setHeaderLabels(list(REQUEST_COLUMNS))
        self.requests.setRootIsDecorated(False)
        self.requests.setUniformRowHeights(True)
        self._served: list[ServedRequest] = []
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        buttons = QHBoxLayout()
        buttons.addWidget(self.state, 1)
        buttons.addWidget(self.copy_button)
        top_layout.addLayout(buttons)
        top_layout.addWidget(self.routes, 1)
        lists = QSplitter(Qt.Orientation.Vertical)
        lists.addWidget(top)
        lists.addWidget(self.requests)
        lists.setChildrenCollapsible(False)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(lists)
        splitter.addWidget(self.form)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter, 1)
        self.routes.itemSelectionChanged.connect(self._on_routes_item_selection_changed)
        self.routes.itemDoubleClicked.connect(self._on_routes_item_double_clicked)
        self.copy_button.clicked.connect(self.copy_url)
        self.requests.itemClicked.connect(self._on_requests_item_clicked)

    # Contract -----------------------------------------------------------------
    def show_serving(self, rows: list[dict], port: int, warnings: list[str]) -> None:
        self.routes.clear()
        for row in rows:
            item = QTreeWidgetItem(
                [KINDS[row["kind"]], row["method"], row["path"], row["function"], row["url"]]
            )
            item.setData(0, _ROW_ROLE, row)
            self.routes.addTopLevelItem(item)
        for column in range(len(ROUTE_COLUMNS) - 1):
            self.routes.resizeColumnToContents(column)
        text = f"Serving {len(rows)} routes on port {port}."
        if warnings:
            text += " " + " ".join(warnings)
        self.state.setText(text)
        first = self.routes.topLevelItem(0)
        if first is not None:
            self.routes.setCurrentItem(first)

    def show_stopped(self, sentence: str = "") -> None:
        self.routes.clear()
        self.state.setText(sentence or "Not serving. Press Serve API on the toolbar.")

    def add_served(self, served: ServedRequest) -> None:
        result = served.result
        clock = time.strftime("%H:%M:%S", time.localtime(served.started))
        item = QTreeWidgetItem(
            [
                clock,
                served.method,
                served.path,
                str(served.status),
                served.function or "",
                describe_ms(result.duration_ms) if result is not None else "",
                ("cold" if result.cold_start else "warm") if result is not None else "",
            ]
        )
        if served.problem:
            item.setToolTip(3, served.problem)
        if served.status >= 400:
            item.setForeground(3, QColor("#c62828"))
        item.setData(0, _ROW_ROLE, served)
        self.requests.insertTopLevelItem(0, item)
        while self.requests.topLevelItemCount() > MAX_ROWS:
            self.requests.takeTopLevelItem(MAX_ROWS)

    def selected_route(self) -> dict | None:
        item = self.routes.currentItem()
        return item.data(0, _ROW_ROLE) if item is not None else None

    def copy_url(self) -> None:
        row = self.selected_route()
        if row is not None:
            QGuiApplication.clipboard().setText(row["url"])

    def served_at(self, row: int) -> ServedRequest | None:
        item = self.requests.topLevelItem(row)
        return item.data(0, _ROW_ROLE) if item is not None else None

    # Slots --------------------------------------------------------------------
    def _on_routes_item_selection_changed(self) -> None:
        row = self.selected_route()
        self.copy_button.setEnabled(row is not None)
        if row is not None:
            self.form.prepare(row["method"], row["url"])

    def _on_routes_item_double_clicked(self, _item: QTreeWidgetItem, _column: int) -> None:
        self.copy_url()

    def _on_requests_item_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        served = item.data(0, _ROW_ROLE)
        if served is not None and served.result is not None:
            self.request_activated.emit(served)
