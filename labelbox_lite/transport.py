"""The HTTP transport: requests Sessions with auth, timeouts and retries.

Retrying is urllib3's, mounted on the sessions with the policies of retry.py:

- queries have no side effect: retried on connection failures, dropped or
  timed-out answers, answers cut short, and HTTP 429/500/502/503/504;
- mutations are retried only where the request provably did not take effect:
  a connection that was never made, or HTTP 429 (refused before processing).

A call that still fails raises the library's exceptions, with a message naming
the call, the attempts made and why retrying stopped.
"""

from __future__ import annotations

import logging
import platform
from collections.abc import Mapping
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
from urllib3.util.retry import Retry

from . import __version__
from . import exceptions as exc
from .retry import CallBudget, RetryPolicy, call_budget

logger = logging.getLogger(__name__)

__all__ = ["RetryPolicy", "Transport", "default_headers"]  # RetryPolicy stays importable from here

# requests reads a body after urllib3 has returned the response, outside urllib3's retries
_BODY_CUT = (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError)


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


def _session(headers: Mapping[str, str], retry: Retry) -> requests.Session:
    session = _Session()
    session.headers.update(headers)
    adapter = HTTPAdapter(max_retries=retry, pool_maxsize=16)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session


class Transport:
    """Sends requests with the right retry policy; knows nothing of GraphQL errors."""

    def __init__(self, api_key: str, retry: RetryPolicy, timeout: float) -> None:
        headers = default_headers(api_key)
        self.retry = retry
        self.timeout = timeout
        self._queries = _session(headers, retry.for_queries())
        self._mutations = _session(headers, retry.for_mutations())
        # signed file URLs carry their own authorisation: the API key stays with the API
        self._downloads = _session({}, retry.for_queries())

    def __repr__(self) -> str:  # never show headers: they carry the key
        return f"<Transport timeout={self.timeout} retry={self.retry!r}>"

    def post(self, url: str, *, idempotent: bool, json_body: Any = None, data: Any = None,
             files: Any = None, what: str | None = None) -> requests.Response:
        """POSTs under the query policy when `idempotent`, else the mutation policy.

        `what` names the call in error messages (the GraphQL operation, say).
        """
        session = self._queries if idempotent else self._mutations
        if files is not None:
            # requests sets the multipart Content-Type itself
            headers = {"Content-Type": None, "Accept": None}
            request = requests.Request("POST", url, data=data, files=files, headers=headers)
        else:
            request = requests.Request("POST", url, json=json_body)
        return self._send(session, request, idempotent=idempotent, what=what or f"POST {url}")

    def get(self, url: str, *, timeout: float | None = None, stream: bool = False) -> requests.Response:
        """An unauthenticated GET, for signed file URLs, retried as a query."""
        request = requests.Request("GET", url)
        return self._send(self._downloads, request, idempotent=True, what=f"GET {url}", timeout=timeout,
                          stream=stream)

    def delete(self, url: str, *, what: str | None = None) -> requests.Response:
        """An authenticated REST DELETE; deleting twice deletes once, so it is retried as a query."""
        return self._send(self._queries, requests.Request("DELETE", url), idempotent=True, what=what or f"DELETE {url}")

    def close(self) -> None:
        for session in (self._queries, self._mutations, self._downloads):
            session.close()

    def _send(self, session: requests.Session, request: requests.Request, *, idempotent: bool, what: str,
              timeout: float | None = None, stream: bool = False) -> requests.Response:
        # prepared once, so a resend carries the same bytes (file parts are read only once)
        prepared = session.prepare_request(request)
        # stream goes in after the lookup: the session keeps the lookup per URL only for defaults (None)
        settings: dict[str, Any] = {**session.merge_environment_settings(prepared.url, {}, None, None, None),
                                    "stream": stream}
        timeout = timeout or self.timeout
        retry: Retry | None = None  # made at the first cut answer, the rare case
        with call_budget(self.retry) as budget:
            while True:
                try:
                    return session.send(prepared, timeout=timeout, **settings)
                except _BODY_CUT as cut:
                    if not idempotent:
                        raise _failure(what, budget, cut, idempotent, timeout) from cut
                    # an answer cut short is a read failure: draw the resend from the same budget
                    try:
                        retry = (retry or self.retry.for_queries()).increment(
                            prepared.method, prepared.url, error=ProtocolError(str(cut)))
                    except MaxRetryError:
                        raise _failure(what, budget, cut, idempotent, timeout) from cut
                    retry.sleep()
                except requests.exceptions.RequestException as error:
                    raise _failure(what, budget, error, idempotent, timeout) from error


def _root_cause(error: BaseException) -> BaseException:
    """The urllib3 error inside requests' wrapping (and inside MaxRetryError)."""
    inner = error.args[0] if error.args and isinstance(error.args[0], BaseException) else error
    return inner.reason if isinstance(inner, MaxRetryError) and inner.reason is not None else inner


def _failure(what: str, budget: CallBudget, error: BaseException, idempotent: bool,
             timeout: float) -> exc.LabelboxError:
    """The library's exception for a call that failed below HTTP, or kept failing at it."""
    attempts = max(budget.failures, 1)
    cause = _root_cause(error)
    stopped = f"; {budget.stop_reason}" if budget.stop_reason else ""
    tried = f"{what} failed after {attempts} attempt{'s' if attempts != 1 else ''}"
    if isinstance(error, requests.exceptions.RetryError):
        status = budget.last_status
        message = f"{tried}: the server kept answering HTTP {status}{stopped}"
        return exc.ApiLimitError(message) if status == 429 else exc.InternalServerError(message)
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

