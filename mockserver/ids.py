"""Identifier generation in the shape Labelbox uses (25-character cuids)."""

from __future__ import annotations

import hashlib
import random
import string
import threading
from collections.abc import Callable

_ALPHABET = string.ascii_lowercase + string.digits


class IdFactory:
    """Makes cuid-shaped ids: 'c' followed by 24 lowercase letters and digits.

    Seedable so a test run can reproduce the ids it saw; thread-safe because the
    standalone server creates entities from several threads. A restarted sequence
    would give again ids that may still be in use, so after a reseed each id is
    checked against `in_use` (what the store holds) and skipped if live: an id
    is never issued twice while its record exists.
    """

    def __init__(self, seed: int | None = None, in_use: Callable[[str], bool] | None = None) -> None:
        self._random = random.Random(seed)
        self._lock = threading.Lock()
        self._in_use = in_use
        # a seed given at construction checks too: two mocks, or a restart, may share it
        self._checking = seed is not None

    def reseed(self, seed: int) -> None:
        """Restarts the sequence, so the same requests replayed give the same ids (live ones skipped)."""
        with self._lock:
            self._random.seed(seed)
            self._checking = True

    def new(self) -> str:
        with self._lock:
            while True:
                candidate = "c" + "".join(self._random.choices(_ALPHABET, k=24))
                if not (self._checking and self._in_use is not None and self._in_use(candidate)):
                    return candidate


def stable_id(name: str) -> str:
    """A cuid-shaped id that depends only on `name`: the same in every mock and every replay."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return "c" + "".join(_ALPHABET[byte % len(_ALPHABET)] for byte in digest[:24])
