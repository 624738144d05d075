"""Credential problems become sentences that say what to run; secrets never appear in them."""

from __future__ import annotations

from pathlib import Path

import boto3
import pytest

from tests.deploy.moto_helpers import start_moto, stop_moto
from workbench.core.deploy.aws import connect
from workbench.core.deploy.roles import lambda_roles
from workbench.core.errors import WorkbenchError


def test_connect_returns_the_account(moto_url: str) -> None:
    conn = connect(endpoint_url=moto_url, region="eu-west-1")
    assert conn.account == "123456789012"
    assert conn.region == "eu-west-1"
    assert conn.partition == "aws"


def test_no_credentials(aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    # Nothing listens here: the check must fail before any request is made.
    with pytest.raises(WorkbenchError, match=r"No AWS credentials were found. Run `aws configure`"):
        connect(endpoint_url="http://127.0.0.1:9", region="us-east-1")


def test_unknown_profile(aws_env: Path) -> None:
    with pytest.raises(WorkbenchError, match=r"no AWS profile called 'ghost'.*aws configure"):
        connect(profile="ghost", region="us-east-1")


def test_no_region(aws_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    with pytest.raises(WorkbenchError, match="No AWS region is set. Pass --region"):
        connect(endpoint_url="http://127.0.0.1:9")


@pytest.mark.parametrize(
    "profile_text",
    [
        # sso-session style (AWS CLI v2 default)
        "[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\n"
        "sso_role_name = Dev\nregion = us-east-1\n"
        "[sso-session corp]\nsso_start_url = https://example.awsapps.com/start\n"
        "sso_region = us-east-1\nsso_registration_scopes = sso:account:access\n",
        # legacy style
        "[profile dev]\nsso_start_url = https://example.awsapps.com/start\nsso_region = us-east-1\n"
        "sso_account_id = 111122223333\nsso_role_name = Dev\nregion = us-east-1\n",
    ],
)
def test_expired_or_missing_sso_login(
    aws_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, profile_text: str
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    monkeypatch.setenv("HOME", str(tmp_path))  # an empty ~/.aws/sso/cache: no token
    (aws_env / "config").write_text(profile_text)
    with pytest.raises(
        WorkbenchError, match=r"SSO session \(profile dev\).*aws sso login --profile dev"
    ):
        connect(profile="dev", endpoint_url="http://127.0.0.1:9")


@pytest.fixture
def auth_moto(aws_env: Path) -> object:
    """A second moto server that checks signatures and IAM policies like AWS does.

    INITIAL_NO_AUTH_ACTION_COUNT=2 lets the test create one user and its key first.
    """
    proc, url = start_moto({"INITIAL_NO_AUTH_ACTION_COUNT": "2"})
    yield url
    stop_moto(proc)


def test_bad_credentials_and_access_denied(auth_moto: str, monkeypatch: pytest.MonkeyPatch) -> None:
    iam = boto3.client("iam", endpoint_url=auth_moto, region_name="us-east-1")
    iam.create_user(UserName="nobody")
    key = iam.create_access_key(UserName="nobody")["AccessKey"]

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUNKNOWNKEY000000")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "VerySecretValueNeverShown")
    with pytest.raises(WorkbenchError) as caught:
        connect(endpoint_url=auth_moto, region="us-east-1")
    message = str(caught.value)
    assert "AWS rejected your credentials (InvalidClientTokenId)" in message
    assert "aws configure" in message
    assert "VerySecretValueNeverShown" not in message and "AKIAUNKNOWNKEY" not in message

    # A real user with no policies: the check passes, IAM then says AccessDenied.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", key["AccessKeyId"])
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", key["SecretAccessKey"])
    conn = connect(endpoint_url=auth_moto, region="us-east-1")
    with pytest.raises(WorkbenchError, match=r"AWS denied permission to list the account's IAM "
                       r"roles: .*iam:ListRoles\. Ask your administrator"):  # fmt: skip
        lambda_roles(conn)
