"""The one rule for what an organisation's data rows may hold in all: a count and a byte bound."""

from __future__ import annotations

from .errors import QuotaExceeded


def refuse_past(what: str, count: int, size: int, max_count: int, max_bytes: int) -> None:
    """Refuses a write after which the organisation's rows would hold `count` `what` in `size` bytes,
    past either bound; the message names both figures and both bounds."""
    if count > max_count or size > max_bytes:
        raise QuotaExceeded(f"this organisation's data rows would hold {count} {what} in {size} bytes; the mock "
                            f"keeps at most {max_count} {what} and {max_bytes} bytes")
