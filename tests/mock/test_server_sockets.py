"""The standalone server's connections: answers are not held back by Nagle's algorithm."""

from __future__ import annotations

import socket

from mockserver import RunningServer
from mockserver.backend import Backend


def test_accepted_connections_disable_nagle() -> None:
    # An answer can go out as more than one write; without TCP_NODELAY the second waits for the
    # client's delayed ACK of the first on every keep-alive request.
    with RunningServer(Backend()) as running:
        port = running.server.server_address[1]
        with socket.create_connection(("127.0.0.1", port), timeout=5) as connection:
            connection.sendall(b"GET /_mock/no-route HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n" % port)
            assert connection.recv(65536).startswith(b"HTTP/1.1 404")  # accepted and served: now open
            sockets = running.server.open_sockets()
            assert sockets
            assert all(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0 for accepted in sockets)
