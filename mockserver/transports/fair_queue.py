"""Admission to the standalone server's handler pool, taken round-robin by organisation.

At most `workers` handler calls run at once, and at most `per_tenant` of one tenant (an organisation, the
admin token, or the keyless callers together). Past that, requests wait here, on the event loop, each
tenant's in the order they came; a freed place goes to the next tenant in turn that has one waiting and
is under its cap. So one organisation's 64 queued requests delay another's one request by at most one
request per tenant ahead of it in the turn, never by all 64 (a FIFO would put it behind all of them).

Not thread-safe: it lives on the server's event loop, as the requests that wait on it do.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict, deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class FairQueue:
    def __init__(self, workers: int, per_tenant: int) -> None:
        if workers < 1 or not 1 <= per_tenant <= workers:
            raise ValueError("workers must be at least 1 and per_tenant between 1 and workers")
        self.workers = workers
        self.per_tenant = per_tenant
        self.running = 0
        self._running: dict[str, int] = {}
        # tenants with requests waiting, in turn order: the one served last goes to the back
        self._waiting: OrderedDict[str, deque[asyncio.Future[None]]] = OrderedDict()

    def waiting(self, tenant: str | None = None) -> int:
        """Requests waiting (of `tenant`, or of everyone)."""
        if tenant is not None:
            return len(self._waiting.get(tenant, ()))
        return sum(len(queue) for queue in self._waiting.values())

    def _has_room(self, tenant: str) -> bool:
        return self.running < self.workers and self._running.get(tenant, 0) < self.per_tenant

    def _grant(self, tenant: str) -> None:
        self.running += 1
        self._running[tenant] = self._running.get(tenant, 0) + 1

    async def acquire(self, tenant: str) -> None:
        """Waits for a place for `tenant`: at once if there is room and no one of `tenant` waits before it."""
        if self._has_room(tenant) and tenant not in self._waiting:
            self._grant(tenant)
            return
        granted: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.setdefault(tenant, deque()).append(granted)
        try:
            await granted
        except asyncio.CancelledError:
            if granted.done() and not granted.cancelled():
                self.release(tenant)  # granted as it was cancelled: the place goes on to the next
            else:
                self._forget(tenant, granted)
            raise

    def release(self, tenant: str) -> None:
        """Gives back `tenant`'s place, and hands places to waiting tenants in turn."""
        self.running -= 1
        left = self._running[tenant] - 1
        if left:
            self._running[tenant] = left
        else:
            del self._running[tenant]
        self._hand_on()

    def _hand_on(self) -> None:
        while self.running < self.workers:
            # the first tenant in turn that has room; a tenant at its cap keeps its turn
            tenant = next((name for name in self._waiting if self._running.get(name, 0) < self.per_tenant), None)
            if tenant is None:
                return
            queue = self._waiting.pop(tenant)
            granted = queue.popleft()
            if queue:
                self._waiting[tenant] = queue  # to the back of the turn
            if granted.cancelled():  # its request gave up, and has not yet removed itself
                continue
            self._grant(tenant)
            granted.set_result(None)

    def _forget(self, tenant: str, granted: asyncio.Future[None]) -> None:
        queue = self._waiting.get(tenant)
        if queue is None:
            return
        try:
            queue.remove(granted)
        except ValueError:
            return
        if not queue:
            del self._waiting[tenant]

    @asynccontextmanager
    async def place(self, tenant: str) -> AsyncIterator[None]:
        await self.acquire(tenant)
        try:
            yield
        finally:
            self.release(tenant)
