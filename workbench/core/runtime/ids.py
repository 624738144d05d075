"""Random ids for invokes and tokens, from os.urandom.

The standard library's uuid and secrets modules cost ~20 ms of imports each here
(platform, random, hashlib), a tenth of a cold CLI invoke; these are the few
lines of them the runtime needs.
"""

from __future__ import annotations

import os


def request_id() -> str:
    """A random (version 4) UUID in its text form, as Lambda's request ids are."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40  # version 4
    raw[8] = (raw[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def token_hex(nbytes: int) -> str:
    """`nbytes` random bytes as hex (secrets.token_hex)."""
    return os.urandom(nbytes).hex()
