"""The files behind signed URLs, with a running total of uploaded bytes per organisation.

An upload is refused past a per-organisation cap, so each upload needs the bytes
that organisation holds; summing them over every file made each upload cost as
much as the files the whole mock holds. The table keeps the totals as files come
and go instead, whichever way they go (expiry, a reset, a read past expiry).
"""

from __future__ import annotations

import threading
from collections.abc import ItemsView, Iterator, MutableMapping, ValuesView

from .records import HostedFile


def _uploaded(hosted: HostedFile) -> int:
    # exports are made while read (a ContentSource), so only uploaded bytes count
    return len(hosted.content) if isinstance(hosted.content, bytes) else 0


class SignedFiles(MutableMapping[str, HostedFile]):
    """Signed-URL token -> file; safe from several threads (each tenant signs under its own lock)."""

    def __init__(self) -> None:
        self._files: dict[str, HostedFile] = {}
        self._bytes: dict[str | None, int] = {}
        self._lock = threading.Lock()

    def uploaded_bytes(self, tenant: str | None) -> int:
        """Bytes of uploaded content the files of `tenant` hold (None: files made in-process)."""
        return self._bytes.get(tenant, 0)

    def __getitem__(self, token: str) -> HostedFile:
        return self._files[token]

    def __setitem__(self, token: str, hosted: HostedFile) -> None:
        with self._lock:
            old = self._files.get(token)
            if old is not None:
                self._take(old)
            self._files[token] = hosted
            self._bytes[hosted.tenant] = self._bytes.get(hosted.tenant, 0) + _uploaded(hosted)

    def __delitem__(self, token: str) -> None:
        with self._lock:
            self._take(self._files.pop(token))

    def pop(self, token: str, *default: HostedFile | None) -> HostedFile | None:  # type: ignore[override]
        """As dict.pop, atomically: two threads dropping one file take its bytes off once."""
        with self._lock:
            hosted = self._files.pop(token, None)
            if hosted is None:
                if default:
                    return default[0]
                raise KeyError(token)
            self._take(hosted)
            return hosted

    def clear(self) -> None:
        with self._lock:
            self._files.clear()
            self._bytes.clear()

    def _take(self, hosted: HostedFile) -> None:
        left = self._bytes.get(hosted.tenant, 0) - _uploaded(hosted)
        if left:
            self._bytes[hosted.tenant] = left
        else:
            self._bytes.pop(hosted.tenant, None)

    def items(self) -> ItemsView[str, HostedFile]:
        with self._lock:  # a snapshot: a file dropped meanwhile must not fail the iteration
            return dict(self._files).items()

    def values(self) -> ValuesView[HostedFile]:
        with self._lock:
            return dict(self._files).values()

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._files))  # a copy: other tenants sign while one iterates

    def __len__(self) -> int:
        return len(self._files)

    def __contains__(self, token: object) -> bool:
        return token in self._files
