"""The rules for what an organisation may hold in all: its data rows (a count and a byte bound) and its
recorded calls (bytes, with a ceiling for the whole mock)."""

from __future__ import annotations

from .errors import QuotaExceeded


def refuse_past(what: str, count: int, size: int, max_count: int, max_bytes: int) -> None:
    """Refuses a write after which the organisation's rows would hold `count` `what` in `size` bytes,
    past either bound; the message names both figures and both bounds."""
    if count > max_count or size > max_bytes:
        raise QuotaExceeded(f"this organisation's data rows would hold {count} {what} in {size} bytes; the mock "
                            f"keeps at most {max_count} {what} and {max_bytes} bytes")


def refuse_recording_past(held: int, adding: int, max_bytes: int, held_in_all: int, max_in_all: int) -> None:
    """Refuses a call after which the recordings keeping it would hold more of this organisation's calls
    (`held` + `adding` bytes) than `max_bytes`, or more of everyone's than `max_in_all`."""
    if held + adding > max_bytes:
        raise QuotaExceeded(f"quota exceeded: the recordings would hold {held + adding} bytes of this organisation's "
                            f"calls; the mock keeps at most {max_bytes} bytes of an organisation's recorded calls. "
                            "Start a new recording (POST /_mock/recording) to free them")
    if held_in_all + adding > max_in_all:
        raise QuotaExceeded(f"quota exceeded: the recordings would hold {held_in_all + adding} bytes; the mock keeps "
                            f"at most {max_in_all} bytes of recorded calls in all")
