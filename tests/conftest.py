"""Fixtures shared by the suite, and the guard that keeps every test off the network."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

import labelbox_lite as lb
from mockserver import MockLabelbox, RunningServer
from mockserver.backend import Backend

from .support import ADMIN_TOKEN, FakeTime, World, standard_seed, world_from
from .vendor.loopback_guard import loopback_only

# Property tests run against an in-process mock: fast, but a function-scoped
# fixture is shared across examples, so each test resets what it uses itself.
settings.register_profile(
    "ci", max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.register_profile(
    "thorough", max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True, scope="session")
def _no_network() -> Iterator[None]:
    real_connect = socket.socket.connect
    setattr(socket.socket, "connect", loopback_only)  # noqa: B010 - typeshed types connect on _socket.socket
    yield
    setattr(socket.socket, "connect", real_connect)  # noqa: B010


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


@pytest.fixture
def mock() -> Iterator[MockLabelbox]:
    with MockLabelbox() as started:
        yield started


def _fake_retry(fake_time: FakeTime) -> lb.RetryPolicy:
    """Retries wait on the fake clock too: no test sleeps for real, whatever faults it injects."""
    return lb.RetryPolicy(sleep=fake_time.sleep, clock=fake_time.clock)


@pytest.fixture
def client(mock: MockLabelbox, fake_time: FakeTime) -> lb.Client:
    poller = lb.Poller(clock=fake_time.clock, sleep=fake_time.sleep)
    return lb.Client(api_key=mock.api_key, enable_experimental=True, poller=poller, retry=_fake_retry(fake_time))


@pytest.fixture
def world(mock: MockLabelbox) -> World:
    return world_from(mock.seed(standard_seed(10)), 10)


@pytest.fixture
def server() -> Iterator[RunningServer]:
    with RunningServer(Backend(admin_token=ADMIN_TOKEN)) as running:
        yield running


@pytest.fixture
def server_client(server: RunningServer, fake_time: FakeTime) -> lb.Client:
    poller = lb.Poller(clock=fake_time.clock, sleep=fake_time.sleep)
    return lb.Client(api_key="test-key", endpoint=server.graphql_url, enable_experimental=True, poller=poller,
                     retry=_fake_retry(fake_time))


pytest_plugins = ["pytester"]
