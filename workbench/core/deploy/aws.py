"""AWS connection for deploys: a boto3 session checked with STS, errors turned into sentences."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlparse

import boto3
import botocore.exceptions as bx
from botocore.config import Config
from botocore.parsers import ResponseParserError

from workbench.core.errors import WorkbenchError

T = TypeVar("T")

# Standard retries cover throttling; timeouts keep a dead endpoint from hanging a deploy.
# Uploads and Lambda's own work can take a while to answer, so reads get longer.
_CLIENT_CONFIG = Config(
    retries={"total_max_attempts": 3, "mode": "standard"}, connect_timeout=5, read_timeout=60
)
# The first call (who am I?) is small: an endpoint that accepts and never answers is
# told within seconds, not minutes.
_CHECK_CONFIG = Config(
    retries={"total_max_attempts": 2, "mode": "standard"}, connect_timeout=5, read_timeout=5
)
# Everything an AWS call can raise. A server that is not AWS (a web page, a proxy) makes
# botocore's parsers fail with ResponseParserError, or with a plain KeyError/TypeError
# when the answer is well-formed XML of the wrong shape; none is a BotoCoreError.
_NOT_AWS: tuple[type[Exception], ...] = (ResponseParserError, KeyError, TypeError, AttributeError)
AWS_ERRORS: tuple[type[Exception], ...] = (bx.BotoCoreError, bx.ClientError, *_NOT_AWS)
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
    if isinstance(error, bx.ReadTimeoutError):
        return WorkbenchError(
            f"The endpoint {error.kwargs.get('endpoint_url')} accepted the connection but did "
            f"not answer in time while trying to {action}. Check the endpoint URL (is it AWS, "
            "LocalStack or moto?) and your network, then try again."
        )
    if isinstance(error, _NOT_AWS):
        return WorkbenchError(
            f"The endpoint answered something that is not an AWS response while trying to "
            f"{action}; check the endpoint URL (it must be AWS, LocalStack or moto)."
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
    except AWS_ERRORS as error:
        raise explain(error, action) from error


def check_endpoint_url(endpoint_url: str | None) -> None:
    """Refuse an endpoint that is not an http(s) URL, before boto3 fails on it."""
    if not endpoint_url:
        return
    parsed = urlparse(endpoint_url)
    try:
        port_ok = parsed.port is None or 0 < parsed.port < 65536
    except ValueError:
        port_ok = False
    if parsed.scheme not in ("http", "https") or not parsed.hostname or not port_ok:
        raise WorkbenchError(
            f"The endpoint URL {endpoint_url!r} is not an http:// or https:// URL; give one "
            "such as http://localhost:4566 (LocalStack), or leave it empty for AWS."
        )


def connect(
    profile: str | None = None, region: str | None = None, endpoint_url: str | None = None
) -> AwsConnection:
    """Open a session and check its credentials with sts:GetCallerIdentity."""
    profile = profile or None
    check_endpoint_url(endpoint_url)
    try:
        session = boto3.session.Session(profile_name=profile, region_name=region or None)
        if not session.region_name:
            raise bx.NoRegionError()
        sts = session.client(
            "sts", endpoint_url=endpoint_url or None, config=_CHECK_CONFIG,
            region_name=session.region_name,
        )  # fmt: skip
        identity = sts.get_caller_identity()
    except AWS_ERRORS as error:
        raise explain(error, "check your AWS credentials", profile) from error
    except ValueError as error:  # botocore's "Invalid endpoint" and similar
        raise WorkbenchError(f"Could not use the endpoint {endpoint_url!r}: {error}.") from error
    if not isinstance(identity, dict) or "Account" not in identity:
        raise WorkbenchError(
            "The endpoint answered the credentials check without an account; check the "
            "endpoint URL (it must be AWS, LocalStack or moto)."
        )
    return AwsConnection(
        session=session,
        account=identity["Account"],
        region=session.region_name,
        caller_arn=identity.get("Arn", ""),
        profile=profile,
        endpoint_url=endpoint_url or None,
    )
