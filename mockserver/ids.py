"""Identifier generation in the shape Labelbox uses (25-character cuids)."""

from __future__ import annotations

import hashlib
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

    def reseed(self, seed: int) -> None:
        """Restarts the sequence, so the same requests replayed give the same ids."""
        with self._lock:
            self._random.seed(seed)

    def new(self) -> str:
        with self._lock:
            return "c" + "".join(self._random.choices(_ALPHABET, k=24))


def stable_id(name: str) -> str:
    """A cuid-shaped id that depends only on `name`: the same in every mock and every replay."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return "c" + "".join(_ALPHABET[byte % len(_ALPHABET)] for byte in digest[:24])
