"""`responses`, taught to retry as urllib3 does, so in-process faults meet the client's real retry policy.

`responses` replaces the adapter's send, so urllib3's connection pool, where
retrying happens, never runs. It emulates status retries itself, but without
waiting between them, and it raises a callback's exception (our dropped
connections and timeouts) straight to the caller. This subclass takes over the
retry step for requests the mock serves, doing what urllib3's
`HTTPConnectionPool.urlopen` and requests' `HTTPAdapter.send` do:

- a retryable status: `retries.increment(response=...)`, `retries.sleep(response)`, send again;
- a dropped connection or read timeout: `retries.increment(error=...)`,
  `retries.sleep()`, send again; errors that are not retried surface as
  requests' ConnectionError / ReadTimeout, as they would from a socket.

It relies on `RequestsMock._on_request`, a private method (stable since
responses 0.22, when retries were added there).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from http.client import RemoteDisconnected
from typing import Any

import requests
import responses
from urllib3.exceptions import MaxRetryError, ProtocolError, ReadTimeoutError
from urllib3.util.retry import Retry


class DroppedConnection(Exception):
    """Returned by the mock's callback: close the connection without an answer."""


class AnswerTimedOut(Exception):
    """Returned by the mock's callback: the answer took longer than the request's read timeout."""

    def __init__(self, timeout: float) -> None:
        super().__init__(f"Read timed out. (read timeout={timeout:g})")
        self.timeout = timeout


# handed to responses so that it returns the first answer as is; the retry step is ours
_ANSWER_AS_IS = Retry(total=0, raise_on_status=False)


class RetryingRequestsMock(responses.RequestsMock):
    def __init__(self, served: Iterable[re.Pattern[str]], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._served = tuple(served)

    def _on_request(self, adapter: requests.adapters.HTTPAdapter, request: requests.PreparedRequest, *,
                    retries: Retry | None = None, **kwargs: Any) -> requests.Response:
        url = str(request.url)
        if not any(pattern.match(url) for pattern in self._served):
            # not ours (a passthrough or an unmatched URL): responses' own handling
            return super()._on_request(adapter, request, retries=retries, **kwargs)  # type: ignore[no-any-return]
        retries = retries or adapter.max_retries
        method = request.method or "GET"
        try:
            response: requests.Response = super()._on_request(adapter, request, retries=_ANSWER_AS_IS, **kwargs)
        except (DroppedConnection, AnswerTimedOut) as failure:
            error = _as_urllib3_error(failure, url)
            try:
                retries = retries.increment(method, url, error=error)
            except MaxRetryError as spent:
                raise requests.exceptions.ConnectionError(spent, request=request) from failure
            except ReadTimeoutError as not_retried:
                raise requests.exceptions.ReadTimeout(not_retried, request=request) from failure
            except ProtocolError as not_retried:
                raise requests.exceptions.ConnectionError(not_retried, request=request) from failure
            retries.sleep()
            return self._on_request(adapter, request, retries=retries, **kwargs)
        if not retries.is_retry(method, response.status_code, "Retry-After" in response.headers):
            return response
        try:
            retries = retries.increment(method, url, response=response.raw)
        except MaxRetryError as spent:
            if retries.raise_on_status:
                raise requests.exceptions.RetryError(spent, request=request) from None
            return response
        retries.sleep(response.raw)
        return self._on_request(adapter, request, retries=retries, **kwargs)


def _as_urllib3_error(failure: Exception, url: str) -> Exception:
    """The error urllib3 raises for the same failure on a real socket."""
    if isinstance(failure, AnswerTimedOut):
        return ReadTimeoutError(None, url, str(failure))  # type: ignore[arg-type]
    return ProtocolError("Connection aborted.", RemoteDisconnected("Remote end closed connection without response"))
