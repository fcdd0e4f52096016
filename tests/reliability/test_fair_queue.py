"""The standalone server's fair queue (issue 24, Deliver 3): when the handler pool is full, requests are
taken round-robin by organisation, so one organisation's flood delays another's request by at most one
request per tenant ahead of it in the turn. Driven directly on an event loop (no time passes), and once
through a server whose handler blocks on an Event."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver import RunningServer
from mockserver.backend import Backend
from mockserver.http.messages import HttpRequest, HttpResponse
from mockserver.transports.fair_queue import FairQueue


class Driver:
    """Requests arriving at a FairQueue and finishing, one step at a time, on one event loop."""

    def __init__(self, workers: int, per_tenant: int) -> None:
        self.loop = asyncio.new_event_loop()
        self.queue = FairQueue(workers, per_tenant)
        self.granted: list[tuple[str, int]] = []  # (tenant, arrival number), in the order places were given
        self.running: list[tuple[str, int]] = []
        self.arrived = 0
        self._tasks: list[asyncio.Task[None]] = []

    def _settle(self) -> None:
        for _ in range(5):  # each hand-over is one wake-up of the waiting task
            self.loop.run_until_complete(asyncio.sleep(0))

    def arrive(self, tenant: str) -> tuple[str, int]:
        request = (tenant, self.arrived)
        self.arrived += 1

        async def wait() -> None:
            await self.queue.acquire(tenant)
            self.granted.append(request)
            self.running.append(request)

        self._tasks.append(self.loop.create_task(wait()))
        self._settle()
        return request

    def finish(self, index: int = 0) -> tuple[str, int]:
        request = self.running.pop(index)
        self.queue.release(request[0])
        self._settle()
        return request

    def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        self._settle()
        self.loop.close()


def test_another_organisations_request_is_not_queued_behind_a_flood() -> None:
    driver = Driver(workers=4, per_tenant=4)
    for tenant in ("a", "c", "d"):  # three organisations flood, 16 requests each
        for _ in range(16):
            driver.arrive(tenant)
    lone = driver.arrive("b")
    # a FIFO behind per-tenant caps would run b after a's 4, then c's 4 and d's 4 already admitted
    finished = 0
    while lone not in driver.granted:
        driver.finish()
        finished += 1
    assert finished == 4  # one request each of a, c and d went first, in turn, then b
    driver.close()


def test_one_flood_alone_still_takes_every_free_place() -> None:
    driver = Driver(workers=4, per_tenant=4)
    for _ in range(10):
        driver.arrive("a")
    assert len(driver.running) == 4 and driver.queue.waiting("a") == 6
    driver.close()


def test_a_tenant_at_its_cap_leaves_room_for_others() -> None:
    driver = Driver(workers=4, per_tenant=2)
    for _ in range(10):
        driver.arrive("a")
    assert len(driver.running) == 2
    other = driver.arrive("b")
    assert other in driver.running  # at once: a is at its cap, two places are free
    driver.close()


def test_a_waiting_request_that_gives_up_leaves_the_queue() -> None:
    driver = Driver(workers=1, per_tenant=1)
    driver.arrive("a")
    driver.arrive("b")
    driver._tasks[-1].cancel()
    driver._settle()
    assert driver.queue.waiting() == 0
    driver.finish()
    assert driver.queue.running == 0
    driver.close()


@pytest.mark.parametrize(("workers", "per_tenant"), [(0, 1), (2, 3), (2, 0)])
def test_bad_sizes_are_refused(workers: int, per_tenant: int) -> None:
    with pytest.raises(ValueError, match="workers"):
        FairQueue(workers, per_tenant)


_STEPS = st.lists(st.one_of(st.tuples(st.just("arrive"), st.sampled_from("abcde")),
                            st.tuples(st.just("finish"), st.integers(0, 20))), max_size=60)


@settings(max_examples=80, deadline=None)
@given(steps=_STEPS, workers=st.integers(1, 5), capped=st.booleans())
def test_places_are_bounded_work_conserving_in_order_and_taken_in_turn(steps: list[tuple[str, Any]], workers: int,
                                                                       capped: bool) -> None:
    per_tenant = max(1, workers // 2) if capped else workers
    driver = Driver(workers, per_tenant)
    # for each tenant's oldest waiting request: how many places others were given since it waited first in
    # line with room under its cap (the turn bounds it by the number of other tenants)
    overtaken: dict[str, int] = {}
    try:
        for kind, value in steps:
            before = len(driver.granted)
            if kind == "arrive":
                driver.arrive(value)
            elif driver.running:
                driver.finish(value % len(driver.running))
            for tenant, _ in driver.granted[before:]:
                overtaken.pop(tenant, None)
                for other in overtaken:
                    overtaken[other] += 1
            running: dict[str, int] = {}
            for tenant, _ in driver.running:
                running[tenant] = running.get(tenant, 0) + 1
            assert len(driver.running) == driver.queue.running <= workers
            assert all(count <= per_tenant for count in running.values())
            waiting = [tenant for tenant in "abcde" if driver.queue.waiting(tenant)]
            if len(driver.running) < workers:  # room left only if every waiting tenant is at its cap
                assert all(running.get(tenant, 0) == per_tenant for tenant in waiting)
            for tenant in waiting:
                if running.get(tenant, 0) < per_tenant:
                    overtaken.setdefault(tenant, 0)
                    assert overtaken[tenant] <= len("abcde") - 1
                else:
                    overtaken.pop(tenant, None)  # at its cap: its own requests hold it back, not others
        for tenant in "abcde":  # each tenant's requests are taken in the order they came
            numbers = [number for name, number in driver.granted if name == tenant]
            assert numbers == sorted(numbers)
    finally:
        driver.close()


# -- through the server ---------------------------------------------------------------------------------

ME = json.dumps({"query": "query Me { user { id } }"}).encode()


class _Blocking:
    """The server's handler, except that `key`'s requests wait for `release` in the pool, and nothing is
    answered on the event loop (Handler.inline), so every request goes through the fair queue."""

    def __init__(self, handler: Callable[[HttpRequest], HttpResponse], key: str, entered: threading.Event,
                 release: threading.Event) -> None:
        self.handler, self.key, self.entered, self.release = handler, key, entered, release

    def inline(self, _request: HttpRequest) -> None:
        return None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.header("authorization") == f"Bearer {self.key}":
            self.entered.set()
            assert self.release.wait(30)
        return self.handler(request)


def test_a_flooded_server_answers_another_organisation_meanwhile() -> None:
    entered, release = threading.Event(), threading.Event()
    with RunningServer(Backend(["flood-key", "other-key"]), workers=2, per_tenant_workers=1) as server:
        app = server.server.app
        app.handler = _Blocking(app.handler, "flood-key", entered, release)  # type: ignore[assignment]
        session = requests.Session()

        def post(key: str) -> int:
            return session.post(server.graphql_url, data=ME, timeout=30,
                                headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
                                ).status_code

        flood = [threading.Thread(target=lambda: requests.post(
            server.graphql_url, data=ME, timeout=30,
            headers={"Authorization": "Bearer flood-key", "Content-Type": "application/json"})) for _ in range(8)]
        for thread in flood:
            thread.start()
        assert entered.wait(30)
        # one flood request holds a thread (its cap), the others wait in the queue: the other key's
        # request takes the free thread while every flood request is still held
        assert post("other-key") == 200
        assert not release.is_set()
        release.set()
        for thread in flood:
            thread.join(30)
