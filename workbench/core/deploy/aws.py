"""AWS connection for deploys: a boto3 session checked with STS, errors turned into sentences."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import boto3
import botocore.exceptions as bx
from botocore.config import Config

from workbench.core.errors import WorkbenchError

T = TypeVar("T")

# Standard retries cover throttling; timeouts keep a dead endpoint from hanging a deploy.
_CLIENT_CONFIG = Config(
    retries={"max_attempts": 4, "mode": "standard"}, connect_timeout=10, read_timeout=120
)
_BAD_CREDENTIALS = {
    "InvalidClientTokenId",
    "UnrecognizedClientException",
    "SignatureDoesNotMatch",
    "InvalidSignatureException",
    "AuthFailure",
}
_EXPIRED = {"ExpiredToken", "ExpiredTokenException", "RequestExpired"}
_DENIED = {"AccessDenied", "AccessDeniedException", "UnauthorizedOperation"}
_SSO_ERRORS: tuple[type[Exception], ...] = (
    bx.SSOTokenLoadError,
    bx.UnauthorizedSSOTokenError,
    bx.TokenRetrievalError,
    bx.SSOError,
)


@dataclass
class AwsConnection:
    """A checked session: the account and region every deploy step uses."""

    session: boto3.session.Session
    account: str
    region: str
    caller_arn: str
    profile: str | None = None
    endpoint_url: str | None = None

    @property
    def partition(self) -> str:
        parts = self.caller_arn.split(":")
        return parts[1] if len(parts) > 1 and parts[1] else "aws"

    def client(self, service: str) -> Any:
        return self.session.client(
            service, region_name=self.region, endpoint_url=self.endpoint_url or None,
            config=_CLIENT_CONFIG,
        )  # fmt: skip


def _login_hint(profile: str | None) -> str:
    return f"aws sso login --profile {profile}" if profile else "aws sso login"


def explain(error: Exception, action: str, profile: str | None = None) -> WorkbenchError:
    """A sentence for an AWS failure while doing `action` (never includes credentials)."""
    who = f" (profile {profile})" if profile else ""
    if isinstance(error, _SSO_ERRORS):
        return WorkbenchError(
            f"The AWS SSO session{who} has expired or was never started, so {action} could "
            f"not run. Run `{_login_hint(profile)}` and try again."
        )
    if isinstance(error, bx.ProfileNotFound):
        return WorkbenchError(
            f"There is no AWS profile called {profile!r} in your AWS config. Run "
            f"`aws configure --profile {profile}` (or `aws configure sso --profile {profile}`), "
            "or choose another profile."
        )
    if isinstance(error, bx.NoRegionError):
        return WorkbenchError(
            "No AWS region is set. Pass --region, set the aws_region setting, or run "
            f"`aws configure set region us-east-1{' --profile ' + profile if profile else ''}`."
        )
    if isinstance(error, bx.PartialCredentialsError):
        return WorkbenchError(
            f"Your AWS credentials{who} are incomplete ({error.kwargs.get('cred_var')} is "
            "missing). Run `aws configure` to set both the access key id and secret key."
        )
    if isinstance(error, bx.NoCredentialsError):
        return WorkbenchError(
            "No AWS credentials were found. Run `aws configure` to store access keys, "
            "`aws sso login --profile NAME` for an SSO profile, or pick a profile with --profile."
        )
    if isinstance(error, bx.EndpointConnectionError | bx.ConnectTimeoutError):
        return WorkbenchError(
            f"Could not reach AWS while trying to {action} ({error.kwargs.get('endpoint_url')}). "
            "Check your network connection and the endpoint URL setting."
        )
    if isinstance(error, bx.ClientError):
        code = error.response.get("Error", {}).get("Code", "")
        message = str(error.response.get("Error", {}).get("Message", "")).strip()
        if message and message[-1] not in ".!?":
            message += "."
        if code in _BAD_CREDENTIALS:
            return WorkbenchError(
                f"AWS rejected your credentials{who} ({code}) while trying to {action}. "
                "Run `aws configure` with a valid access key, or `aws sso login` for SSO."
            )
        if code in _EXPIRED:
            return WorkbenchError(
                f"Your AWS credentials{who} have expired. Run `{_login_hint(profile)}` "
                "or refresh your access keys, then try again."
            )
        if code in _DENIED:
            return WorkbenchError(
                f"AWS denied permission to {action}: {message} Ask your administrator for "
                "that permission or use a profile that has it."
            )
        if code == "ResourceNotFoundException":
            return WorkbenchError(
                f"AWS could not {action}: {message} ({code}). Check the function name and "
                "region; if it was deleted meanwhile, deploy again to create it."
            )
        return WorkbenchError(f"AWS could not {action}: {message or code} ({code})")
    if isinstance(error, bx.BotoCoreError):
        return WorkbenchError(f"Could not {action}: {error}")
    return WorkbenchError(f"Could not {action}: {error}")


def call(action: str, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run one AWS call, turning its failure into a WorkbenchError sentence."""
    try:
        return fn(*args, **kwargs)
    except (bx.BotoCoreError, bx.ClientError) as error:
        raise explain(error, action) from error


def connect(
    profile: str | None = None, region: str | None = None, endpoint_url: str | None = None
) -> AwsConnection:
    """Open a session and check its credentials with sts:GetCallerIdentity."""
    profile = profile or None
    try:
        session = boto3.session.Session(profile_name=profile, region_name=region or None)
        if not session.region_name:
            raise bx.NoRegionError()
        sts = session.client(
            "sts", endpoint_url=endpoint_url or None, config=_CLIENT_CONFIG,
            region_name=session.region_name,
        )  # fmt: skip
        identity = sts.get_caller_identity()
    except (bx.BotoCoreError, bx.ClientError) as error:
        raise explain(error, "check your AWS credentials", profile) from error
    return AwsConnection(
        session=session,
        account=identity["Account"],
        region=session.region_name,
        caller_arn=identity.get("Arn", ""),
        profile=profile,
        endpoint_url=endpoint_url or None,
    )
