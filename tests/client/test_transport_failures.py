"""Which failed tries the transport may send again: read from requests' and urllib3's public exceptions.

A mutation may be resent only if its try provably never reached the server;
these are the exceptions requests raises for each kind of failure (with the
adapter trying once, as the transport mounts it).
"""

from __future__ import annotations

from http.client import RemoteDisconnected

import pytest
import requests
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.exceptions import ProxyError as Urllib3ProxyError

from labelbox_lite.transport import _Failure, _failure_of

URL = "https://api.labelbox.com/graphql"


def _spent(reason: Exception) -> MaxRetryError:
    return MaxRetryError(None, URL, reason)  # type: ignore[arg-type]


REFUSED = NewConnectionError(None, "Failed to establish a new connection: [Errno 111] Connection refused")  # type: ignore[arg-type]

CASES = {
    "connection refused": (requests.exceptions.ConnectionError(_spent(REFUSED)), _Failure.NOT_SENT),
    "name not resolved": (requests.exceptions.ConnectionError(_spent(
        NameResolutionError("api.labelbox.com", None, OSError("no such host")))), _Failure.NOT_SENT),  # type: ignore[arg-type]
    "connect timeout": (requests.exceptions.ConnectTimeout(_spent(
        ConnectTimeoutError(None, "timed out"))), _Failure.NOT_SENT),
    "proxy unreachable": (requests.exceptions.ProxyError(_spent(
        Urllib3ProxyError("Unable to connect to proxy", REFUSED))), _Failure.NOT_SENT),
    "proxy refused the tunnel": (requests.exceptions.ProxyError(_spent(
        Urllib3ProxyError("Unable to connect to proxy", OSError("Tunnel connection failed: 407")))), _Failure.FINAL),
    "dropped after sending": (requests.exceptions.ConnectionError(ProtocolError(
        "Connection aborted.", RemoteDisconnected("Remote end closed connection without response"))),
        _Failure.SENT),
    "reset while sending": (requests.exceptions.ConnectionError(ConnectionResetError(104, "reset")), _Failure.SENT),
    "read timeout": (requests.exceptions.ReadTimeout(ReadTimeoutError(None, URL, "Read timed out.")),  # type: ignore[arg-type]
                     _Failure.SENT),
    "answer cut short": (requests.exceptions.ChunkedEncodingError(ProtocolError("IncompleteRead")), _Failure.SENT),
    "bad gzip": (requests.exceptions.ContentDecodingError("bad"), _Failure.SENT),
    "TLS failure": (requests.exceptions.SSLError(_spent(OSError("certificate verify failed"))), _Failure.FINAL),
    "invalid URL": (requests.exceptions.InvalidURL("no host"), _Failure.FINAL),
    "too many redirects": (requests.exceptions.TooManyRedirects("30 redirects"), _Failure.FINAL),
    "unmocked URL (responses)": (requests.exceptions.ConnectionError("Connection refused by Responses"),
                                 _Failure.FINAL),
}


@pytest.mark.parametrize(("error", "expected"), CASES.values(), ids=CASES.keys())
def test_what_a_failed_try_says_about_the_request(error: requests.exceptions.RequestException,
                                                  expected: _Failure) -> None:
    assert _failure_of(error) is expected

