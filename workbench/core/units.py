"""Human-readable sizes, durations and money for the panes."""

from __future__ import annotations


def describe_bytes(size: int) -> str:
    if size < 1024:
        return f"{size:,} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.2f} MB"


def describe_ms(ms: float | None) -> str:
    if ms is None:
        return "—"
    if ms >= 1000:
        return f"{ms / 1000:,.2f} s ({ms:,.0f} ms)"
    return f"{ms:,.2f} ms"


def describe_usd(amount: float) -> str:
    """Dollars with enough digits to see a per-invoke cost (often under a millionth)."""
    if amount >= 0.01:
        return f"${amount:,.2f}"
    if amount == 0:
        return "$0"
    return f"${amount:.10f}".rstrip("0")
