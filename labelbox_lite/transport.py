"""The HTTP transport: a requests Session with auth and timeouts, and the client's one retry loop.

Every try goes out through `Session.send` with the adapter's own retries off
(requests' default), so a failure reaches `Transport._send` as requests'
public exception, or as a response with its status, whether it came from a
socket or from the in-process mock. The loop then decides by the kind of call:

- queries have no side effect: retried on connection failures, dropped or
  timed-out answers, answers cut short, and HTTP 429/500/502/503/504;
- mutations are retried only where the request provably did not take effect:
  a connection that was never made, or HTTP 429 (refused before processing).

How many tries and how long to wait is the RetryPolicy's (retry.py). A call
that still fails raises the library's exceptions, with a message naming the
call, the attempts made and why retrying stopped, and with the API key
removed from any request object they carry.
"""

from __future__ import annotations

import logging
import platform
from collections.abc import Mapping
from enum import Enum
from types import MappingProxyType
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.exceptions import ProxyError as Urllib3ProxyError

from . import __version__
from . import exceptions as exc
from .retry import CallBudget, RetryPolicy

logger = logging.getLogger(__name__)

__all__ = ["RetryPolicy", "Transport", "default_headers", "redact_requests"]  # RetryPolicy stays importable here

# requests reads a body after urllib3 has returned the response
_BODY_CUT = (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)
_SECRET_HEADERS = ("Authorization", "Proxy-Authorization")
_MAY_HAVE_LANDED = "not retried: the request had been sent, and a mutation may have taken effect"


class _Failure(Enum):
    """What a failed try tells about the request: whether the server can have seen it."""

    NOT_SENT = "the connection was never made"  # safe to send again, even a mutation
    SENT = "the request went out"  # dropped, timed out or cut short: it may have been processed
    FINAL = "retrying cannot help"  # TLS failures, bad URLs, too many redirects ...


def default_headers(api_key: str) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {api_key}",
        "Accept": "application/json",
        "Content-Type": "application/json",
        "X-User-Agent": f"labelbox-lite {__version__}",
        "X-Python-Version": platform.python_version(),
    }


class _Session(requests.Session):
    """A requests Session that reads proxy and CA-bundle settings from the environment once per URL.

    requests looks them up again on every request (two walks over os.environ for
    `*_proxy` variables, NO_PROXY matching, REQUESTS_CA_BUNDLE / CURL_CA_BUNDLE),
    which is about a third of a small call's client-side cost. Here the lookup runs
    at the first request to each URL and its outcome is kept, so HTTP(S)_PROXY,
    ALL_PROXY, NO_PROXY and the CA-bundle variables are honoured as they are when a
    Client first talks to an endpoint; like httpx, later changes to them are not
    seen by that Client. Calls that pass their own proxies, verify, stream or cert
    take requests' usual path.
    """

    _KEPT_URLS = 64

    def __init__(self) -> None:
        super().__init__()
        self._environment: dict[Any, dict[str, Any]] = {}
        self._netrc: dict[str, tuple[str, str] | None] = {}

    def prepare(self, request: requests.Request) -> requests.PreparedRequest:
        """What `prepare_request` makes, for what this client sends, at a third of its cost.

        `Session.prepare_request` merges cookies, auth, params and hooks into new
        objects on every call and reads ~/.netrc each time; a client that sets
        none of them needs only the session headers merged in. The netrc lookup
        still happens (as in requests, a matching entry replaces the auth header),
        once per URL. With cookies, auth, params or hooks anywhere, requests' own path.
        """
        if (self.cookies or request.cookies or self.auth is not None or request.auth is not None or self.params
                or request.params or any(self.hooks.values()) or any(request.hooks.values())):
            return self.prepare_request(request)
        headers: requests.structures.CaseInsensitiveDict[Any] = requests.structures.CaseInsensitiveDict(self.headers)
        headers.update(request.headers)
        prepared = requests.PreparedRequest()
        prepared.prepare_method(request.method)
        prepared.prepare_url(request.url or "", None)
        prepared.prepare_headers({name: value for name, value in headers.items() if value is not None})
        prepared.prepare_cookies(requests.cookies.RequestsCookieJar())  # none to send; a redirect may collect some
        prepared.prepare_body(request.data, request.files, request.json)
        auth = self._netrc_auth(str(request.url))
        if auth is not None:
            prepared.prepare_auth(auth, request.url or "")
        return prepared

    def _netrc_auth(self, url: str) -> tuple[str, str] | None:
        if not self.trust_env:
            return None
        if url not in self._netrc:
            if len(self._netrc) >= self._KEPT_URLS:
                self._netrc.clear()
            self._netrc[url] = requests.utils.get_netrc_auth(url)
        return self._netrc[url]

    def merge_environment_settings(self, url: Any, proxies: Any, stream: Any, verify: Any, cert: Any) -> Any:
        if proxies or stream is not None or verify is not None or cert is not None or not self.trust_env:
            return super().merge_environment_settings(url, proxies, stream, verify, cert)
        settings = self._environment.get(url)
        if settings is None:
            if len(self._environment) >= self._KEPT_URLS:
                self._environment.clear()
            settings = dict(super().merge_environment_settings(url, {}, None, None, None))
            self._environment[url] = settings
        return {**settings, "proxies": dict(settings["proxies"])}  # requests may alter the dict it is given


def _session(headers: Mapping[str, str]) -> _Session:
    session = _Session()
    session.headers.update(headers)
    # no max_retries: the adapter tries once (requests' default), the retrying is Transport._send's
    adapter = HTTPAdapter(pool_maxsize=16)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class Transport:
    """Sends requests with the right retry policy; knows nothing of GraphQL errors."""

    def __init__(self, api_key: str, retry: RetryPolicy, timeout: float,
                 session: requests.Session | None = None) -> None:
        """With `session` (one the caller built: its adapters, proxies, CA bundle, retries), every call
        goes out through it, carrying the client's headers per request; the session itself is left as
        it was, and `close()` leaves it open: it is the caller's."""
        self.retry = retry
        self.timeout = timeout
        if session is None:
            self._api: requests.Session = _session(default_headers(api_key))
            # signed file URLs carry their own authorisation: the API key stays with the API
            self._downloads: requests.Session = _session({})
            self._headers: dict[str, str] = {}  # the API session holds them
            self._owned = True
        else:
            self._api = self._downloads = session
            self._headers = default_headers(api_key)
            self._owned = False
        self.sdk_method: str | None = None  # sent as X-SDK-Method, as the SDK sends it (Client.set_sdk_method)

    @property
    def headers(self) -> Mapping[str, str]:
        """The headers every API call carries (the key's Authorization among them), read-only."""
        headers = self._api.headers if self._owned else self._headers
        return MappingProxyType({name: str(value) for name, value in headers.items()})

    @property
    def session(self) -> requests.Session:
        return self._api

    def _call_headers(self, **extra: str | None) -> dict[str, Any]:
        method = {"X-SDK-Method": self.sdk_method} if self.sdk_method else {}
        return {**self._headers, **method, **extra}

    def __repr__(self) -> str:  # never show headers: they carry the key
        return f"<Transport timeout={self.timeout} retry={self.retry!r}>"

    def post(self, url: str, *, idempotent: bool, json_body: Any = None, data: Any = None,
             files: Any = None, what: str | None = None, timeout: float | None = None) -> requests.Response:
        """POSTs under the query policy when `idempotent`, else the mutation policy.

        `what` names the call in error messages (the GraphQL operation, say).
        """
        if files is not None:
            # requests sets the multipart Content-Type itself (a None drops the session's header)
            headers = self._call_headers(**{"Content-Type": None, "Accept": None})
            request = requests.Request("POST", url, data=data, files=files, headers=headers)
        else:
            request = requests.Request("POST", url, json=json_body, headers=self._call_headers())
        return self._send(self._api, request, idempotent=idempotent, what=what or f"POST {url}", timeout=timeout)

    def get(self, url: str, *, timeout: float | None = None, stream: bool = False) -> requests.Response:
        """An unauthenticated GET, for signed file URLs, retried as a query."""
        request = requests.Request("GET", url)
        return self._send(self._downloads, request, idempotent=True, what=f"GET {url}", timeout=timeout,
                          stream=stream)

    def delete(self, url: str, *, what: str | None = None) -> requests.Response:
        """An authenticated REST DELETE; deleting twice deletes once, so it is retried as a query."""
        request = requests.Request("DELETE", url, headers=self._headers)
        return self._send(self._api, request, idempotent=True, what=what or f"DELETE {url}")

    def request(self, method: str, url: str, *, json_body: Any = None, idempotent: bool) -> requests.Response:
        """An authenticated REST call with a JSON body (the SDK sends one even with GET)."""
        request = requests.Request(method, url, json=json_body)
        return self._send(self._api, request, idempotent=idempotent, what=f"{method} {url}")

    def close(self) -> None:
        if self._owned:
            for session in (self._api, self._downloads):
                session.close()

    def _send(self, session: requests.Session, request: requests.Request, *, idempotent: bool, what: str,
              timeout: float | None = None, stream: bool = False) -> requests.Response:
        """The retry loop: one try per turn, until an answer, or a failure the policy does not retry."""
        # prepared once, so a resend carries the same bytes (file parts are read only once)
        prepared = session.prepare(request) if isinstance(session, _Session) else session.prepare_request(request)
        # stream goes in after the lookup: the session keeps the lookup per URL only for defaults (None)
        settings: dict[str, Any] = {**session.merge_environment_settings(prepared.url or "", {}, None, None, None),
                                    "stream": stream}
        timeout = timeout or self.timeout
        statuses = self.retry.retry_statuses(idempotent)
        budget = self.retry.start()
        while True:
            budget.sent += 1
            try:
                response = session.send(prepared, timeout=timeout, **settings)
            except requests.exceptions.RequestException as error:
                if self._worth_retrying(error, idempotent, budget, what):
                    continue
                raise _failure(what, budget, error, idempotent, timeout) from redact_requests(error)
            if response.status_code not in statuses:
                return response
            retry_after = response.headers.get("Retry-After")
            response.close()  # read whole already, unless streamed: hand the connection back
            if not budget.retry(what, retry_after):
                status = response.status_code
                message = (f"{_tried(what, budget)}: the server kept answering HTTP {status}"
                           f"{_stopped(budget)}")
                raise exc.ApiLimitError(message) if status == 429 else exc.InternalServerError(message)

    @staticmethod
    def _worth_retrying(error: requests.exceptions.RequestException, idempotent: bool, budget: CallBudget,
                        what: str) -> bool:
        failure = _failure_of(error)
        if failure is _Failure.FINAL:
            return False
        if failure is _Failure.SENT and not idempotent:
            budget.refuse(_MAY_HAVE_LANDED)
            return False
        return budget.retry(what)


def _failure_of(error: requests.exceptions.RequestException) -> _Failure:
    """Whether a failed try may have reached the server, from requests' and urllib3's public exceptions."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return _Failure.NOT_SENT
    if isinstance(error, (requests.exceptions.ReadTimeout, *_BODY_CUT)):
        return _Failure.SENT
    if isinstance(error, requests.exceptions.SSLError) or not isinstance(error, requests.exceptions.ConnectionError):
        return _Failure.FINAL
    cause = _root_cause(error)
    if isinstance(cause, Urllib3ProxyError):
        # a proxy that could not be reached is a connection never made; a tunnel it refused will be refused again
        connect_failed = isinstance(cause.original_error, (ConnectTimeoutError, NewConnectionError))
        return _Failure.NOT_SENT if connect_failed else _Failure.FINAL
    if isinstance(cause, (ConnectTimeoutError, NewConnectionError)):
        return _Failure.NOT_SENT
    if isinstance(cause, (ProtocolError, ReadTimeoutError)):
        return _Failure.SENT
    # a socket error requests wrapped as is (a reset while sending); requests' own errors are OSErrors too,
    # such as the refusal `responses` raises for a URL nobody mocks: that one never left the process
    if isinstance(cause, OSError) and not isinstance(cause, requests.exceptions.RequestException):
        return _Failure.SENT
    return _Failure.FINAL


def redact_requests(error: BaseException) -> BaseException:
    """Replaces every request object reachable from `error` with a copy whose secret headers are masked.

    requests' exceptions (and the responses they carry) keep the PreparedRequest
    that failed, API key included; the exceptions this library raises chain to
    them. Walks `__cause__`, `__context__` and `.cause`; answers `error`.
    """
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop()
        if current is None or id(current) in seen:
            continue
        seen.add(id(current))
        request = getattr(current, "request", None)
        if isinstance(request, requests.PreparedRequest):
            masked = _masked(request)
            current.request = masked  # type: ignore[attr-defined]
            response = getattr(current, "response", None)
            if isinstance(response, requests.Response) and response.request is request:
                response.request = masked
        cause = getattr(current, "cause", None)
        pending += [current.__cause__, current.__context__, cause if isinstance(cause, BaseException) else None]
    return error


def _masked(request: requests.PreparedRequest) -> requests.PreparedRequest:
    if not any(name in request.headers for name in _SECRET_HEADERS):
        return request
    masked = request.copy()
    for name in _SECRET_HEADERS:
        if name in masked.headers:
            masked.headers[name] = "<redacted>"
    return masked


def _root_cause(error: BaseException) -> BaseException:
    """The urllib3 error inside requests' wrapping (and inside MaxRetryError)."""
    inner = error.args[0] if error.args and isinstance(error.args[0], BaseException) else error
    return inner.reason if isinstance(inner, MaxRetryError) and inner.reason is not None else inner


def _tried(what: str, budget: CallBudget) -> str:
    return f"{what} failed after {budget.sent} attempt{'s' if budget.sent != 1 else ''}"


def _stopped(budget: CallBudget) -> str:
    return f"; {budget.stop_reason}" if budget.stop_reason else ""


def _failure(what: str, budget: CallBudget, error: BaseException, idempotent: bool,
             timeout: float) -> exc.LabelboxError:
    """The library's exception for a call that failed below HTTP."""
    cause = _root_cause(error)
    tried, stopped = _tried(what, budget), _stopped(budget)
    if isinstance(error, _BODY_CUT):
        if not idempotent:
            return exc.NetworkError(error, f"{tried}: the answer was cut short; the server had answered, so the "
                                           "mutation may have taken effect and was not retried")
        return exc.NetworkError(error, f"{tried}: the answer was cut short{stopped}")
    if isinstance(cause, (ReadTimeoutError, requests.exceptions.ReadTimeout)):
        return exc.TimeoutError(f"{tried}: no answer within {timeout:g} s{stopped}")
    if isinstance(cause, ConnectTimeoutError) and not isinstance(cause, NewConnectionError):
        return exc.TimeoutError(f"{tried}: could not connect within {timeout:g} s{stopped}")
    if isinstance(cause, NewConnectionError):
        return exc.NetworkError(error, f"{tried}: could not connect: {_short(cause)}{stopped}")
    if isinstance(cause, ProtocolError):
        return exc.NetworkError(error, f"{tried}: the connection closed before an answer came "
                                       f"({_short(cause)}){stopped}")
    return exc.NetworkError(error, f"{tried}: {_short(cause)}{stopped}")


def _short(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 200 else text[:197] + "..."

