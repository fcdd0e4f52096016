"""Fixtures for the reliability suite: one mock reached in-process or over loopback, steered alike."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

import labelbox_lite as lb
from mockserver import MockLabelbox, MockServerClient, RunningServer
from mockserver.backend import Backend

from ..support import ADMIN_TOKEN, FakeTime, World, standard_seed, world_from

IN_PROCESS_ORIGIN = "https://api.labelbox.com"


class Target:
    """A mock and the means to reach it: clients, raw HTTP and the admin API, whichever transport."""

    def __init__(self, kind: str, backend: Backend, origin: str, fake: FakeTime) -> None:
        self.kind = kind
        self.backend = backend
        self.origin = origin
        self.endpoint = origin + "/graphql"
        self.fake = fake
        # a plain session that never retries, to see exactly what the mock answers
        self.http = requests.Session()
        self.http.mount("http://", HTTPAdapter(max_retries=Retry(0, read=False)))
        self.http.mount("https://", HTTPAdapter(max_retries=Retry(0, read=False)))
        # the admin API through its Python client, as the organisation of test-key (in-process too: the
        # routes answer on the mock's origin)
        self.steer = MockServerClient(origin, "test-key", session=self.http)

    def steer_as(self, api_key: str) -> MockServerClient:
        return MockServerClient(self.origin, api_key, session=self.http)

    def client(self, api_key: str = "test-key", *, timeout: float = 10.0, **policy: Any) -> lb.Client:
        """A client whose retry waits and polls run on the fake clock: no test sleeps for real."""
        retry = lb.RetryPolicy(sleep=self.fake.sleep, clock=self.fake.clock, **policy)
        poller = lb.Poller(clock=self.fake.clock, sleep=self.fake.sleep)
        return lb.Client(api_key=api_key, endpoint=self.endpoint, enable_experimental=True, retry=retry,
                         timeout=timeout, poller=poller)

    def admin(self, method: str, path: str, body: Any = None, api_key: str | None = "test-key") -> requests.Response:
        """An admin call as the organisation of `api_key` (the admin token is a key here too; None sends none)."""
        headers = {"Authorization": f"Bearer {api_key}"} if api_key is not None else {}
        return self.http.request(method, self.origin + path, json=body, headers=headers, timeout=10)

    def state(self) -> dict[str, Any]:
        return self.steer.state()

    def requests_for(self, operation: str) -> list[Any]:
        return [entry for entry in self.backend.journal.entries() if entry.operation == operation]

    def post_graphql(self, body: bytes, content_type: str = "application/json", api_key: str = "test-key",
                     path: str = "/graphql") -> requests.Response:
        headers = {"Content-Type": content_type, "Authorization": f"Bearer {api_key}"}
        return self.http.post(self.origin + path, data=body, headers=headers, timeout=10)


@pytest.fixture(params=["in-process", "standalone"])
def target(request: pytest.FixtureRequest, fake_time: FakeTime) -> Iterator[Target]:
    if request.param == "in-process":
        with MockLabelbox() as mock:
            yield Target("in-process", mock.backend, IN_PROCESS_ORIGIN, fake_time)
    else:
        with RunningServer(Backend()) as server:
            yield Target("standalone", server.backend, server.url, fake_time)


@pytest.fixture
def standalone(fake_time: FakeTime) -> Iterator[Target]:
    with RunningServer(Backend()) as server:
        yield Target("standalone", server.backend, server.url, fake_time)


@pytest.fixture
def seeded(target: Target) -> World:
    return world_from(target.backend.seed(standard_seed(4)), 4)


OTHER = "other-key"


@pytest.fixture(params=["in-process", "standalone"])
def shared(request: pytest.FixtureRequest, fake_time: FakeTime) -> Iterator[Target]:
    """A mock two workers share: test-key and other-key, each its own organisation, and an admin token."""
    backend = Backend(["test-key", OTHER], admin_token=ADMIN_TOKEN)
    if request.param == "in-process":
        with MockLabelbox(backend=backend) as mock:
            yield Target("in-process", mock.backend, IN_PROCESS_ORIGIN, fake_time)
    else:
        with RunningServer(backend) as server:
            yield Target("standalone", server.backend, server.url, fake_time)
