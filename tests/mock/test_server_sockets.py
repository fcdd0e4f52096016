"""The standalone server's connections: answers are not held back by Nagle's algorithm."""

from __future__ import annotations

import socket

from mockserver import MockHTTPServer
from mockserver.backend import Backend


def test_accepted_connections_disable_nagle() -> None:
    # Headers and body go out as two writes; without TCP_NODELAY the body waits for the
    # client's delayed ACK of the headers on every keep-alive request.
    server = MockHTTPServer(Backend(), "127.0.0.1", 0)
    try:
        host, port = server.server_address[:2]
        with socket.create_connection((str(host), port), timeout=5):
            accepted, _ = server.get_request()
            try:
                assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
            finally:
                accepted.close()
    finally:
        server.server_close()
