"""The standalone server's connections (issue 15): a whole request within one deadline, and a cap on
connections served at once. Deadlines run on a clock the test moves, so nothing waits for real time."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from mockserver.backend import Backend
from mockserver.transports.server import MockHTTPServer, RunningServer

GET_STATE = b"GET /_mock/no-such-route HTTP/1.1\r\nHost: x\r\n\r\n"


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server(clock: Clock) -> Iterator[MockHTTPServer]:
    with RunningServer(Backend(), clock=clock, request_timeout=30.0, max_connections=3) as running:
        yield running.server


def _connect(server: MockHTTPServer) -> socket.socket:
    host, port = server.server_address[:2]
    return socket.create_connection((str(host), port), timeout=10)


def _read_response(connection: socket.socket) -> bytes:
    """One response with a Content-Length body, read whole."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = connection.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    while len(body) < length:
        chunk = connection.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def _closed(connection: socket.socket) -> bool:
    """Whether the server ended the connection (the rest of what it sent, if anything, then EOF)."""
    try:
        for _ in range(100):  # bounded: an answer is a few KB at most
            if not connection.recv(65536):
                return True
    except ConnectionResetError:
        return True
    return False


def test_a_slow_trickle_of_header_lines_is_cut_off(server: MockHTTPServer, clock: Clock) -> None:
    with _connect(server) as connection:
        connection.sendall(GET_STATE)
        assert _read_response(connection).startswith(b"HTTP/1.1 404")  # kept alive, waiting for the next
        connection.sendall(b"GET /_mock/state HTTP/1.1\r\n")
        # each line arrives "later" than the whole request was allowed (the wait for it began as the
        # answer above went out)
        for number in range(3):
            clock.now += 31.0
            try:
                connection.sendall(b"X-Slow-%d: y\r\n" % number)
            except OSError:
                break
        assert _closed(connection)
    # the server is still there for everyone else
    with _connect(server) as other:
        other.sendall(GET_STATE)
        assert _read_response(other).startswith(b"HTTP/1.1 404")


def test_a_request_within_its_deadline_is_served(server: MockHTTPServer, clock: Clock) -> None:
    with _connect(server) as connection:
        for _ in range(5):  # the deadline restarts with every request on a kept-alive connection
            clock.now += 29.0
            connection.sendall(GET_STATE)
            assert _read_response(connection).startswith(b"HTTP/1.1 404")


def test_connections_past_the_cap_get_503(server: MockHTTPServer) -> None:
    held = [_connect(server) for _ in range(3)]
    try:
        for connection in held:  # each is served (so each holds its thread), then kept alive
            connection.sendall(GET_STATE)
            assert _read_response(connection).startswith(b"HTTP/1.1 404")
        with _connect(server) as extra:
            answer = _read_response(extra)
            assert answer.startswith(b"HTTP/1.1 503")
            assert b"maximum of connections" in answer
            assert _closed(extra)
    finally:
        for connection in held:
            connection.close()
    for _ in range(200):  # bounded: the held threads notice their peers left and free their slots
        with _connect(server) as again:
            again.sendall(GET_STATE)
            if _read_response(again).startswith(b"HTTP/1.1 404"):
                break
    else:
        pytest.fail("the server never served again after the held connections closed")


def test_options_are_checked() -> None:
    for options in ({"max_connections": 0}, {"request_timeout": 0.0}, {"request_timeout": float("nan")}):
        with pytest.raises(ValueError, match="max_connections"):
            MockHTTPServer(Backend(), **options)  # type: ignore[arg-type]
