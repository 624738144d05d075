"""DeployDialog against a real moto server: confirm, deploy, result, cloud-vs-local comparison."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from tests.deploy.moto_helpers import aws_env, fake_lambda, moto_server, moto_url
from workbench.core.deploy.history import read_history
from workbench.core.function import FunctionConfig
from workbench.core.invoke import InvocationResult
from workbench.core.settings import Settings
from workbench.ui.dialogs.deploy_dialog import PROGRESS_PAGE, RESULT_PAGE, DeployDialog

__all__ = ["aws_env", "fake_lambda", "moto_server", "moto_url"]
WAIT_MS = 60_000  # a generous ceiling on a shared machine, not a timing assertion


@pytest.fixture
def function(tmp_path: Path) -> FunctionConfig:
    code = tmp_path / "hello"
    code.mkdir()
    (code / "lambda_function.py").write_text("def lambda_handler(e, c):\n    return {'ok': 1}\n")
    return FunctionConfig(
        name="hello", handler="lambda_function.lambda_handler", code_dir=code,
        environment={"TOKEN": "hidden-value"}, secret_names={"TOKEN"},
    )  # fmt: skip


@pytest.fixture
def settings(tmp_path: Path, moto_url: str) -> Settings:
    settings = Settings(tmp_path / "settings.json")
    settings.set("aws_endpoint_url", moto_url)
    settings.set("aws_region", "eu-central-1")
    return settings


def _local() -> InvocationResult:
    return InvocationResult(
        request_id="local", runner="process", cold_start=False, payload=b'{"ok": 1}',
        error=None, logs="", duration_ms=1.5, billed_duration_ms=2, init_duration_ms=None,
        memory_size_mb=128, max_memory_used_mb=35, cost_usd=0.0,
    )  # fmt: skip


def _texts(widget) -> list[str]:  # type: ignore[no-untyped-def]
    return [widget.item(i).text() for i in range(widget.count())]


def test_confirm_deploy_and_compare(
    qtbot, function: FunctionConfig, settings: Settings, moto_url: str, fake_lambda: str
) -> None:  # type: ignore[no-untyped-def]
    dialog = DeployDialog(function, b'{"name": "cloud"}', _local(), settings)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.planReady, timeout=WAIT_MS):
        pass
    assert dialog.account_label.text() == "123456789012"
    assert dialog.region_label.text() == "eu-central-1"
    assert dialog.function_label.text() == "hello"
    changes = _texts(dialog.changes_list)
    assert "handler: (none) -> lambda_function.lambda_handler" in changes
    assert "environment TOKEN: (not set) -> ******" in changes
    assert not any("hidden-value" in text for text in changes)
    assert dialog.role_combo.isVisibleTo(dialog)
    assert dialog.role_combo.itemText(0) == "Create lambda-workbench-hello-role"
    assert dialog.deploy_button.isEnabled()

    with qtbot.waitSignal(dialog.deployed, timeout=WAIT_MS) as deployed:
        dialog.deploy_button.click()
        assert dialog.pages.currentIndex() == PROGRESS_PAGE
    result = deployed.args[0]
    assert dialog.pages.currentIndex() == RESULT_PAGE
    assert dialog.arn_label.text() == "arn:aws:lambda:eu-central-1:123456789012:function:hello"
    assert dialog.version_label.text() == "$LATEST"
    assert dialog.sha_label.text() == result.code_sha256
    assert any(step.startswith("Creating hello") for step in _texts(dialog.steps_list))
    lam = boto3.client("lambda", endpoint_url=moto_url, region_name="eu-central-1")
    remote = lam.get_function_configuration(FunctionName="hello")
    assert remote["Environment"]["Variables"] == {"TOKEN": "hidden-value"}
    assert [r["action"] for r in read_history("hello")] == ["created"]

    # moto cannot run Lambda code here; the invoke goes to a stand-in that answers like AWS.
    dialog.connection.endpoint_url = fake_lambda
    with qtbot.waitSignal(dialog.remoteInvoked, timeout=WAIT_MS):
        dialog.invoke_button.click()
    table = dialog.compare_table
    rows = {
        table.item(r, 0).text(): (table.item(r, 1).text(), table.item(r, 2).text())
        for r in range(table.rowCount())
    }
    assert rows["Duration"] == ("1.50 ms", "3.01 ms")
    assert rows["Max Memory Used"] == ("35 MB", "40 MB")
    assert rows["Init Duration"] == ("—", "—")
    assert "failed (Unhandled)" in dialog.remote_output.toPlainText()


def test_no_credentials_shows_a_sentence(
    qtbot, function: FunctionConfig, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    dialog = DeployDialog(function, None, None, settings)
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.failed, timeout=WAIT_MS) as failed:
        pass
    assert "No AWS credentials were found" in failed.args[0]
    assert dialog.error_label.text() == failed.args[0]
    assert not dialog.deploy_button.isEnabled()
    assert not dialog.invoke_button.isEnabled()  # no event to send


def test_unchanged_redeploy_and_cancel_closes(
    qtbot, function: FunctionConfig, settings: Settings, moto_url: str
) -> None:  # type: ignore[no-untyped-def]
    first = DeployDialog(function, None, None, settings)
    qtbot.addWidget(first)
    qtbot.waitSignal(first.planReady, timeout=WAIT_MS).wait()
    with qtbot.waitSignal(first.deployed, timeout=WAIT_MS):
        first.deploy_button.click()

    again = DeployDialog(function, None, None, settings)
    qtbot.addWidget(again)
    with qtbot.waitSignal(again.planReady, timeout=WAIT_MS) as ready:
        pass
    assert ready.args[0].action == "none"
    assert _texts(again.changes_list) == ["Nothing changes."]
    assert not again.role_combo.isVisibleTo(again)  # the function exists: no role to pick
    again.reject()
    assert read_history("hello")[-1]["action"] == "created"  # cancel deployed nothing


class _AlwaysBusy:
    """A real moto client whose update_function_configuration always answers with a real
    botocore ResourceConflictException: moto never reports an update in progress, AWS does."""

    def __init__(self, client: object) -> None:
        self._client = client

    def __getattr__(self, name: str) -> object:
        if name != "update_function_configuration":
            return getattr(self._client, name)

        def busy(**_: object) -> object:
            from botocore.exceptions import ClientError

            error = {"Code": "ResourceConflictException", "Message": "An update is in progress"}
            raise ClientError({"Error": error}, name)

        return busy


def test_cancel_while_waiting_on_a_busy_function(
    qtbot, function: FunctionConfig, settings: Settings, moto_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    from workbench.core.deploy import deployer

    first = DeployDialog(function, None, None, settings)
    qtbot.addWidget(first)
    qtbot.waitSignal(first.planReady, timeout=WAIT_MS).wait()
    with qtbot.waitSignal(first.deployed, timeout=WAIT_MS):
        first.deploy_button.click()

    function.memory_mb = 1024
    dialog = DeployDialog(function, None, None, settings)
    qtbot.addWidget(dialog)
    qtbot.waitSignal(dialog.planReady, timeout=WAIT_MS).wait()
    assert _texts(dialog.changes_list) == ["memory (MB): 128 -> 1024"]
    connection = dialog.connection
    assert connection is not None
    real_client = connection.client
    monkeypatch.setattr(
        connection, "client",
        lambda service: _AlwaysBusy(real_client(service)) if service == "lambda"
        else real_client(service),
    )  # fmt: skip
    monkeypatch.setattr(deployer, "CONFLICT_DELAYS", (600,))  # waits until cancelled
    dialog.deploy_button.click()
    qtbot.waitUntil(
        lambda: any("trying again" in t for t in _texts(dialog.steps_list)), timeout=WAIT_MS
    )
    dialog.cancel_button.click()
    qtbot.waitUntil(
        lambda: any(t.startswith("Cancelled.") for t in _texts(dialog.steps_list)),
        timeout=WAIT_MS,
    )
    assert dialog.cancel_button.text() == "Close" and dialog.deploy_result is None
    lam = boto3.client("lambda", endpoint_url=moto_url, region_name="eu-central-1")
    assert lam.get_function_configuration(FunctionName="hello")["MemorySize"] == 128


def test_the_target_shows_a_local_endpoint_badge_and_the_endpoint_is_kept_per_project(
    qtbot, function: FunctionConfig, tmp_path: Path, moto_url: str
) -> None:
    settings = Settings(tmp_path / "settings.json")
    settings.set("aws_region", "eu-central-1")
    settings.set("aws_endpoint_url", moto_url.replace("127.0.0.1", "localhost"))
    project = function.code_dir
    dialog = DeployDialog(function, None, None, settings, project_root=project)
    qtbot.addWidget(dialog)
    assert dialog.endpoint_edit.text().startswith("http://localhost:")  # from Settings
    assert dialog.endpoint_badge.isVisibleTo(dialog)
    with qtbot.waitSignal(dialog.planReady, timeout=WAIT_MS):
        pass
    dialog.endpoint_edit.setText("not a url")
    dialog.endpoint_button.click()
    assert "is not an endpoint URL" in dialog.error_label.text()
    dialog.endpoint_edit.setText(moto_url)
    with qtbot.waitSignal(dialog.planReady, timeout=WAIT_MS):
        dialog.endpoint_button.click()
    assert dialog.endpoint_badge.isVisibleTo(dialog)
    assert dialog.account_label.text() == "123456789012"
    assert dialog.region_label.text() == "eu-central-1"
    # Kept in lambda-workbench.json: the next dialog for this project starts there.
    again = DeployDialog(function, None, None, settings, project_root=project)
    qtbot.addWidget(again)
    assert again.endpoint_edit.text() == moto_url
    assert again.endpoint_badge.isVisibleTo(again)


def test_aws_hosts_are_not_local() -> None:
    from workbench.ui.dialogs.endpoint import is_local_endpoint

    assert not is_local_endpoint("https://lambda.eu-central-1.amazonaws.com")
    assert is_local_endpoint("http://localhost:4566")
