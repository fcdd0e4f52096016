"""Several in-process mocks at once: one interceptor, routed by origin and key, never to the network.

Mocks start and stop in any order and nest; each answers its own keys; a
request on a mock's origin that no running mock owns is answered 401 in the
process; after the last stops, requests' adapter send is the object it was.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from requests.adapters import HTTPAdapter

from mockserver import MockLabelbox, RunningServer
from mockserver.backend import Backend

GRAPHQL = "https://api.labelbox.com/graphql"
ORIGINAL_SEND = HTTPAdapter.__dict__["send"]


@pytest.fixture(autouse=True)
def _no_sockets(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Nothing here may even look up a host but loopback: a request that reaches for the network fails."""
    real_getaddrinfo = socket.getaddrinfo

    def loopback_only(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise AssertionError(f"a request reached for the network: {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", loopback_only)
    yield
    assert HTTPAdapter.__dict__["send"] is ORIGINAL_SEND, "a mock was left running"


def ask(key: str, url: str = GRAPHQL) -> requests.Response:
    return requests.post(url, json={"query": "query Me { user { id } }"}, timeout=5,
                         headers={"Authorization": f"Bearer {key}"})


def served_by(mock: MockLabelbox, key: str) -> bool:
    """Whether a request with `key` is answered 200 by `mock` (and no other)."""
    before = len(mock.requests)
    answer = ask(key)
    return answer.status_code == 200 and len(mock.requests) == before + 1


def test_stopping_the_first_of_two_leaves_the_second_serving() -> None:
    a, b = MockLabelbox("key-a"), MockLabelbox("key-b")
    a.start()
    b.start()
    a.stop()
    assert served_by(b, "key-b")
    refused = ask("key-a")  # a's origin, a's key, a stopped: answered here, never sent out
    assert refused.status_code == 401
    assert refused.json()["errors"][0]["extensions"]["code"] == "AUTHENTICATION_ERROR"
    assert HTTPAdapter.__dict__["send"] is not ORIGINAL_SEND
    b.stop()
    assert HTTPAdapter.__dict__["send"] is ORIGINAL_SEND


def test_requests_works_as_before_once_the_last_stops() -> None:
    a, b = MockLabelbox("key-a"), MockLabelbox("key-b")
    a.start()
    b.start()
    a.stop()
    b.stop()
    assert HTTPAdapter.__dict__["send"] is ORIGINAL_SEND
    with RunningServer(Backend(["outside"])) as outside:  # loopback; the real send reaches it
        answer = requests.post(outside.graphql_url, json={"query": "{ user { id } }"}, timeout=5,
                               headers={"Authorization": "Bearer outside"})
    assert answer.status_code == 200


def test_nested_mocks_each_serve_their_own_keys() -> None:
    with MockLabelbox("outer") as outer:
        with MockLabelbox("inner") as inner:
            assert served_by(outer, "outer")
            assert served_by(inner, "inner")
            assert ask("neither").status_code == 401
        assert served_by(outer, "outer")
        assert ask("inner").status_code == 401


def test_with_the_same_key_the_innermost_answers_then_the_outer_again() -> None:
    with MockLabelbox() as outer:
        with MockLabelbox() as inner:
            assert served_by(inner, "test-key") and not outer.requests
        assert served_by(outer, "test-key")


def test_stopping_twice_does_nothing_more() -> None:
    a, b = MockLabelbox("key-a"), MockLabelbox("key-b")
    a.start()
    b.start()
    b.stop()
    b.stop()  # must not take a's interception with it
    assert served_by(a, "key-a")
    a.stop()
    a.stop()
    assert HTTPAdapter.__dict__["send"] is ORIGINAL_SEND
    assert not a.active and not b.active


def test_starting_twice_needs_one_stop() -> None:
    mock = MockLabelbox()
    mock.start()
    mock.start()
    mock.stop()
    assert HTTPAdapter.__dict__["send"] is ORIGINAL_SEND


def test_an_extra_endpoint_stops_with_its_mock_and_is_refused_not_sent() -> None:
    extra = "https://labelbox.internal.example/graphql"
    with MockLabelbox("main"):
        with MockLabelbox("extra", endpoints=[extra]) as inner:
            assert ask("extra", extra).status_code == 200 and inner.requests
        with pytest.raises(requests.ConnectionError, match="refused by MockLabelbox"):
            ask("extra", extra)


def test_hosted_files_and_passthrough_belong_to_their_mock() -> None:
    with RunningServer(Backend(["outside"])) as outside, MockLabelbox("main"):
        with MockLabelbox("a") as a:
            a.host_file("https://files.example.com/a.txt", "from a")
            with MockLabelbox("b", passthrough=[outside.url]):
                assert requests.get("https://files.example.com/a.txt", timeout=5).text == "from a"
                assert requests.get(outside.url + "/nowhere", timeout=5).status_code == 404  # passed through
            with pytest.raises(requests.ConnectionError, match="refused"):  # b's passthrough left with b
                requests.get(outside.url + "/nowhere", timeout=5)
            assert requests.head("https://files.example.com/a.txt", timeout=5).status_code == 200
            a.reset()
            assert requests.get("https://files.example.com/a.txt", timeout=5).status_code == 404
        with pytest.raises(requests.ConnectionError, match="refused"):  # a stopped: its files went with it
            requests.get("https://files.example.com/a.txt", timeout=5)


def test_mocks_on_many_threads_start_serve_and_stop_independently() -> None:
    failures: list[BaseException] = []
    barrier = threading.Barrier(6)

    def run(index: int) -> None:
        try:
            key = f"thread-{index}"
            for _ in range(15):
                barrier.wait(timeout=30)
                with MockLabelbox(key) as mine:
                    assert served_by_key(mine, key)
        except BaseException as error:  # reported by the main thread
            failures.append(error)
            barrier.abort()

    def served_by_key(mock: MockLabelbox, key: str) -> bool:
        # other threads' mocks come and go meanwhile; the journal of this one sees exactly this call
        return ask(key).status_code == 200 and any(entry.operation == "Me" for entry in mock.requests)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not failures, failures
    assert HTTPAdapter.__dict__["send"] is ORIGINAL_SEND


class Interleavings(RuleBasedStateMachine):
    """Mocks started and stopped in any order; every request answered by the newest running mock that
    holds its key, else 401, and requests' own send back whenever none runs."""

    KEYS = ("k0", "k1", "k2", "shared")

    def __init__(self) -> None:
        super().__init__()
        # four mocks: each has a key of its own, and every one also holds "shared"
        self.mocks = [MockLabelbox(key, api_keys=["shared"]) for key in self.KEYS[:3]] + [MockLabelbox("shared")]
        self.running: list[int] = []  # start order, newest last

    @rule(index=st.integers(0, 3))
    def start(self, index: int) -> None:
        self.mocks[index].start()
        if index not in self.running:
            self.running.append(index)

    @rule(index=st.integers(0, 3))
    def stop(self, index: int) -> None:
        self.mocks[index].stop()
        if index in self.running:
            self.running.remove(index)

    @precondition(lambda self: bool(self.running))
    @rule(key=st.sampled_from((*KEYS, "nobody")))
    def request(self, key: str) -> None:
        owners = [index for index in reversed(self.running) if self.mocks[index].backend.knows_key(key)]
        counts = [len(mock.requests) for mock in self.mocks]
        answer = ask(key)
        after = [len(mock.requests) for mock in self.mocks]
        if owners:
            assert answer.status_code == 200
            assert [b - a for a, b in zip(counts, after, strict=True)] == [
                1 if index == owners[0] else 0 for index in range(4)]
        else:
            assert answer.status_code == 401 and counts == after

    @invariant()
    def send_is_ours_exactly_while_a_mock_runs(self) -> None:
        assert (HTTPAdapter.__dict__["send"] is ORIGINAL_SEND) == (not self.running)
        assert [mock.active for mock in self.mocks] == [index in self.running for index in range(4)]

    def teardown(self) -> None:
        for mock in self.mocks:
            mock.stop()


TestInterleavings = Interleavings.TestCase
TestInterleavings.settings = settings(max_examples=25, stateful_step_count=30, deadline=None)


def test_a_patch_put_over_the_interceptor_is_left_alone_and_requests_still_works() -> None:
    """Another library (here `responses`) patching the send while a mock runs and restoring it after the
    mock stopped: the interceptor does not pull the send from under it, and what comes back passes
    everything on to requests' own send; the next mock to stop restores that exactly."""
    import responses

    mock = MockLabelbox().start()
    other = responses.RequestsMock(assert_all_requests_are_fired=False)
    other.start()
    mock.stop()
    assert HTTPAdapter.__dict__["send"] is not ORIGINAL_SEND  # still the other library's
    other.stop()
    with RunningServer(Backend(["outside"])) as outside:  # back to ours, passing all through
        answer = requests.post(outside.graphql_url, json={"query": "{ user { id } }"}, timeout=5,
                               headers={"Authorization": "Bearer outside"})
        assert answer.status_code == 200
    with MockLabelbox() as again:
        assert served_by(again, "test-key")
    assert HTTPAdapter.__dict__["send"] is ORIGINAL_SEND
