"""The standalone mock: uvicorn (httptools' parser, uvloop where installed) on loopback.

Why uvicorn, and the numbers behind the choice: docs/architecture.md, "The standalone server".
What one connection may cost, and what a tenant may hold: docs/reliability.md, "Memory budget".

The mock's handler is synchronous (one function from HttpRequest to HttpResponse), so the event loop
only frames requests and answers; the handler runs in a bounded thread pool, at most
`per_tenant_workers` calls of one organisation at a time, admitted round-robin by organisation when
the pool is full (fair_queue.py), so one tenant's flood queues behind itself and another's request
waits for at most one request per tenant ahead of it. A cheap cached query is answered on the loop
instead (Handler.inline), tried from the connection's parser callbacks before any ASGI task exists
(_Protocol._start_asgi_task and on_message_complete; docs/architecture.md says why).

Limits, all enforced before the handler sees a request:
- a request head (request line and headers) of at most `max_header_bytes`: 431 past it;
- the whole request (head and body) within `request_timeout` of the moment the connection started
  waiting for it (accepted, or answered and kept alive): idle and trickling peers are cut off alike;
- at most `max_connections` open connections; a new one past the cap closes the connection that has
  waited longest for its request (an idle or slow peer), never one whose request is being answered,
  so idle sockets cannot keep anyone out;
- the API key (or admin token) is checked on the head: the body of a request without one is never
  read (the answer closes the connection); a body past `Backend.max_body_bytes` is refused by its
  Content-Length, unread; bodies being read at once share `max_inflight_body_bytes` (503 past it).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import gc
import itertools
import logging
import re
import socket
import sys
import threading
import time
from collections.abc import Callable
from typing import Any, cast
from urllib.parse import urlsplit

import httptools
import uvicorn
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol, RequestResponseCycle

from ..backend import Backend
from ..http.handler import INLINE_MAX_BODY_BYTES, Handler
from ..http.messages import HttpRequest, HttpResponse, LoweredHeaders
from ..state.keys import ADMIN
from .fair_queue import FairQueue

logger = logging.getLogger(__name__)

# From the moment the server waits for a request (a new connection, or one kept alive after an
# answer) to the last byte of its body: a peer that trickles a header line at a time is cut off
# here, however often it sends. Idle keep-alive connections end at the same bound.
REQUEST_TIMEOUT_SECONDS = 30.0
# Connections open at once. Past it, the one that has waited longest for a request is closed.
MAX_CONNECTIONS = 256
# The request line and headers: the SDK sends well under 2 KiB and a dozen headers.
MAX_HEADER_BYTES = 32 * 1024
MAX_HEADERS = 100
MAX_TARGET_BYTES = 8 * 1024
# Handler calls at once, and of one tenant at once (the anonymous callers, files and the dashboard,
# count as one tenant; so does the admin token).
WORKERS = 16
PER_TENANT_WORKERS = 4
# One admin (/_mock/) request body: seeds, hosted files, recordings to replay.
MAX_ADMIN_BODY_BYTES = 8 * 1024 * 1024
# Request bodies being read at once, all connections together.
MAX_INFLIGHT_BODY_BYTES = 128 * 1024 * 1024
# How often (real time) connections are checked against their deadline when they send nothing.
_SWEEP_SECONDS = 1.0
# How often a stopping server looks whether its connections and tasks are done (uvicorn: a fixed 0.1 s
# sleep, then 0.1 s polls, about 0.2 s a stop where nothing is open; a test suite stops hundreds of servers).
_STOP_POLL_SECONDS = 0.002
# How often the main loop runs uvicorn's tick (its request limit and notifications) when not woken by a stop.
_TICK_SECONDS = 0.1
_ANONYMOUS = "\x00anonymous"
_BAD_TARGET = "labelbox_mock.bad_target"
_ADMIN = "\x00admin"
_EARLY = "labelbox_mock.early"  # scope state: a request the protocol read and tried on the fast path
_DIGITS = re.compile(r"[0-9]{1,19}")
_WAITING_ORDER = itertools.count()  # which connection began waiting first, should the clock stand still
# What a header value may hold on the way out: visible ASCII, space and tab. Anything else (CR, LF,
# NUL, bytes a request smuggled in) would split or corrupt the response.
_SAFE_HEADER_VALUE = re.compile(rb"[\t\x20-\x7e]*")
_SAFE_HEADER_NAME = re.compile(rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


# How long a thread holding the GIL runs before one that waits gets it (CPython's default is 5 ms). The
# event loop and the handler threads hand each request over several times: behind one organisation's
# CPU-bound request, another's trivial query waited up to 5 ms per hand-over (p95 71-77 ms under
# benchmarks/attacks.py's heaviest documents at 5 ms, 33 ms at 0.5 ms).
SERVE_SWITCH_INTERVAL = 0.0005


def settle_process() -> None:
    """What `labelbox-mock serve` sets for its own process once the mock is built (an embedding process,
    RunningServer's, keeps its own settings): the GIL's switch interval above, and everything start-up
    made (the schema, graphql-core's and the seed's objects, tens of thousands) moved out of the cyclic
    collector's sight with gc.freeze(). Unfrozen, each full collection walked all of it: one 70 ms
    pause on the event loop every few thousand requests, the 64-client p99 (docs/benchmarks.md)."""
    sys.setswitchinterval(SERVE_SWITCH_INTERVAL)
    gc.collect()
    gc.freeze()


def _error_body(message: str, code: str) -> bytes:
    import json

    return json.dumps({"errors": [{"message": message, "extensions": {"code": code}}]}).encode("utf-8")


class _Protocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with the mock's per-connection limits (see the module docstring)."""

    limits: ServerLimits  # set on the subclass each server makes
    mock: MockApp  # likewise

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None:
            # an answer can go out as more than one write; Nagle's algorithm would hold the second
            # back until the client's delayed ACK of the first
            with contextlib.suppress(OSError):
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.waiting_since: float | None = None
        self.waiting_order = 0
        self._start_waiting()
        self._head_bytes = 0
        self._headers_seen = 0
        self._head_done = False
        self._refusal: tuple[int, str] | None = None
        self._header_field_bytes = 0
        self._fresh = False  # inside on_headers_complete: a task started now is this request's own
        self._held: tuple[RequestResponseCycle, Any, _Screened] | None = None  # a request read here (answer_early)
        if len(self.connections) > self.limits.max_connections:
            self._make_room()

    def _make_room(self) -> None:
        """Past the cap: close the connection that has waited longest for its request; if every other
        one is being answered, this one gets 503."""
        oldest: _Protocol | None = None
        for other in self.connections:
            if other is self or not isinstance(other, _Protocol) or other.waiting_since is None:
                continue
            if oldest is None or other.waiting_order < oldest.waiting_order:
                oldest = other
        if oldest is not None:
            logger.debug("connection cap reached: closing the connection that waited longest")
            oldest.transport.abort()
            return
        body = _error_body("the mock is answering its maximum of connections; try again", "INTERNAL_SERVER_ERROR")
        self.transport.write(b"HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\n"
                             b"retry-after: 1\r\nconnection: close\r\ncontent-length: %d\r\n\r\n%s"
                             % (len(body), body))
        self.transport.close()

    def _start_waiting(self) -> None:
        self.waiting_since = self.limits.clock()
        self.waiting_order = next(_WAITING_ORDER)

    def expired(self, now: float) -> bool:
        return self.waiting_since is not None and now - self.waiting_since > self.limits.request_timeout

    def data_received(self, data: bytes) -> None:
        if self.expired(self.limits.clock()):
            self.transport.abort()
            return
        self._unset_keepalive_if_required()
        if not self._head_done:
            self._head_bytes += len(data)
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            if self._refusal is not None:
                self._refuse(*self._refusal)
            else:
                self.send_400_response("Invalid HTTP request received.")
            return
        except httptools.HttpParserUpgrade:
            self.send_400_response("Protocol upgrades are not supported.")
            return
        if not self._head_done and self._head_bytes > self.limits.max_header_bytes:
            self._refuse(431, f"the request line and headers exceed the limit of {self.limits.max_header_bytes} bytes")

    def _refuse(self, status: int, message: str) -> None:
        body = _error_body(message, "MALFORMED_REQUEST")
        reason = {400: b"Bad Request", 414: b"URI Too Long", 431: b"Request Header Fields Too Large"}[status]
        self.transport.write(b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\nconnection: close\r\n"
                             b"content-length: %d\r\n\r\n%s" % (status, reason, len(body), body))
        self.transport.close()

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._headers_seen = 0
        self._header_field_bytes = 0  # as parsed: a whole head can arrive in one read (data_received's count)

    # a callback that raises stops the parser (httptools raises HttpParserError from feed_data)
    def on_url(self, url: bytes) -> None:
        super().on_url(url)
        if len(self.url) > MAX_TARGET_BYTES:
            self._refusal = (414, f"the request target exceeds the limit of {MAX_TARGET_BYTES} bytes")
            raise ValueError(self._refusal[1])

    def on_header(self, name: bytes, value: bytes) -> None:
        self._headers_seen += 1
        if self._headers_seen > MAX_HEADERS:
            self._refusal = (431, f"a request carries at most {MAX_HEADERS} headers")
            raise ValueError(self._refusal[1])
        self._header_field_bytes += len(name) + len(value) + 4  # "name: value\r\n"
        if self._header_field_bytes > self.limits.max_header_bytes:
            self._refusal = (431, f"the request line and headers exceed the limit of "
                                  f"{self.limits.max_header_bytes} bytes")
            raise ValueError(self._refusal[1])
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._head_done = True
        if not self.url.startswith(b"/"):
            # absolute-form or authority-form: this is no proxy, and the Host header alone names the
            # origin (RFC 9112 3.2); answered by the app, which reads this mark in the scope
            self.scope["state"][_BAD_TARGET] = True
        self._fresh = True
        try:
            super().on_headers_complete()
        finally:
            self._fresh = False

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: Any) -> None:
        # A request that may be answered on the fast path is held here, its (small) body read into its
        # cycle by uvicorn, and tried when it is whole (on_message_complete): no ASGI task, no send
        # messages. Only a request starting now (not a pipelined one started later), kept alive, not
        # waiting for a 100 Continue. MockApp.hold applies the app's own checks first.
        if (self._fresh and cycle.keep_alive and not cycle.waiting_for_100_continue
                and (screened := self.mock.hold(cast(dict[str, Any], self.scope))) is not None):
            self._held = (cycle, app, screened)
            return
        super()._start_asgi_task(cycle, app)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        # the whole request is in: answering is bounded by the handler and the peer's reading
        self.waiting_since = None
        self._head_bytes = 0
        self._head_done = False
        if self._held is not None:
            cycle, app, screened = self._held
            self._held = None
            self._answer_early(cycle, app, screened)

    def _answer_early(self, cycle: RequestResponseCycle, app: Any, screened: _Screened) -> None:
        """Answers a held request from here if the fast path takes it and its answer is plain bytes;
        otherwise hands it, with what was tried, to the app in an ASGI task as any other request."""
        early = self.mock.answer_early(screened, self.scope["method"], bytes(cycle.body))
        # (keep_alive is cleared by a graceful shutdown begun while the body came in: uvicorn's send closes)
        if early.response is not None and early.error is None and cycle.keep_alive:
            wire = self.mock.whole_answer(early.response, self.server_state.default_headers)
            if wire is not None:
                cycle.response_started = cycle.response_complete = True
                self.transport.write(wire)  # head and body in one write: one segment, one wake-up
                cycle.message_event.set()
                cycle.on_response()
                return
        self.scope["state"][_EARLY] = early
        super()._start_asgi_task(cycle, app)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._held is not None:  # the peer left mid-body
            self.mock.release_body(self._held[2].length)
            self._held = None
        super().connection_lost(exc)

    def on_response_complete(self) -> None:
        # uvicorn's, without its keep-alive timer: the request deadline above already ends an idle
        # connection (checked on each read and by the server's sweep), and arming and cancelling a
        # timer for every request cost more than the rest of this method
        self.server_state.total_requests += 1
        if self.transport.is_closing():
            return
        self._unset_keepalive_if_required()
        self.flow.resume_reading()
        self._start_waiting()
        if self.pipeline:
            cycle, app = self.pipeline.pop()
            self._start_asgi_task(cycle, app)


class ServerLimits:
    def __init__(self, *, max_connections: int, request_timeout: float, clock: Callable[[], float],
                 max_header_bytes: int, workers: int, per_tenant_workers: int, max_inflight_body_bytes: int) -> None:
        if max_connections < 1 or not request_timeout > 0:
            raise ValueError("max_connections must be at least 1 and request_timeout positive")
        if max_header_bytes < 1024 or workers < 1 or not 1 <= per_tenant_workers <= workers:
            raise ValueError("max_header_bytes must be at least 1024, workers at least 1, "
                             "per_tenant_workers between 1 and workers")
        self.max_connections = max_connections
        self.request_timeout = request_timeout
        self.clock = clock
        self.max_header_bytes = max_header_bytes
        self.workers = workers
        self.per_tenant_workers = per_tenant_workers
        self.max_inflight_body_bytes = max_inflight_body_bytes


class _Screened:
    """A request head MockApp.screen let through."""

    __slots__ = ("headers", "length", "tenant", "url")

    def __init__(self, headers: LoweredHeaders, tenant: str | None, length: int, url: str) -> None:
        self.headers = headers
        self.tenant = tenant  # an organisation's id, _ADMIN, or None (no key: the body is never read)
        self.length = length
        self.url = url


class _Early:
    """A request the protocol read whole and tried on the fast path: its answer, or None for the pool."""

    __slots__ = ("error", "request", "response", "tenant")

    def __init__(self, request: HttpRequest, tenant: str | None, response: HttpResponse | None,
                 error: Exception | None) -> None:
        self.request = request
        self.tenant = tenant
        self.response = response
        self.error = error


class MockApp:
    """The ASGI application: framing, Host and key checks on the event loop; the handler in the pool."""

    def __init__(self, backend: Backend, limits: ServerLimits, allowed_hosts: frozenset[str], public_url: str) -> None:
        self.backend = backend
        self.handler = Handler(backend)
        self.limits = limits
        self.allowed_hosts = allowed_hosts
        self.public_url = public_url
        self.pool = concurrent.futures.ThreadPoolExecutor(limits.workers, thread_name_prefix="labelbox-mock")
        self.queue = FairQueue(limits.workers, limits.per_tenant_workers)  # admission to the pool
        self._inflight_body_bytes = 0

    def screen(self, scope: dict[str, Any]) -> _Screened | tuple[int, str]:
        """A request's head checked: what it is (headers, tenant, body length, URL), or the status and
        message refusing it. Framing, Host, body limits and the key, in this order, for every request."""
        # uvicorn gives names lowered; a repeated header is joined as one (RFC 9110 5.3), but for the
        # key, where the last counts, and Content-Length, where a second makes the framing ambiguous
        headers = LoweredHeaders()
        lengths_in_doubt = False
        for name, value in scope["headers"]:
            key = name.decode("latin-1")
            text = value.decode("latin-1")
            known = headers.get(key)
            if known is None or key == "authorization":
                headers[key] = text
            elif key == "content-length":
                lengths_in_doubt = True
            else:
                headers[key] = f"{known}, {text}"
        announced = headers.get("content-length")
        if announced is not None and not _DIGITS.fullmatch(announced):
            lengths_in_doubt = True
        if scope["state"].get(_BAD_TARGET):
            return 400, "the request target must be a path (origin form)"
        if lengths_in_doubt:
            # a body whose length is in doubt cannot be framed: answer and hang up, never guess
            # (int() would take `+22` or ` 22 `; two headers are ambiguous, RFC 9112 6.3)
            return 400, "invalid Content-Length: send exactly one, of decimal digits only"
        if headers.get("transfer-encoding", "").lower() not in ("", "identity"):
            return 411, "chunked request bodies are not supported; send Content-Length"
        host = headers.get("host", "").lower()
        if host not in self.allowed_hosts:
            # DNS rebinding: a page on another origin that resolves to loopback names its own host
            return 400, "the Host header must name this server (its loopback address or --public-url)"
        length = int(announced or "0")
        limit = self.backend.max_body_bytes
        if scope["path"].startswith("/_mock/"):
            # admin bodies are decoded as one JSON document, which holds the GIL throughout: bounded
            # lower, so one tenant's 40 MiB steering call cannot stall every other tenant's requests
            limit = min(limit, MAX_ADMIN_BODY_BYTES)
        if length > limit:
            return 413, f"request body of {length} bytes exceeds the limit of {limit} bytes"
        target = scope["raw_path"].decode("latin-1")
        if scope["query_string"]:
            target += "?" + scope["query_string"].decode("latin-1")
        # the server's own address, never the Host header
        return _Screened(headers, self._tenant(scope["path"], headers), length, f"{self.public_url}{target}")

    def hold(self, scope: dict[str, Any]) -> _Screened | None:
        """`scope`'s request, screened, if the protocol may read its body and try the fast path itself:
        an organisation's POST with a body of at most INLINE_MAX_BODY_BYTES that nothing refuses, whose
        body then counts against the bodies being read. None for anything else, which the app serves."""
        if scope["method"] != "POST" or logger.isEnabledFor(logging.DEBUG):  # the app logs each request
            return None
        screened = self.screen(scope)
        if (not isinstance(screened, _Screened) or screened.tenant in (None, _ADMIN)
                or not 0 < screened.length <= INLINE_MAX_BODY_BYTES
                or self._inflight_body_bytes + screened.length > self.limits.max_inflight_body_bytes):
            return None
        self._inflight_body_bytes += screened.length
        return screened

    def release_body(self, length: int) -> None:
        self._inflight_body_bytes -= length

    def answer_early(self, screened: _Screened, method: str, body: bytes) -> _Early:
        """A held request, whole: Handler.inline's answer, or None for the pool (or the error it raised)."""
        self.release_body(screened.length)
        request = HttpRequest(method=method, url=screened.url, headers=screened.headers, body=body)
        try:
            return _Early(request, screened.tenant, self.handler.inline(request), None)
        except Exception as error:  # answered 500 by the app, which logs it
            return _Early(request, screened.tenant, None, error)

    @staticmethod
    def whole_answer(response: HttpResponse, default_headers: list[tuple[bytes, bytes]]) -> bytes | None:
        """`response` as the bytes uvicorn would write for it, if it is plain: a whole body, no fault's
        delay, cut or reset, and safe headers; None otherwise, for the app's _answer."""
        if (response.delay or response.drop_connection or response.truncate
                or not isinstance(response.body, bytes) or response.status not in STATUS_LINE):
            return None
        headers = _encode_headers(response.headers)
        if headers is None:
            return None
        parts = [STATUS_LINE[response.status]]
        for name, value in (*default_headers, *headers):
            parts += (name, b": ", value, b"\r\n")
        parts += (b"content-length: %d\r\n\r\n" % len(response.body), response.body)
        return b"".join(parts)

    async def __call__(self, scope: dict[str, Any], receive: Callable[..., Any], send: Callable[..., Any]) -> None:
        if scope["type"] != "http":
            return
        early: _Early | None = scope["state"].pop(_EARLY, None)
        if early is not None:  # read and tried by the protocol (answer_early)
            request, tenant, unread = early.request, early.tenant, False
        else:
            screened = self.screen(scope)
            if not isinstance(screened, _Screened):
                return await self._answer_error(send, *screened)
            tenant, length = screened.tenant, screened.length
            body = b""
            unread = length > 0
            if tenant is not None and length:
                if self._inflight_body_bytes + length > self.limits.max_inflight_body_bytes:
                    return await self._answer_error(send, 503, "the mock is reading its maximum of request bodies; "
                                                               "try again", retry_after=True)
                self._inflight_body_bytes += length
                try:
                    read = await _read_body(receive, length)
                finally:
                    self.release_body(length)
                if read is None:
                    return  # the peer hung up mid-body
                body, unread = read, False
            request = HttpRequest(method=scope["method"], url=screened.url, headers=screened.headers, body=body)
        try:
            if early is None:
                # a cheap query is answered here, on the loop, sparing two thread hand-offs (Handler.inline)
                response = self.handler.inline(request) if tenant not in (None, _ADMIN) else None
            elif early.error is not None:
                raise early.error
            else:
                response = early.response
            if response is None:
                async with self.queue.place(tenant or _ANONYMOUS):
                    response = await asyncio.get_running_loop().run_in_executor(self.pool, self.handler, request)
        except Exception:  # the server must stay up whatever one request does
            logger.exception("unhandled error serving %s %s", scope["method"], scope["path"])
            return await self._answer_error(send, 500, "internal error in the mock", code="INTERNAL_SERVER_ERROR",
                                            close=unread)
        if logger.isEnabledFor(logging.DEBUG):  # the path only: keys travel in headers, a query string is the caller's
            logger.debug("%s %s %s -> %d", self._peer(scope), scope["method"], scope["path"], response.status)
        await self._answer(scope, send, response, close=unread)

    @staticmethod
    def _peer(scope: dict[str, Any]) -> str:
        client = scope.get("client")
        return str(client[0]) if client else "-"

    def _tenant(self, path: str, headers: dict[str, str]) -> str | None:
        """Whose request this is: an organisation's id, the admin, or None for a caller with neither a key
        nor the token, whose body is never read (files and the dashboard need none)."""
        value = headers.get("authorization", "").strip()
        token = value[7:].strip() if value.lower().startswith("bearer ") else ""
        number = self.backend.store.keys.number(token)
        if number == ADMIN:
            return _ADMIN if path.startswith("/_mock/") else None
        org = self.backend.store.org_by_number(number)
        return org.id if org is not None else None

    async def _answer_error(self, send: Callable[..., Any], status: int, message: str, *,
                            code: str = "MALFORMED_REQUEST", retry_after: bool = False, close: bool = True) -> None:
        body = _error_body(message, code)
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        if retry_after:
            headers.append((b"retry-after", b"1"))
        if close:
            headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _answer(self, scope: dict[str, Any], send: Callable[..., Any], response: HttpResponse, *,
                      close: bool) -> None:
        if response.delay:
            await asyncio.sleep(response.delay)
        if response.drop_connection:
            _abort(send)
            return
        headers = _encode_headers(response.headers)
        if headers is None:
            logger.error("the mock made a response header that is not plain text; answered 500 instead")
            return await self._answer_error(send, 500, "internal error in the mock: an unsafe response header",
                                            code="INTERNAL_SERVER_ERROR", close=close)
        if close:
            headers.append((b"connection", b"close"))
        head = scope["method"] == "HEAD"
        loop = asyncio.get_running_loop()
        streamed = response.body
        if not isinstance(streamed, bytes) and "Content-Length" in response.headers and not response.truncate:
            # made while it is sent, a piece at a time in the pool, so a large file is never held whole
            headers.append((b"content-length", response.headers["Content-Length"].encode("latin-1")))
            await send({"type": "http.response.start", "status": response.status, "headers": headers})
            pieces = iter(streamed)
            while not head:
                piece = await loop.run_in_executor(self.pool, next, pieces, None)
                if piece is None:
                    break
                await send({"type": "http.response.body", "body": piece, "more_body": True})
            await send({"type": "http.response.body", "body": b""})
            return
        payload = response.body if isinstance(response.body, bytes) else \
            await loop.run_in_executor(self.pool, response.body_bytes)
        if response.truncate:
            # announce the whole body, send half of it, then hang up
            headers.append((b"content-length", str(len(payload) * 2).encode()))
            await send({"type": "http.response.start", "status": response.status, "headers": headers})
            await send({"type": "http.response.body", "body": payload, "more_body": True})
            _abort(send)
            return
        # a HEAD answer names the length its GET's body would have, as the handler gives it
        length = response.headers.get("Content-Length") if head else None
        headers.append((b"content-length", (length or str(len(payload))).encode("latin-1")))
        await send({"type": "http.response.start", "status": response.status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if head else payload})


def _encode_headers(headers: dict[str, str]) -> list[tuple[bytes, bytes]] | None:
    """The response's headers for the wire (its Content-Length is set by the server); None if any name
    or value is not plain text, which would let a byte from a request reach the response's framing."""
    encoded = []
    for name, value in headers.items():
        if name.lower() == "content-length":
            continue
        raw_name = name.encode("latin-1", "replace")
        raw_value = value.encode("latin-1", "replace")
        if not _SAFE_HEADER_NAME.fullmatch(raw_name) or not _SAFE_HEADER_VALUE.fullmatch(raw_value):
            return None
        encoded.append((raw_name.lower(), raw_value))
    return encoded


async def _read_body(receive: Callable[..., Any], length: int) -> bytes | None:
    """Exactly `length` bytes of body (uvicorn stops at Content-Length), or None if the peer left."""
    pieces = []
    received = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return None
        chunk = message.get("body", b"")
        if chunk:
            pieces.append(chunk)
            received += len(chunk)
        if not message.get("more_body", False):
            break
    if received < length:
        return None
    return pieces[0] if len(pieces) == 1 else b"".join(pieces)


def _abort(send: Callable[..., Any]) -> None:
    """Hangs up without a (complete) answer: a fault's reset or truncation. uvicorn's send is a bound
    method of the request's cycle, which holds the connection's transport."""
    transport = getattr(getattr(send, "__self__", None), "transport", None)
    if transport is None:  # pragma: no cover - another ASGI server
        raise RuntimeError("the server cannot drop a connection")
    transport.abort()


def _allowed_hosts(host: str, port: int, public_url: str) -> frozenset[str]:
    """Host header values this server answers: its loopback names at its port, and --public-url's."""
    names = {host, "127.0.0.1", "localhost", "[::1]"}
    allowed = {f"{name}:{port}" for name in names}
    parts = urlsplit(public_url)
    if parts.hostname:
        default = 443 if parts.scheme == "https" else 80
        name = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
        allowed.add(f"{name}:{parts.port or default}")
        if (parts.port or default) == default:
            allowed.add(name)
    if port == 80:
        allowed |= names
    return frozenset(value.lower() for value in allowed)


def _settle(tick: asyncio.Future[None]) -> None:
    if not tick.done():
        tick.set_result(None)


class _Server(uvicorn.Server):
    """uvicorn's server, plus the sweep that closes silent connections past their deadline (a peer that
    sends nothing never reaches data_received, where the deadline is checked otherwise)."""

    def __init__(self, config: uvicorn.Config, limits: ServerLimits) -> None:
        super().__init__(config)
        self.limits = limits
        self._sweeper: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._tick: asyncio.Future[None] | None = None

    async def main_loop(self) -> None:
        """uvicorn's loop, but its 0.1 s wait between ticks ends at once when `wake()` is called."""
        self._loop = loop = asyncio.get_running_loop()
        counter = 0
        should_exit = await self.on_tick(counter)
        while not should_exit:
            counter = (counter + 1) % 864000
            self._tick = tick = loop.create_future()
            timer = loop.call_later(_TICK_SECONDS, _settle, tick)
            await tick
            timer.cancel()
            should_exit = await self.on_tick(counter)

    def wake(self) -> None:
        """From any thread: run the next tick now (after `should_exit` is set, the server stops at once)."""
        loop, tick = self._loop, self._tick
        if loop is not None and tick is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: the server stopped already
                loop.call_soon_threadsafe(_settle, tick)

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        self._sweeper = asyncio.get_running_loop().create_task(self._sweep())

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's shutdown (uvicorn.Server.shutdown, 0.30-0.55) with its waits polled every 2 ms: stop
        accepting, ask each connection to close, wait for connections and then tasks to finish within the
        graceful timeout, cancel what is left."""
        if self._sweeper is not None:
            self._sweeper.cancel()
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()
        await asyncio.sleep(0)  # closed transports report their loss before the first look
        try:
            await asyncio.wait_for(self._drain(), self.config.timeout_graceful_shutdown)
        except asyncio.TimeoutError:  # TimeoutError itself from 3.11 on
            logger.error("Cancel %s running task(s), timeout graceful shutdown exceeded", len(self.server_state.tasks))
            for task in self.server_state.tasks:
                task.cancel(msg="Task cancelled, timeout graceful shutdown exceeded")
        if not self.force_exit:
            await self.lifespan.shutdown()

    async def _drain(self) -> None:
        for pending in (self.server_state.connections, self.server_state.tasks):
            while pending and not self.force_exit:
                await asyncio.sleep(_STOP_POLL_SECONDS)
        for server in self.servers:
            await server.wait_closed()

    async def _sweep(self) -> None:
        while True:
            await asyncio.sleep(_SWEEP_SECONDS)
            now = self.limits.clock()
            for connection in list(self.server_state.connections):
                if isinstance(connection, _Protocol) and connection.expired(now):
                    connection.transport.abort()


class MockHTTPServer:
    """The standalone mock, bound at construction (so its URL is known) and served by serve_forever()."""

    def __init__(self, backend: Backend, host: str = "127.0.0.1", port: int = 0, public_url: str | None = None,
                 *, max_connections: int = MAX_CONNECTIONS, request_timeout: float = REQUEST_TIMEOUT_SECONDS,
                 clock: Callable[[], float] = time.monotonic, max_header_bytes: int = MAX_HEADER_BYTES,
                 workers: int = WORKERS, per_tenant_workers: int = PER_TENANT_WORKERS,
                 max_inflight_body_bytes: int = MAX_INFLIGHT_BODY_BYTES) -> None:
        self.limits = ServerLimits(max_connections=max_connections, request_timeout=request_timeout, clock=clock,
                                   max_header_bytes=max_header_bytes, workers=workers,
                                   per_tenant_workers=per_tenant_workers,
                                   max_inflight_body_bytes=max_inflight_body_bytes)
        self.backend = backend
        # requests run side by side here: exports render on a worker, never in a request under its lock
        backend.exports.render_in_background()
        self.socket = socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM)
        try:
            self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.socket.bind((host, port))
            self.socket.listen(512)
        except OSError:
            self.socket.close()
            raise
        self.server_address: tuple[str, int] = self.socket.getsockname()[:2]
        # where clients reach this server; file URLs point here (default: the address it is bound to)
        self.public_url = (public_url or self.url).rstrip("/")
        self.app = MockApp(backend, self.limits, _allowed_hosts(host, self.server_address[1], self.public_url),
                           self.public_url)
        protocol = type("MockProtocol", (_Protocol,), {"limits": self.limits, "mock": self.app})
        self._config = uvicorn.Config(self.app, http=protocol, lifespan="off", access_log=False, log_config=None,
                                      proxy_headers=False,
                                      log_level="warning", timeout_keep_alive=max(1, int(request_timeout)),
                                      timeout_graceful_shutdown=5, server_header=False, date_header=False)
        self._server = _Server(self._config, self.limits)

    @property
    def url(self) -> str:
        host, port = self.server_address
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

    def __repr__(self) -> str:
        return f"<MockHTTPServer {self.url}>"

    def serve_forever(self, poll_interval: float = 0.1) -> None:
        """Serves until shutdown() (or SIGINT/SIGTERM when run on the main thread). `poll_interval` is
        kept for the stdlib's signature; uvicorn checks for shutdown every 0.1 s."""
        del poll_interval
        self._server.run(sockets=[self.socket])

    def shutdown(self) -> None:
        self._server.should_exit = True
        self._server.wake()

    def open_sockets(self) -> list[socket.socket]:
        """The sockets of the connections open now (for tests of their options)."""
        return [connection.transport.get_extra_info("socket") for connection in list(self._server.server_state.connections)
                if connection.transport is not None]

    def server_close(self) -> None:
        self.app.pool.shutdown(wait=False, cancel_futures=True)
        self.socket.close()
        self.backend.exports.close()  # the rendering worker stops with the server


class RunningServer:
    """A server on a background thread, as a context manager: for tests and embedding."""

    def __init__(self, backend: Backend | None = None, host: str = "127.0.0.1", port: int = 0, **options: Any) -> None:
        """`options` go to MockHTTPServer: public_url, max_connections, request_timeout, clock, ..."""
        self.backend = backend or Backend()
        self.server = MockHTTPServer(self.backend, host, port, **options)
        self._thread = threading.Thread(target=self.server.serve_forever, name="labelbox-mock", daemon=True)

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def graphql_url(self) -> str:
        return self.url + "/graphql"

    def start(self) -> RunningServer:
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self.server._server.started and self._thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.005)
        if not self.server._server.started:
            raise RuntimeError("the mock server did not start")
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self._thread.join(timeout=10)
        self.server.server_close()

    def __enter__(self) -> RunningServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()
