"""The standalone mock: a threaded HTTP/1.1 server (keep-alive) on loopback."""

from __future__ import annotations

import contextlib
import logging
import re
import socket
import sys
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from ..backend import Backend
from ..http.handler import Handler
from ..http.messages import HttpRequest

logger = logging.getLogger(__name__)

# Bounds on one connection, so a slow or hostile peer cannot hold a thread forever.
SOCKET_TIMEOUT_SECONDS = 30.0


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: MockHTTPServer

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(SOCKET_TIMEOUT_SECONDS)  # TCP_NODELAY is set when accepted (get_request)

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
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
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

    def __init__(self, backend: Backend, host: str = "127.0.0.1", port: int = 0, public_url: str | None = None) -> None:
        self.backend = backend
        self.handler = Handler(backend)
        super().__init__((host, port), _RequestHandler)
        # where clients reach this server; file URLs point here (default: the address it is bound to)
        self.public_url = (public_url or self.url).rstrip("/")

    def get_request(self) -> tuple[socket.socket, Any]:
        connection, address = super().get_request()
        # A response goes out as two writes (headers, then body). With Nagle's algorithm on, the
        # second waits for the ACK of the first, which a keep-alive client delays by up to 40 ms.
        connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return connection, address

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

    def __init__(self, backend: Backend | None = None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.backend = backend or Backend()
        self.server = MockHTTPServer(self.backend, host, port)
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
