"""Deploy endpoints: AWS itself or a local one (LocalStack, moto), and what is not a URL."""

from __future__ import annotations

from urllib.parse import urlparse

AWS_HOST_SUFFIXES = (".amazonaws.com", ".amazonaws.com.cn", ".api.aws")


def is_local_endpoint(url: str) -> bool:
    """True for an endpoint that is not AWS itself (LocalStack, moto, a proxy)."""
    if not url:
        return False
    host = (urlparse(url).hostname or "").lower()
    return not host.endswith(AWS_HOST_SUFFIXES)


def endpoint_problem(url: str) -> str:
    if not url:
        return ""
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        return (
            f"{url!r} is not an endpoint URL; write it like http://localhost:4566, "
            "or leave it empty for AWS."
        )
    return ""
