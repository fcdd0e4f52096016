"""The standalone server's connections (issue 15): a whole request within one deadline, and a cap on
connections served at once. Deadlines run on a clock the test moves, so nothing waits for real time."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from mockserver.backend import Backend
from mockserver.transports.server import MockHTTPServer, RunningServer

GET_STATE = b"GET /_mock/no-such-route HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


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


def _connect(server: MockHTTPServer) -> _HostFixing:
    host, port = server.server_address[:2]
    return _HostFixing(socket.create_connection((str(host), port), timeout=10), port)


class _HostFixing:
    """A socket whose requests name the server's own host and port (it refuses any other Host)."""

    def __init__(self, connection: socket.socket, port: int) -> None:
        self._connection = connection
        self._host = b"Host: 127.0.0.1:%d" % port

    def sendall(self, data: bytes) -> None:
        self._connection.sendall(data.replace(b"Host: 127.0.0.1\r\n", self._host + b"\r\n"))

    def recv(self, size: int) -> bytes:
        return self._connection.recv(size)

    def __enter__(self) -> _HostFixing:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._connection.close()

    def close(self) -> None:
        self._connection.close()


def _read_response(connection: _HostFixing) -> bytes:
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


def _closed(connection: _HostFixing) -> bool:
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


def test_idle_connections_past_the_cap_make_room_for_a_new_one(server: MockHTTPServer) -> None:
    """Issue 24, finding 2: idle sockets filled the cap and every tenant got 503. Past the cap, the
    connection that has waited longest for a request is closed instead, and the newcomer is served."""
    held = [_connect(server) for _ in range(3)]
    try:
        held[0].sendall(GET_STATE)  # one of them served once, then idle like the others
        assert _read_response(held[0]).startswith(b"HTTP/1.1 404")
        for _ in range(3):  # more newcomers than the cap: each is served
            with _connect(server) as extra:
                extra.sendall(GET_STATE)
                assert _read_response(extra).startswith(b"HTTP/1.1 404")
        assert _closed(held[1])  # the one waiting longest (connected, never sent) made room first
    finally:
        for connection in held:
            connection.close()


def test_keyless_idle_sockets_never_keep_a_keyed_client_out() -> None:
    """128 idle keyless sockets (twice the cap) and a keyed client still gets its answers."""
    import requests

    with RunningServer(Backend(), max_connections=64) as running:
        idle = [socket.create_connection(("127.0.0.1", running.server.server_address[1]), timeout=10)
                for _ in range(128)]
        try:
            with requests.Session() as session:
                for _ in range(3):
                    answer = session.post(running.graphql_url, json={"query": "{ user { id } }"}, timeout=10,
                                          headers={"Authorization": "Bearer test-key"})
                    assert answer.status_code == 200 and answer.json()["data"]["user"]["id"]
        finally:
            for connection in idle:
                connection.close()


def test_a_keyless_body_is_never_read(server: MockHTTPServer) -> None:
    """Finding 1: a keyless request announcing a large body is answered 401 from its head alone, and
    the connection is closed, so the body is never buffered."""
    with _connect(server) as connection:
        connection.sendall(b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                           b"Content-Length: 60000000\r\n\r\n" + b"x" * 65536)
        answer = _read_response(connection)
        assert answer.startswith(b"HTTP/1.1 401")
        assert b"connection: close" in answer.lower()
        assert _closed(connection)


def test_a_head_past_its_limit_is_refused_with_431(server: MockHTTPServer) -> None:
    with _connect(server) as connection:
        connection.sendall(b"GET /_mock/state HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        for _ in range(40):  # 40 KiB of header lines, never ending the head
            try:
                connection.sendall(b"X-Pad: " + b"a" * 1017 + b"\r\n")
            except OSError:
                break
        answer = _read_response(connection)
        assert answer.startswith(b"HTTP/1.1 431")
        assert _closed(connection)


def test_a_whole_head_past_its_limit_in_one_write_is_refused_with_431(server: MockHTTPServer) -> None:
    """A complete head over the limit, arriving in one piece, is refused too (not only one still coming)."""
    with _connect(server) as connection:
        pad = b"".join(b"X-Pad-%d: " % index + b"a" * 1000 + b"\r\n" for index in range(40))  # ~40 KiB
        connection.sendall(b"GET /_mock/state HTTP/1.1\r\nHost: 127.0.0.1\r\n" + pad + b"\r\n")
        answer = _read_response(connection)
        assert answer.startswith(b"HTTP/1.1 431")
        assert _closed(connection)


@pytest.mark.parametrize("host", [b"attacker.example", b"attacker.example:{port}", b"127.0.0.1:1", b""])
def test_a_host_that_is_not_this_server_is_refused(server: MockHTTPServer, host: bytes) -> None:
    """Finding 9: DNS rebinding. A page on another origin resolving to loopback names its own Host."""
    port = server.server_address[1]
    line = b"Host: " + host.replace(b"{port}", str(port).encode()) + b"\r\n" if host else b""
    with _connect(server) as connection:
        connection.sendall(b"GET /_mock/state HTTP/1.1\r\n" + line + b"Authorization: Bearer test-key\r\n\r\n")
        answer = _read_response(connection)
        assert answer.startswith(b"HTTP/1.1 400")
        assert b"Host header must name this server" in answer


def test_the_public_url_host_and_loopback_names_are_accepted() -> None:
    with RunningServer(Backend(), public_url="http://mock.internal:9000") as running:
        port = running.server.server_address[1]
        for host in (b"127.0.0.1:%d" % port, b"localhost:%d" % port, b"mock.internal:9000", b"MOCK.internal:9000"):
            with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
                connection.sendall(b"GET /_mock/state HTTP/1.1\r\nHost: " + host +
                                   b"\r\nAuthorization: Bearer test-key\r\nConnection: close\r\n\r\n")
                assert connection.recv(65536).startswith(b"HTTP/1.1 200"), host


def test_options_are_checked() -> None:
    for options in ({"max_connections": 0}, {"request_timeout": 0.0}, {"request_timeout": float("nan")}):
        with pytest.raises(ValueError, match="max_connections"):
            MockHTTPServer(Backend(), **options)


def test_an_admin_body_past_its_own_limit_is_refused_unread(server: MockHTTPServer) -> None:
    """Admin bodies are one JSON document decoded holding the GIL: bounded lower than API bodies."""
    from mockserver.transports.server import MAX_ADMIN_BODY_BYTES

    with _connect(server) as connection:
        connection.sendall(b"POST /_mock/files HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer test-key\r\n"
                           b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n" % (MAX_ADMIN_BODY_BYTES + 1))
        answer = _read_response(connection)
        assert answer.startswith(b"HTTP/1.1 413")
        assert _closed(connection)
