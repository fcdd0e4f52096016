"""Identifier generation in the shape Labelbox uses (25-character cuids)."""

from __future__ import annotations

import random
import string
import threading

_ALPHABET = string.ascii_lowercase + string.digits


class IdFactory:
    """Makes cuid-shaped ids: 'c' followed by 24 lowercase letters and digits.

    Seedable so a test run can reproduce the ids it saw; thread-safe because the
    standalone server creates entities from several threads.
    """

    def __init__(self, seed: int | None = None) -> None:
        self._random = random.Random(seed)
        self._lock = threading.Lock()

    def new(self) -> str:
        with self._lock:
            return "c" + "".join(self._random.choices(_ALPHABET, k=24))
