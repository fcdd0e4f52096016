"""The request journal, like `responses.calls`: what reached the mock, bounded in entries and bytes."""

from __future__ import annotations

import bisect
import itertools
import json
import math
import threading
from collections import deque
from json.encoder import c_make_encoder  # type: ignore[attr-defined]
from typing import Any

from attrs import asdict, define, evolve, field, fields

DEFAULT_JOURNAL_SIZE = 10_000
# What the journal holds in all, counted as the JSON of its entries; the oldest go first.
DEFAULT_JOURNAL_BYTES = 16 * 1024 * 1024
# One entry's query and variables beyond this are replaced by a note of their size.
MAX_ENTRY_BYTES = 64 * 1024


@define(frozen=True)
class RecordedRequest:
    method: str
    path: str
    operation: str | None
    variables: Any
    status: int
    query: str | None = None
    at: float | None = None  # the mock clock's time when the request arrived
    duration_ms: float | None = None  # wall time the mock took to answer
    # the organisation (id) that sent it; never an API key. Not part of the JSON a tenant reads.
    tenant: str | None = field(default=None, eq=False)
    # its place in this journal (from 1, across tenants, never reused): the cursor a reader pages with
    seq: int = field(default=0, eq=False)

    def numbered(self, seq: int) -> RecordedRequest:
        """This entry as the journal keeps it, at `seq` (what attrs.evolve does, at a fraction of its cost)."""
        return RecordedRequest(self.method, self.path, self.operation, self.variables, self.status, self.query,
                               self.at, self.duration_ms, self.tenant, seq)

    def to_json(self) -> dict[str, Any]:
        return asdict(self, filter=lambda attribute, _value: attribute.name != "tenant")

    def size(self) -> int:
        """The length of the entry's JSON (`to_json()`, as json.dumps writes it), added up field by field:
        every request is journaled, and encoding the whole entry costs several times more."""
        return entry_size(self.method, self.path, self.operation, self.variables, self.status, self.query, self.at,
                          self.duration_ms, self.seq)


def entry_size(method: str, path: str, operation: str | None, variables: Any, status: int, query: str | None,
               at: float | None, duration_ms: float | None, seq: int) -> int:
    """`RecordedRequest.size()` of an entry of these fields, before it is made."""
    variables_size = 4 if variables is None else _json_size(variables)
    return (_FIXED_JSON_BYTES + _text_size(method) + _text_size(path) + _text_size(operation)
            + variables_size + len(str(status)) + _text_size(query) + _number_size(at)
            + _number_size(duration_ms) + len(str(seq)))


_SIZE_ENCODER = json.JSONEncoder(default=str)  # json.dumps(..., default=str) builds one per call
# The same encoder's C core, made once (JSONEncoder.encode makes one per call) and without the circular
# check: the variables an entry keeps are a tree (read from a JSON body, and copied by the handler).
_SIZE_CHUNKS = (c_make_encoder(None, str, json.encoder.encode_basestring_ascii, None, ": ", ", ", False, False, True)
                if c_make_encoder is not None else None)


def _json_size(value: Any) -> int:
    """len(json.dumps(value, default=str))."""
    if _SIZE_CHUNKS is None:
        return len(_SIZE_ENCODER.encode(value))
    return len("".join(_SIZE_CHUNKS(value, 0)))

_JSON_FIELDS = tuple(attribute.name for attribute in fields(RecordedRequest) if attribute.name != "tenant")
# braces, each '"name": ' and the ', ' between fields: all of the entry's JSON but the values
_FIXED_JSON_BYTES = 2 + sum(len(name) + 4 for name in _JSON_FIELDS) + 2 * (len(_JSON_FIELDS) - 1)
_encode_string = json.encoder.encode_basestring_ascii  # what json.dumps writes a str as (ensure_ascii)


def _text_size(value: str | None) -> int:
    return 4 if value is None else len(_encode_string(value))


def _number_size(value: float | None) -> int:
    if value is None:
        return 4
    # json writes a finite float or an int as its repr; the encoder (several times dearer) for the rest
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        return len(repr(value))
    return len(_SIZE_ENCODER.encode(value))


def bounded(entry: RecordedRequest) -> tuple[RecordedRequest, int]:
    """The entry as kept (an oversized query or variables noted by size) and its size in bytes."""
    size = entry.size()
    if size <= MAX_ENTRY_BYTES:
        return entry, size
    entry = evolve(entry, query=f"<query of {len(entry.query or '')} characters>",
                   variables=f"<variables of {size} bytes in all>")
    return entry, entry.size()


@define(frozen=True)
class JournalPage:
    """Entries after a cursor, oldest first. `last_seq` is the cursor for the next page; `reset` says the
    reader's entries were cleared (or the mock restarted) since its cursor, so these start over."""

    entries: list[RecordedRequest]
    last_seq: int
    more: bool
    reset: bool


class Holders:
    """Tenants by the bytes they hold, largest first; of equals, the one that began holding first (as
    max() over a dict in insertion order): an indexed heap, one entry per tenant, so a change or a look
    at the largest costs O(log tenants), never a scan of them."""

    def __init__(self) -> None:
        self._heap: list[tuple[int, int, str | None]] = []  # (-bytes, rank, tenant)
        self._at: dict[str | None, int] = {}  # tenant -> its index in _heap
        self._ranks = itertools.count()

    def __len__(self) -> int:
        return len(self._heap)

    def set(self, tenant: str | None, held: int) -> None:
        at = self._at.get(tenant)
        if at is None:
            self._heap.append((-held, next(self._ranks), tenant))
            self._at[tenant] = len(self._heap) - 1
            self._up(len(self._heap) - 1)
            return
        old = self._heap[at]
        if old[0] == -held:
            return
        self._heap[at] = (-held, old[1], tenant)
        if -held < old[0]:
            self._up(at)
        else:
            self._down(at)

    def remove(self, tenant: str | None) -> None:
        at = self._at.pop(tenant, None)
        if at is None:
            return
        last = self._heap.pop()
        if at < len(self._heap):
            self._heap[at] = last
            self._at[last[2]] = at
            self._up(at)
            self._down(self._at[last[2]])

    def largest(self) -> str | None:
        return self._heap[0][2]

    def clear(self) -> None:
        self._heap.clear()
        self._at.clear()

    def _swap(self, i: int, j: int) -> None:
        heap = self._heap
        heap[i], heap[j] = heap[j], heap[i]
        self._at[heap[i][2]] = i
        self._at[heap[j][2]] = j

    def _up(self, at: int) -> None:
        while at and self._heap[at][:2] < self._heap[(at - 1) // 2][:2]:
            self._swap(at, (at - 1) // 2)
            at = (at - 1) // 2

    def _down(self, at: int) -> None:
        size = len(self._heap)
        while True:
            first = at
            for child in (2 * at + 1, 2 * at + 2):
                if child < size and self._heap[child][:2] < self._heap[first][:2]:
                    first = child
            if first == at:
                return
            self._swap(at, first)
            at = first


# Per organisation: its entries and bytes; past either, its own oldest go first, so one tenant's flood
# never evicts another's entries. The whole journal's bytes are bounded too (DEFAULT_JOURNAL_BYTES):
# past that, the organisation holding the most gives up its oldest.
TENANT_JOURNAL_BYTES = 4 * 1024 * 1024


# One kept entry: [the entry, or the fields it is made of until first read; its size; its seq]. The handler
# journals every request and a frozen entry costs a field-by-field init, so it is made when someone reads it.
_Kept = list[Any]


def _made(kept: _Kept) -> RecordedRequest:
    entry = kept[0]
    if type(entry) is tuple:
        entry = kept[0] = RecordedRequest(*entry)
    return entry  # type: ignore[no-any-return]


def _seq_of(kept: _Kept) -> int:
    return kept[2]  # type: ignore[no-any-return]


class Journal:
    """Bounded per organisation (entries and bytes) and in all (bytes); a tenant reads and clears only
    its own entries, and a page after some of them were evicted says `reset`."""

    def __init__(self, size: int = DEFAULT_JOURNAL_SIZE, max_bytes: int = DEFAULT_JOURNAL_BYTES,
                 tenant_bytes: int = TENANT_JOURNAL_BYTES) -> None:
        # per tenant (None: requests of no organisation), oldest first; seqs rise within each
        self._by_tenant: dict[str | None, deque[_Kept]] = {}
        self._tenant_bytes: dict[str | None, int] = {}
        self._entries = 0  # held in all, kept as entries come and go (never a sum over tenants)
        # the largest holder, for eviction past the whole journal's bytes, without a scan of every tenant
        self._holders = Holders()
        self._size = size  # entries per tenant
        self._max_bytes = max_bytes
        self._per_tenant_bytes = min(tenant_bytes, max_bytes)
        self._bytes = 0
        self._seq = 0  # the last seq given
        # the seq reached when a tenant's entries (None: everyone's) were last cleared: older cursors are stale
        self._cleared: dict[str | None, int] = {}
        # the seq of the newest entry of each tenant evicted for room (None: of any tenant)
        self._evicted: dict[str | None, int] = {}
        self._lock = threading.Lock()

    def record(self, entry: RecordedRequest) -> None:
        """Keeps `entry` (bounded, as `bounded` says) at the next seq."""
        kept, size = bounded(entry)
        with self._lock:
            self._seq += 1
            self._keep(kept.tenant, [kept.numbered(self._seq), size, self._seq])

    def add(self, method: str, path: str, operation: str | None, variables: Any, status: int, query: str | None,
            tenant: str | None, at: float | None, duration_ms: float | None) -> None:
        """`record` of the entry these fields make, numbered as it is kept and made when first read."""
        size = entry_size(method, path, operation, variables, status, query, at, duration_ms, 0)
        if size > MAX_ENTRY_BYTES:
            self.record(RecordedRequest(method, path, operation, variables, status, query, at, duration_ms, tenant))
            return
        with self._lock:
            seq = self._seq = self._seq + 1
            self._keep(tenant, [(method, path, operation, variables, status, query, at, duration_ms, tenant, seq),
                                size, seq])

    def _keep(self, tenant: str | None, kept: _Kept) -> None:
        queue = self._by_tenant.get(tenant)
        if queue is None:
            queue = self._by_tenant[tenant] = deque()
        queue.append(kept)
        size = kept[1]
        self._tenant_bytes[tenant] = self._tenant_bytes.get(tenant, 0) + size
        self._bytes += size
        self._entries += 1
        # (an entry larger than the tenant's bytes evicts itself too, and with it the tenant's queue)
        while tenant in self._by_tenant and (len(queue) > self._size
                                             or self._tenant_bytes[tenant] > self._per_tenant_bytes):
            self._evict(tenant)
        if tenant in self._tenant_bytes:
            self._holders.set(tenant, self._tenant_bytes[tenant])  # once, after its own evictions
        while self._bytes > self._max_bytes:
            largest = self._holders.largest()
            self._evict(largest)
            if largest in self._tenant_bytes:
                self._holders.set(largest, self._tenant_bytes[largest])

    def _evict(self, tenant: str | None) -> None:
        queue = self._by_tenant[tenant]
        _, size, seq = queue.popleft()
        self._tenant_bytes[tenant] -= size
        self._bytes -= size
        self._entries -= 1
        self._evicted[tenant] = seq
        self._evicted[None] = max(self._evicted.get(None, 0), seq)
        if not queue:
            del self._by_tenant[tenant]
            del self._tenant_bytes[tenant]
            self._holders.remove(tenant)

    def entries(self, tenant: str | None = None) -> list[RecordedRequest]:
        """Oldest first: `tenant`'s entries, or every entry without a tenant."""
        with self._lock:
            if tenant is not None:
                return [_made(kept) for kept in self._by_tenant.get(tenant, ())]
            return self.entries_unlocked()

    def page(self, tenant: str | None = None, after: int = 0, limit: int = DEFAULT_JOURNAL_SIZE) -> JournalPage:
        """Up to `limit` of `tenant`'s entries (every entry without a tenant) with a seq above `after`.

        A cursor from before a clear of those entries, or beyond any seq given (a restarted mock), is
        stale: the page then starts from the oldest entry and says `reset`. So is one from before an
        entry evicted for room: the entries in between are gone, and the page says so.
        """
        with self._lock:
            if tenant is None:
                cleared = max(self._cleared.values(), default=0)
            else:
                cleared = max(self._cleared.get(tenant, 0), self._cleared.get(None, 0))
            evicted = self._evicted.get(tenant, 0)
            reset = after > self._seq or 0 < after <= cleared or 0 < after < evicted
            start = 0 if reset else after
            if tenant is not None:
                queue = self._by_tenant.get(tenant, deque())
                # O(log n) to the cursor, then O(page): never the whole journal per page
                first = bisect.bisect_right(queue, start, key=_seq_of)
                found = [_made(queue[index]) for index in range(first, min(len(queue), first + limit + 1))]
            else:
                found = [entry for entry in self.entries_unlocked() if entry.seq > start][:limit + 1]
        taken = found[:limit]
        return JournalPage(taken, taken[-1].seq if taken else start, len(found) > limit, reset)

    def entries_unlocked(self) -> list[RecordedRequest]:
        return [_made(kept) for kept in sorted((kept for queue in self._by_tenant.values() for kept in queue),
                                               key=_seq_of)]

    def clear(self, tenant: str | None = None) -> None:
        with self._lock:
            self._cleared[tenant] = self._seq
            if tenant is None:
                self._by_tenant.clear()
                self._tenant_bytes.clear()
                self._holders.clear()
                self._bytes = self._entries = 0
            else:  # its own entries only; its heap entries go stale
                self._entries -= len(self._by_tenant.pop(tenant, ()))
                self._bytes -= self._tenant_bytes.pop(tenant, 0)
                self._holders.remove(tenant)

    @property
    def held(self) -> tuple[int, int]:
        """(entries, bytes) held now."""
        with self._lock:
            return self._entries, self._bytes
