"""Sockets may connect to loopback only: the rule for every test run, ours and the SDK's.

The SDK's tests run unmodified, so a test that reaches for the internet (a public bucket, Labelbox's
own endpoint) must fail here rather than leave the machine; such tests are listed in deselected.txt.
Loaded into the SDK's runs as a plugin (`-p loopback_guard`); tests/conftest.py uses the same check.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

_real_connect = socket.socket.connect


def is_loopback(address: Any) -> bool:
    """Whether connecting to `address` stays on this machine."""
    if not isinstance(address, tuple):
        return True  # a Unix socket never leaves the machine
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def loopback_only(self: socket.socket, address: Any) -> None:
    """socket.connect for tests: loopback goes through, anything else is refused before a packet leaves.
    A ConnectionRefusedError, an OSError, so clients fail as they would on a machine with no route."""
    if not is_loopback(address):
        raise ConnectionRefusedError(f"a test tried to open a socket to {address!r}; only loopback is allowed")
    _real_connect(self, address)


def pytest_configure(config: Any) -> None:
    setattr(socket.socket, "connect", loopback_only)  # noqa: B010 - typeshed types connect on _socket.socket


def pytest_unconfigure(config: Any) -> None:
    setattr(socket.socket, "connect", _real_connect)  # noqa: B010
