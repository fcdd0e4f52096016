"""The files behind signed URLs and the files tests register, each indexed by organisation.

Everything one organisation's request asks of them is answered from that organisation's
own part: the bytes it holds (a running total, kept as files come and go, whichever way
they go: expiry, a reset, a read past expiry), its files by expiry (a heap, so a sweep
looks at its expired files only), its registered files' count and bytes. Summing or
scanning every file made each upload, sweep or reset cost as much as the files of every
organisation (issue 24: a request's cost is O(1) in other tenants' state).
"""

from __future__ import annotations

import heapq
import itertools
import math
import threading
from collections.abc import ItemsView, Iterator, MutableMapping, ValuesView

from .records import HostedFile


def _uploaded(hosted: HostedFile) -> int:
    # exports are made while read (a ContentSource), so only uploaded bytes count
    return len(hosted.content) if isinstance(hosted.content, bytes) else 0


def _expiry(hosted: HostedFile) -> float:
    return math.inf if hosted.expires_at is None else hosted.expires_at


class SignedFiles(MutableMapping[str, HostedFile]):
    """Signed-URL token -> file; safe from several threads (each tenant signs under its own lock).

    Per tenant, a heap of (expires_at, order, token) for every file it signed. An entry whose token
    no longer maps to a file of that expiry (read past expiry, dropped) is stale and is skipped when it
    reaches the top, so no removal ever searches a heap; entries hold no content, so a stale one keeps
    no bytes alive."""

    def __init__(self) -> None:
        self._files: dict[str, HostedFile] = {}
        self._bytes: dict[str | None, int] = {}
        self._expiry: dict[str | None, list[tuple[float, int, str]]] = {}
        self._order = itertools.count()
        self._lock = threading.Lock()

    def uploaded_bytes(self, tenant: str | None) -> int:
        """Bytes of uploaded content the files of `tenant` hold (None: files made in-process)."""
        return self._bytes.get(tenant, 0)

    def expire(self, tenant: str | None, now: float) -> int:
        """Drops the files of `tenant` that expire at or before `now` (its clock); answers how many.
        Looks at those files and at stale entries only: O(1) when none has expired."""
        dropped = 0
        with self._lock:
            heap = self._expiry.get(tenant)
            while heap and heap[0][0] <= now:
                expires_at, _, token = heapq.heappop(heap)
                hosted = self._files.get(token)
                if hosted is not None and hosted.tenant == tenant and _expiry(hosted) == expires_at:
                    del self._files[token]
                    self._take(hosted)
                    dropped += 1
            if heap is not None and not heap:
                del self._expiry[tenant]
        return dropped

    def drop_tenant(self, tenant: str | None) -> int:
        """Drops every file of `tenant` (its reset); answers how many. O(its files)."""
        dropped = 0
        with self._lock:
            for expires_at, _, token in self._expiry.pop(tenant, ()):
                hosted = self._files.get(token)
                if hosted is not None and hosted.tenant == tenant and _expiry(hosted) == expires_at:
                    del self._files[token]
                    dropped += 1
            self._bytes.pop(tenant, None)
        return dropped

    def __getitem__(self, token: str) -> HostedFile:
        return self._files[token]

    def __setitem__(self, token: str, hosted: HostedFile) -> None:
        with self._lock:
            old = self._files.get(token)
            if old is not None:
                self._take(old)
            self._files[token] = hosted
            self._bytes[hosted.tenant] = self._bytes.get(hosted.tenant, 0) + _uploaded(hosted)
            heapq.heappush(self._expiry.setdefault(hosted.tenant, []), (_expiry(hosted), next(self._order), token))

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
            self._expiry.clear()

    def _take(self, hosted: HostedFile) -> None:
        # its heap entry stays, stale, until it reaches the top or the tenant is dropped
        left = self._bytes.get(hosted.tenant, 0) - _uploaded(hosted)
        if left:
            self._bytes[hosted.tenant] = left
        else:
            self._bytes.pop(hosted.tenant, None)

    def heap_entries(self, tenant: str | None) -> int:
        """Entries in `tenant`'s expiry heap, stale ones included (for tests of what a sweep visits)."""
        return len(self._expiry.get(tenant, ()))

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


class TenantFiles(MutableMapping[tuple[str, str], HostedFile]):
    """(organisation id, URL) -> a file it registered over HTTP, with each organisation's count and
    bytes kept as files come and go: its quota check and its reset touch only its own files."""

    def __init__(self) -> None:
        self._files: dict[str, dict[str, HostedFile]] = {}  # org id -> URL -> file
        self._bytes: dict[str, int] = {}
        self._count = 0
        self._lock = threading.Lock()

    def held(self, tenant: str, leaving_out: str | None = None) -> tuple[int, int]:
        """(files, bytes) `tenant` hosts, without the file at `leaving_out` (one a new file replaces)."""
        with self._lock:
            own = self._files.get(tenant, {})
            count, held = len(own), self._bytes.get(tenant, 0)
            replaced = own.get(leaving_out) if leaving_out is not None else None
            if replaced is not None:
                count, held = count - 1, held - _uploaded(replaced)
            return count, held

    def drop_tenant(self, tenant: str) -> None:
        with self._lock:
            self._count -= len(self._files.pop(tenant, {}))
            self._bytes.pop(tenant, None)

    def __getitem__(self, key: tuple[str, str]) -> HostedFile:
        return self._files[key[0]][key[1]]

    def get(self, key: tuple[str, str], default: HostedFile | None = None) -> HostedFile | None:  # type: ignore[override]
        own = self._files.get(key[0])
        return own.get(key[1], default) if own is not None else default

    def __setitem__(self, key: tuple[str, str], hosted: HostedFile) -> None:
        tenant, url = key
        with self._lock:
            own = self._files.setdefault(tenant, {})
            old = own.get(url)
            self._bytes[tenant] = self._bytes.get(tenant, 0) + _uploaded(hosted) - (
                _uploaded(old) if old is not None else 0)
            self._count += old is None
            own[url] = hosted

    def __delitem__(self, key: tuple[str, str]) -> None:
        tenant, url = key
        with self._lock:
            own = self._files[tenant]
            old = own.pop(url)
            self._count -= 1
            self._bytes[tenant] -= _uploaded(old)
            if not own:
                del self._files[tenant]
                del self._bytes[tenant]

    def clear(self) -> None:
        with self._lock:
            self._files.clear()
            self._bytes.clear()
            self._count = 0

    def __iter__(self) -> Iterator[tuple[str, str]]:
        with self._lock:  # a copy: other tenants register files meanwhile
            return iter([(tenant, url) for tenant, own in self._files.items() for url in own])

    def __len__(self) -> int:
        return self._count

