"""Identifier generation in the shape Labelbox uses (25-character cuids)."""

from __future__ import annotations

import contextlib
import hashlib
import random
import secrets
import string
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextvars import ContextVar

_ALPHABET = string.ascii_lowercase + string.digits


class Reissue:
    """What a replayed call reissues: the ids it was issued when recorded, in order, each given again
    unless it is live, in which case a fresh id stands in for it and `mapping` says so, so that later
    calls naming the recorded id are sent with the new one."""

    def __init__(self, mapping: dict[str, str]) -> None:
        self.mapping = mapping
        self.wanted: deque[str] = deque()


# Per request (a context variable, so each server thread has its own): the ids issued while it is
# served, for a recording, and what a replayed call should reissue.
_issued: ContextVar[list[str] | None] = ContextVar("labelbox_mock_issued_ids", default=None)
_reissue: ContextVar[Reissue | None] = ContextVar("labelbox_mock_reissue", default=None)


class _Capture:
    """IdFactory.capture()'s context manager: a class, since it wraps every request (a generator-based
    one costs several times as much to enter and leave)."""

    __slots__ = ("_outer", "_token", "issued")

    def __enter__(self) -> list[str]:
        self._outer = _issued.get()
        self.issued: list[str] = []
        self._token = _issued.set(self.issued)
        return self.issued

    def __exit__(self, *_exc: object) -> None:
        _issued.reset(self._token)
        if self._outer is not None:
            self._outer.extend(self.issued)


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
        # every id this factory issued, for the ids no store table holds (faults, ontology nodes, ...):
        # a restarted sequence skips them too
        self._issued_before = _IssuedFilter()
        # a seed given at construction checks too: two mocks, or a restart, may share it
        self._checking = seed is not None

    def reseed(self, seed: int) -> None:
        """Restarts the sequence, so the same requests replayed give the same ids (live ones skipped)."""
        with self._lock:
            self._random.seed(seed)
            self._checking = True

    def new(self) -> str:
        reissue = _reissue.get()
        issued = self._reissued(reissue) if reissue is not None and reissue.wanted else self._fresh()
        self._issued_before.add(issued)
        capture = _issued.get()
        if capture is not None:
            capture.append(issued)
        return issued

    def secret(self) -> str:
        """An unguessable token (a signed file URL's): never from the seeded sequence, so a replay cannot
        give the recorded one again. It is captured like an id, so a replayed call that makes one in the
        same place maps the recorded token to the new one, and later calls naming it are sent with it."""
        fresh = secrets.token_urlsafe(32)
        reissue = _reissue.get()
        if reissue is not None and reissue.wanted:
            reissue.mapping[reissue.wanted.popleft()] = fresh
        capture = _issued.get()
        if capture is not None:
            capture.append(fresh)
        return fresh

    def _fresh(self) -> str:
        with self._lock:
            while True:
                candidate = "c" + "".join(self._random.choices(_ALPHABET, k=24))
                if not self._checking:
                    return candidate
                if candidate in self._issued_before or (self._in_use is not None and self._in_use(candidate)):
                    continue
                return candidate

    def _reissued(self, reissue: Reissue) -> str:
        recorded = reissue.wanted.popleft()
        if self._in_use is not None and self._in_use(recorded):  # ids are global: another record holds it
            reissue.mapping[recorded] = self._fresh()
            return reissue.mapping[recorded]
        return recorded

    @staticmethod
    def capture() -> _Capture:
        """Collects the ids issued in the enclosed code (this thread's request), in order; a capture
        inside another adds its ids to the outer one too."""
        return _Capture()

    @staticmethod
    @contextlib.contextmanager
    def reissuing(recorded: Iterable[str], mapping: dict[str, str]) -> Iterator[None]:
        """Replays one call: the ids it issues are `recorded` again, in order, where they are free."""
        reissue = Reissue(mapping)
        reissue.wanted.extend(recorded)
        token = _reissue.set(reissue)
        try:
            yield
        finally:
            _reissue.reset(token)


class _IssuedFilter:
    """A Bloom filter of the ids issued (1 MiB whatever their number): a false positive only makes a
    restarted sequence skip one id it could have given, never give one twice."""

    _BITS = 1 << 23
    _HASHES = 4

    def __init__(self) -> None:
        self._bits = bytearray(self._BITS // 8)

    def _positions(self, value: str) -> list[int]:
        digest = hashlib.blake2b(value.encode("utf-8"), digest_size=4 * self._HASHES).digest()
        return [int.from_bytes(digest[i * 4:i * 4 + 4], "little") % self._BITS for i in range(self._HASHES)]

    def add(self, value: str) -> None:
        for position in self._positions(value):
            self._bits[position >> 3] |= 1 << (position & 7)

    def __contains__(self, value: str) -> bool:
        return all(self._bits[position >> 3] & (1 << (position & 7)) for position in self._positions(value))


def stable_id(name: str) -> str:
    """A cuid-shaped id that depends only on `name`: the same in every mock and every replay."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return "c" + "".join(_ALPHABET[byte % len(_ALPHABET)] for byte in digest[:24])
