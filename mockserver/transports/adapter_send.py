"""A request requests' adapter would send, answered in-process by a mock's handler, as a socket would answer it.

The interceptor (interceptor.py) and the mock's own adapter (MockAdapter) hand
the requests the mock owns to `answer`. Why not a `responses` callback:
`responses` matches every registered route by parsing the URL three times,
builds a urllib3 response and a cookie shim, and reads the body back through
urllib3, which cost more per call than the mock's whole GraphQL execution. Here
a call costs one `requests.Response` with its body already in place. A
request sent with `stream=True`, a large file sent in pieces and a body cut
short of its Content-Length get a urllib3 response instead, as from a socket
(`raw` readable as urllib3's, the cut seen as an incomplete read). The mock
sets no cookies, so none are extracted.

Faults are raised as requests' adapter raises them on a socket (a dropped
connection, a read past the timeout), so a client's retry loop sees the same
thing in-process as over loopback.
"""

from __future__ import annotations

import datetime
import functools
import io
import time
from collections.abc import Callable, Iterator
from http.client import RemoteDisconnected
from http.client import responses as reasons
from typing import Any, cast

import requests
from requests.adapters import HTTPAdapter
from requests.cookies import RequestsCookieJar
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers
from urllib3 import HTTPResponse
from urllib3.exceptions import MaxRetryError, ProtocolError, ReadTimeoutError
from urllib3.util.retry import Retry

from ..http.messages import HttpRequest, HttpResponse, LoweredHeaders

# paths the mock serves on every intercepted origin, besides the endpoints themselves
SERVED_PATHS = r"(/graphql|/_gql|/api/v1(/.*)?|/_files/.*|/_mock/.*)"

Handler = Callable[[HttpRequest], HttpResponse]


def answer(adapter: HTTPAdapter, prepared: requests.PreparedRequest, stream: bool, timeout: Any,
           handler: Handler, request: HttpRequest | None = None) -> requests.Response:
    """`prepared` answered by `handler`, again while the adapter's urllib3 `Retry` asks for it by status, as
    its connection pool would over a socket (without the pool's waits: nothing here sleeps for a retry).
    `request` is `prepared` as `as_request` gives it, when the caller already read it."""
    retries: Retry = adapter.max_retries
    request = request or as_request(prepared)  # read once: a body given as a file cannot be read again
    while True:
        answered = handler(request)
        response = _serve(adapter, prepared, stream, timeout, answered)
        method = prepared.method or "GET"
        if not retries.is_retry(method, response.status_code, _has_retry_after(answered.headers)):
            return response
        try:
            retries = retries.increment(method, response.url, response=HTTPResponse(
                headers=dict(response.headers), status=response.status_code, preload_content=False))
        except MaxRetryError as exhausted:
            if retries.raise_on_status:
                raise requests.exceptions.RetryError(exhausted, request=prepared) from None
            return response


def _has_retry_after(headers: dict[str, str]) -> bool:
    """Whether an answer's headers name Retry-After, in any case: read from the mock's plain dict, since
    asking requests' CaseInsensitiveDict for a header it lacks raises and catches a KeyError."""
    return "Retry-After" in headers or any(name.lower() == "retry-after" for name in headers)


def as_request(prepared: requests.PreparedRequest) -> HttpRequest:
    """The transport-neutral request `prepared` stands for, its body read whole."""
    body: Any = prepared.body or b""
    if isinstance(body, str):
        body = body.encode("utf-8")
    elif hasattr(body, "read"):  # a file handed to requests as the body
        body = body.read()
        body = body.encode("utf-8") if isinstance(body, str) else body
    elif not isinstance(body, bytes):  # an iterable of pieces
        body = b"".join(piece.encode("utf-8") if isinstance(piece, str) else piece for piece in body)
    # (lower_items: a CaseInsensitiveDict's own items() walks it key by key in Python.) A name or value
    # given as bytes (requests sends them as they are) is read as text by HttpRequest, from a plain dict.
    headers: dict[Any, Any] = LoweredHeaders(prepared.headers.lower_items())
    if bytes in map(type, headers.values()) or bytes in map(type, headers):
        headers = dict(headers)
    return HttpRequest(method=prepared.method or "GET", url=prepared.url or "", headers=headers, body=body)


def _serve(adapter: HTTPAdapter, prepared: requests.PreparedRequest, stream: bool, timeout: Any,
           response: HttpResponse) -> requests.Response:
    if response.delay:
        # a socket gives up waiting at the read timeout; so does this
        read_timeout = _read_timeout(timeout)
        if read_timeout is not None and response.delay > read_timeout:
            time.sleep(read_timeout)
            message = f"Read timed out. (read timeout={read_timeout:g})"
            timed_out = ReadTimeoutError(None, prepared.url or "", message)  # type: ignore[arg-type]
            raise requests.exceptions.ReadTimeout(timed_out, request=prepared)
        time.sleep(response.delay)
    if response.drop_connection:
        # what requests raises when the server closes the connection without answering
        dropped = ProtocolError("Connection aborted.", RemoteDisconnected(
            "Remote end closed connection without response (the mock dropped it: an injected fault)"))
        raise requests.exceptions.ConnectionError(dropped, request=prepared)
    if isinstance(response.body, bytes) and not response.truncate and not stream:
        return _plain_response(adapter, prepared, response.status, response.headers, response.body)
    # streamed, as the caller asked or as a large file is sent: a urllib3 response, as from a socket
    return adapter.build_response(prepared, _urllib3_response(response))


def _plain_response(adapter: HTTPAdapter, prepared: requests.PreparedRequest, status: int,
                    headers: dict[str, str], body: bytes) -> requests.Response:
    """A whole answer as requests gives it after reading it from a socket: content in place, `raw` read out."""
    answer = _Answer(body)
    answer.status_code = status
    answer.headers = CaseInsensitiveDict(headers)
    answer.encoding = _encoding(answer.headers.get("content-type"))
    answer.reason = reasons.get(status, "")
    answer.raw = io.BytesIO()
    answer.url = prepared.url or ""
    answer.request = prepared
    answer.connection = adapter
    return answer


@functools.lru_cache(maxsize=64)
def _encoding(content_type: str | None) -> str | None:
    """requests' get_encoding_from_headers, a function of the Content-Type alone, for the few the mock sends."""
    return get_encoding_from_headers(CaseInsensitiveDict({"Content-Type": content_type} if content_type else {}))


class _Answer(requests.Response):
    """A `requests.Response` whose cookie jar is made when first asked for.

    An answer of the mock sets no cookies, and making the empty jar (a cookie
    policy and a lock) costs a few microseconds, a visible part of a small
    in-process call; everything else is set as `Response()` sets it, with the
    content already read.
    """

    _content_consumed: bool

    def __init__(self, body: bytes) -> None:
        self._content = body
        self._content_consumed = True
        self._next = None
        self.history: list[requests.Response] = []
        self.elapsed = _NO_TIME  # requests' Session.send sets the time the call took

    @property
    def cookies(self) -> RequestsCookieJar:
        jar = self.__dict__.get("_cookie_jar")
        if jar is None:
            jar = self.__dict__["_cookie_jar"] = RequestsCookieJar()  # an empty jar, made on first use
        return cast(RequestsCookieJar, jar)

    @cookies.setter
    def cookies(self, jar: RequestsCookieJar) -> None:
        self.__dict__["_cookie_jar"] = jar


_NO_TIME = datetime.timedelta(0)


def _urllib3_response(response: HttpResponse) -> HTTPResponse:
    headers = dict(response.headers)
    if isinstance(response.body, bytes) or response.truncate:
        data = response.body_bytes()
        if response.truncate:
            # announce twice the body that is sent, as the standalone server does: the reader sees the
            # connection end early (urllib3's IncompleteRead) rather than a short, valid-looking body
            headers["Content-Length"] = str(len(data) * 2)
        stream: io.BufferedIOBase = io.BufferedReader(io.BytesIO(data))
    else:  # a streamed body (a large file) reaches requests piece by piece, as over a socket
        stream = io.BufferedReader(_IterableRaw(iter(response.body)))
    return HTTPResponse(body=stream, headers=headers, status=response.status, reason=reasons.get(response.status),
                        preload_content=False, decode_content=False, enforce_content_length=True)


def _read_timeout(timeout: Any) -> float | None:
    """The read part of a requests timeout (a number, a (connect, read) pair, or None)."""
    if isinstance(timeout, tuple):
        timeout = timeout[1] if len(timeout) > 1 else None
    return float(timeout) if isinstance(timeout, (int, float)) else None


class _IterableRaw(io.RawIOBase):
    """A readable stream over an iterator of byte strings, holding one of them at a time."""

    def __init__(self, pieces: Iterator[bytes]) -> None:
        self._pieces = pieces
        self._pending = memoryview(b"")  # a view, so handing out part of a piece copies nothing

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            piece = next(self._pieces, None)
            if piece is None:
                return 0
            self._pending = memoryview(piece)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        # an emptied view would still pin its piece
        self._pending = self._pending[size:] if size < len(self._pending) else memoryview(b"")
        return size
