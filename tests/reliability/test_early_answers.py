"""The standalone server's fast path taken from uvicorn's protocol callbacks (issue 24, throughput): a small
keyed POST is read whole by the connection itself and, when Handler.inline answers it with plain bytes,
written back in one piece with no ASGI task. Anything else goes on to the app as before, carrying what
was tried, so it is never run twice. These tests talk raw HTTP/1.1 to a RunningServer."""

from __future__ import annotations

import json
import logging
import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labelbox_lite import documents
from mockserver import RunningServer
from mockserver.backend import Backend
from mockserver.control.faults import Fault
from mockserver.http import handler as handler_module
from mockserver.http.messages import HttpRequest, HttpResponse

KEY = "test-key"
SEED = {"ontologies": [{"name": "o", "tools": [{"tool": "rectangle", "name": "box"}]}],
        "models": [{"name": "m", "ontology": "o"}]}


@pytest.fixture(scope="module")
def served() -> Iterator[tuple[RunningServer, str]]:
    backend = Backend([KEY])
    model_id = backend.seed(SEED, KEY)["models"][0]
    with RunningServer(backend) as server:
        yield server, model_id


@pytest.fixture(autouse=True)
def _any_cost_is_cheap(monkeypatch: pytest.MonkeyPatch) -> None:
    # the route, not the threshold: a busy machine must not move a request to the pool
    monkeypatch.setattr(handler_module, "INLINE_MAX_NS", 10**12)


def _post(server: RunningServer, payload: Any, *, extra: str = "", body: bytes | None = None) -> bytes:
    data = json.dumps(payload).encode() if body is None else body
    host = server.url.split("//", 1)[1]
    return (f"POST /graphql HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {KEY}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(data)}\r\n{extra}\r\n").encode() + data


def _read_answer(conn: socket.socket, pending: bytearray) -> bytes:
    """One whole answer (head and Content-Length body) from the connection, leaving what follows in `pending`."""
    while b"\r\n\r\n" not in pending:
        chunk = conn.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed after {bytes(pending)!r}")
        pending += chunk
    head, _, _ = bytes(pending).partition(b"\r\n\r\n")
    length = next(int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:"))
    end = len(head) + 4 + length
    while len(pending) < end:
        pending += conn.recv(65536)
    answer = bytes(pending[:end])
    del pending[:end]
    return answer


def _connect(server: RunningServer) -> socket.socket:
    host, port = server.server.server_address
    conn = socket.create_connection((host, port), timeout=10)
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return conn


def _get_model(model_id: str, tag: int = 0) -> dict[str, Any]:
    return {"query": f"{documents.GET_MODEL}\n# early {tag}", "variables": {"id": model_id}}


def _wait_for(condition: Any) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        assert time.monotonic() < deadline, "the server did not get there"
        time.sleep(0.001)


def test_an_early_answer_is_the_bytes_the_app_writes(served: tuple[RunningServer, str],
                                                     caplog: pytest.LogCaptureFixture,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    server, model_id = served
    app = server.server.app
    tried: list[bool] = []
    real = app.answer_early

    def answer_early(*args: Any) -> Any:
        early = real(*args)
        tried.append(early.response is not None)
        return early

    monkeypatch.setattr(app, "answer_early", answer_early)
    payload = _get_model(model_id)
    with _connect(server) as conn:
        pending = bytearray()
        conn.sendall(_post(server, payload))
        first = _read_answer(conn, pending)  # first sight: measured in the pool
        conn.sendall(_post(server, payload))
        early = _read_answer(conn, pending)
        # with each request logged, the app serves it (and Handler.inline answers it there)
        with caplog.at_level(logging.DEBUG, logger="mockserver.transports.server"):
            conn.sendall(_post(server, payload))
            through_app = _read_answer(conn, pending)
    assert tried == [False, True]  # tried from the protocol: declined at first sight, then answered
    assert early == through_app == first
    assert early.startswith(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: ")
    assert json.loads(early.partition(b"\r\n\r\n")[2])["data"]["model"]["id"] == model_id


@settings(max_examples=10, deadline=None)
@given(count=st.integers(1, 6), split=st.integers(0, 400))
def test_pipelined_and_split_requests_are_answered_in_order(served: tuple[RunningServer, str], count: int,
                                                            split: int) -> None:
    server, model_id = served
    requests = [_post(server, _get_model(model_id, tag)) for tag in range(count)]
    stream = b"".join(requests)
    with _connect(server) as conn:
        conn.sendall(stream[:split])  # a request cut anywhere, then the rest with the others behind it
        conn.sendall(stream[split:])
        pending = bytearray()
        answers = [_read_answer(conn, pending) for _ in range(count)]
    assert [json.loads(answer.partition(b"\r\n\r\n")[2])["data"]["model"]["id"] for answer in answers] \
        == [model_id] * count


def test_a_fault_on_the_fast_path_is_answered_by_the_app(served: tuple[RunningServer, str]) -> None:
    server, model_id = served
    payload = _get_model(model_id, 100)
    org = server.backend.store.org_for_key(KEY)
    assert org is not None
    with _connect(server) as conn:
        pending = bytearray()
        conn.sendall(_post(server, payload))
        _read_answer(conn, pending)
        server.backend.add_fault(Fault(operation="GetModelPyApi", reset=True), tenant=org.id)
        conn.sendall(_post(server, payload))
        assert conn.recv(65536) == b""  # reset: no answer, the connection closed
    with _connect(server) as conn:
        conn.sendall(_post(server, payload))
        assert _read_answer(conn, bytearray()).startswith(b"HTTP/1.1 200 ")


def test_an_error_on_the_fast_path_is_a_500_and_the_server_serves_on(
        served: tuple[RunningServer, str], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    server, model_id = served
    app = server.server.app
    real = app.handler

    class Failing:
        def inline(self, request: HttpRequest) -> HttpResponse | None:
            raise RuntimeError("boom")

        def __call__(self, request: HttpRequest) -> HttpResponse:  # pragma: no cover - never reached
            raise AssertionError("a request the fast path failed on must not run again in the pool")

    payload = _get_model(model_id, 200)
    with _connect(server) as conn:
        pending = bytearray()
        monkeypatch.setattr(app, "handler", Failing())
        conn.sendall(_post(server, payload))
        failed = _read_answer(conn, pending)
        monkeypatch.setattr(app, "handler", real)
        conn.sendall(_post(server, payload))  # the same connection, kept alive
        answered = _read_answer(conn, pending)
    assert failed.startswith(b"HTTP/1.1 500 ") and b"internal error in the mock" in failed
    assert "unhandled error serving POST /graphql" in caplog.text
    assert answered.startswith(b"HTTP/1.1 200 ")


def test_a_peer_that_leaves_mid_body_gives_back_its_share_of_the_body_budget(served: tuple[RunningServer, str]) -> None:
    server, model_id = served
    app = server.server.app
    request = _post(server, _get_model(model_id, 300))
    with _connect(server) as conn:
        conn.sendall(request[:-10])  # the head and most of the body
        _wait_for(lambda: app._inflight_body_bytes > 0)  # held by the connection, counted while read
    _wait_for(lambda: app._inflight_body_bytes == 0)


def test_a_request_that_expects_100_continue_gets_it(served: tuple[RunningServer, str]) -> None:
    server, model_id = served
    request = _post(server, _get_model(model_id, 400), extra="Expect: 100-continue\r\n")
    head, _, body = request.partition(b"\r\n\r\n")
    with _connect(server) as conn:
        conn.sendall(head + b"\r\n\r\n")  # the body waits for the server's go-ahead, as a client's would
        pending = bytearray()
        while b"\r\n\r\n" not in pending:
            pending += conn.recv(65536)
        assert bytes(pending).startswith(b"HTTP/1.1 100 Continue\r\n\r\n")
        del pending[:len(b"HTTP/1.1 100 Continue\r\n\r\n")]
        conn.sendall(body)
        assert _read_answer(conn, pending).startswith(b"HTTP/1.1 200 ")
