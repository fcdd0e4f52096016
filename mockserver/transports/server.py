"""The standalone mock: a threaded HTTP/1.1 server (keep-alive) on loopback."""

from __future__ import annotations

import contextlib
import io
import logging
import re
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ..backend import Backend
from ..http.handler import Handler
from ..http.messages import HttpRequest

logger = logging.getLogger(__name__)

# Bounds on one connection, so a slow or hostile peer cannot hold a thread forever.
SOCKET_TIMEOUT_SECONDS = 30.0  # one write of an answer
# From the moment the server waits for a request (a new connection, or one kept alive after an
# answer) to the last byte of its body: a peer that trickles a header line at a time is cut off
# here, however often it sends. Idle keep-alive connections end at the same bound.
REQUEST_TIMEOUT_SECONDS = 30.0
# Connections served at once, one thread each; beyond it a connection is answered 503 and closed.
MAX_CONNECTIONS = 128

_BUSY_BODY = (b'{"errors":[{"message":"the mock is serving its maximum of connections; try again",'
              b'"extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}')
_BUSY = (b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
         b"Connection: close\r\nContent-Length: %d\r\n\r\n%s" % (len(_BUSY_BODY), _BUSY_BODY))


class _DeadlineReader(io.RawIOBase):
    """The socket read under one deadline for the whole request, not a timeout per read."""

    def __init__(self, connection: socket.socket, handler: _RequestHandler) -> None:
        self._connection = connection
        self._handler = handler

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        deadline = self._handler.deadline
        if deadline is not None:
            remaining = deadline - self._handler.server.clock()
            if remaining <= 0:
                raise TimeoutError("the request did not arrive whole within the request timeout")
            self._connection.settimeout(remaining)
        return self._connection.recv_into(buffer)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: MockHTTPServer

    deadline: float | None = None

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(SOCKET_TIMEOUT_SECONDS)  # TCP_NODELAY is set when accepted (get_request)
        self.rfile = io.BufferedReader(_DeadlineReader(self.connection, self))

    def handle_one_request(self) -> None:
        # idle time and a slow request count alike; the clock is already running if an answer started it
        if self.deadline is None:
            self._start_waiting()
        super().handle_one_request()

    def _start_waiting(self) -> None:
        self.deadline = self.server.clock() + self.server.request_timeout

    def _request_read(self) -> None:
        """The whole request is in: answering is bounded by the per-write timeout instead."""
        self.deadline = None
        self.connection.settimeout(SOCKET_TIMEOUT_SECONDS)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - BaseHTTPRequestHandler's name
        # the request line never carries a key (keys travel in headers), so it is safe to log
        logger.debug("%s " + format, self.address_string(), *args)

    def _serve(self) -> None:
        length = _content_length(self.headers.get_all("Content-Length") or [])
        limit = self.server.backend.max_body_bytes
        if not self.path.startswith("/"):
            self.send_error(400, "the request target must be a path (origin form)")
            self.close_connection = True
            return
        if length is None:
            # a body whose length is in doubt cannot be framed: answer and hang up, never guess
            self.send_error(400, "invalid Content-Length: send exactly one, of decimal digits only")
            self.close_connection = True
            return
        if length > limit:
            self._send(413, {"Content-Type": "application/json", "Connection": "close"},
                       b'{"errors":[{"message":"request body of %d bytes exceeds the limit of %d bytes",'
                       b'"extensions":{"code":"MALFORMED_REQUEST"}}]}' % (length, limit))
            self.close_connection = True
            return
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.send_error(411, "chunked request bodies are not supported; send Content-Length")
            self.close_connection = True
            return
        body = self.rfile.read(length) if length else b""
        if len(body) < length:  # the peer hung up mid-body
            self.close_connection = True
            return
        self._request_read()
        # the server's own address, never the Host header: signed file URLs are built from it
        request = HttpRequest(method=self.command, url=f"{self.server.public_url}{self.path}",
                              headers=dict(self.headers.items()), body=body)
        try:
            response = self.server.handler(request)
        except Exception:  # the server must stay up whatever one request does
            logger.exception("unhandled error serving %s %s", self.command, self.path)
            self._send(500, {"Content-Type": "application/json"},
                       b'{"errors":[{"message":"internal error in the mock","extensions":{"code":"INTERNAL_SERVER_ERROR"}}]}')
            return
        if response.delay:
            time.sleep(response.delay)
        if response.drop_connection:
            self.close_connection = True
            with contextlib.suppress(OSError):  # the peer may be gone already
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        streamed = response.body
        if not isinstance(streamed, bytes) and "Content-Length" in response.headers and not response.truncate:
            self._send_streamed(response.status, response.headers, streamed)
            return
        payload = response.body_bytes()
        if response.truncate:
            # announce the whole body, send half of it, then hang up
            self.send_response(response.status)
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload) * 2))
            self.end_headers()
            self.wfile.write(payload)
            self.wfile.flush()
            self.close_connection = True
            return
        self._send(response.status, response.headers, payload)

    def _send(self, status: int, headers: dict[str, str], payload: bytes) -> None:
        # a short answer starts the wait for the next request as it goes out, so by the time the peer
        # has read it, the next request's deadline is set (after a streamed one, when it is sent)
        self._start_waiting()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if "Content-Length" not in headers:  # a HEAD answer names the length its GET's body would have
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _send_streamed(self, status: int, headers: dict[str, str], pieces: Iterable[bytes]) -> None:
        """Writes a body made while it is sent; the handler names its length up front."""
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            for piece in pieces:
                self.wfile.write(piece)
        self.wfile.flush()
        self._start_waiting()

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = _serve


_DIGITS = re.compile(r"[0-9]{1,19}")


def _content_length(values: list[str]) -> int | None:
    """The body length of a request with at most one Content-Length of plain digits; None if in doubt.

    int() would take `+22`, `2_2` and ` 22 `, and two headers are ambiguous (RFC 9112 6.3):
    a front end and this server could then disagree on where the body ends.
    """
    if not values:
        return 0
    if len(values) > 1 or not _DIGITS.fullmatch(values[0]):
        return None
    return int(values[0])


class MockHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 64

    def __init__(self, backend: Backend, host: str = "127.0.0.1", port: int = 0, public_url: str | None = None,
                 *, max_connections: int = MAX_CONNECTIONS, request_timeout: float = REQUEST_TIMEOUT_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if max_connections < 1 or not request_timeout > 0:
            raise ValueError("max_connections must be at least 1 and request_timeout positive")
        self.backend = backend
        self.handler = Handler(backend)
        self.request_timeout = request_timeout
        self.clock = clock  # what request deadlines are measured on; tests pass a fake one
        self.max_connections = max_connections
        self._slots = threading.BoundedSemaphore(max_connections)
        super().__init__((host, port), _RequestHandler)
        # where clients reach this server; file URLs point here (default: the address it is bound to)
        self.public_url = (public_url or self.url).rstrip("/")

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        # A response goes out as two writes (headers, then body). With Nagle's algorithm on, the
        # second waits for the ACK of the first, which a keep-alive client delays by up to 40 ms.
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address

    def process_request(self, request: Any, client_address: Any) -> None:
        """A thread per connection up to the cap; past it, a 503 from the accepting thread, then close."""
        if not self._slots.acquire(blocking=False):
            with contextlib.suppress(OSError):
                request.settimeout(1.0)  # a short answer that fits the socket's buffer; never wait on the peer
                request.sendall(_BUSY)
            self.shutdown_request(request)
            return
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host.decode() if isinstance(host, bytes) else host}:{port}"

    def __repr__(self) -> str:
        return f"<MockHTTPServer {self.url}>"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """socketserver prints tracebacks to stderr; a mock logs them, and a peer hanging up is routine
        (a client that timed out on a delayed answer, say)."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            logger.debug("connection from %s ended: %r", client_address[0], error)
        else:
            logger.exception("error serving a connection from %s", client_address[0])


class RunningServer:
    """A server on a background thread, as a context manager: for tests and embedding."""

    def __init__(self, backend: Backend | None = None, host: str = "127.0.0.1", port: int = 0, **options: Any) -> None:
        """`options` go to MockHTTPServer: public_url, max_connections, request_timeout, clock."""
        self.backend = backend or Backend()
        self.server = MockHTTPServer(self.backend, host, port, **options)
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01},
                                        name="labelbox-mock", daemon=True)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def graphql_url(self) -> str:
        return self.url + "/graphql"

    def start(self) -> RunningServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> RunningServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
