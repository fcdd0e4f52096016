"""The HTTP transport: a requests Session with auth, timeouts and retries.

Retries use urllib3's Retry (backoff with jitter, Retry-After honoured) mounted
on the session, so no hand-written loop is involved. Two policies:

- queries are side-effect free: retried on connection errors, read errors and
  HTTP 429/502/503/504;
- mutations are retried only when the request provably did not take effect:
  a connection that was never made, or HTTP 429 (the server refused it unread).
"""

from __future__ import annotations

import logging
import platform
from collections.abc import Mapping
from typing import Any

import requests
from attrs import define, field, validators
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from . import __version__

logger = logging.getLogger(__name__)

RETRYABLE_STATUSES = frozenset({429, 502, 503, 504})


@define(frozen=True)
class RetryPolicy:
    """How hard the client tries before it gives up; set on the Client."""

    attempts: int = field(default=5, validator=validators.ge(0))  # retries after the first try
    backoff_factor: float = field(default=0.5, validator=validators.ge(0))
    backoff_max: float = field(default=30.0, validator=validators.ge(0))
    jitter: float = field(default=0.25, validator=validators.ge(0))
    max_retry_after: float = field(default=60.0, validator=validators.ge(0))

    def for_queries(self) -> Retry:
        return _CappedRetry(
            total=self.attempts,
            connect=self.attempts,
            read=self.attempts,
            status=self.attempts,
            other=0,
            allowed_methods=None,  # every method: our queries are POSTs
            status_forcelist=RETRYABLE_STATUSES,
            backoff_factor=self.backoff_factor,
            backoff_max=self.backoff_max,
            backoff_jitter=self.jitter,
            respect_retry_after_header=True,
            raise_on_status=False,
            raise_on_redirect=False,
            max_retry_after=self.max_retry_after,
        )

    def for_mutations(self) -> Retry:
        return _CappedRetry(
            total=self.attempts,
            connect=self.attempts,
            read=0,  # the server may have acted on a request whose answer was lost
            status=self.attempts,
            other=0,
            allowed_methods=None,
            status_forcelist=frozenset({429}),
            backoff_factor=self.backoff_factor,
            backoff_max=self.backoff_max,
            backoff_jitter=self.jitter,
            respect_retry_after_header=True,
            raise_on_status=False,
            raise_on_redirect=False,
            max_retry_after=self.max_retry_after,
        )


class _CappedRetry(Retry):
    """urllib3's Retry with Retry-After capped, so a server cannot park the client indefinitely."""

    def __init__(self, *args: Any, max_retry_after: float = 60.0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_retry_after = max_retry_after

    def new(self, **kwargs: Any) -> _CappedRetry:
        retry = super().new(**kwargs)
        retry.max_retry_after = self.max_retry_after
        return retry

    def parse_retry_after(self, retry_after: str) -> float:
        return min(super().parse_retry_after(retry_after), self.max_retry_after)


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
        self.timeout = timeout
        self._queries = _session(headers, retry.for_queries())
        self._mutations = _session(headers, retry.for_mutations())

    def __repr__(self) -> str:  # never show headers: they carry the key
        return f"<Transport timeout={self.timeout}>"

    def post(self, url: str, *, idempotent: bool, json_body: Any = None, data: Any = None,
             files: Any = None) -> requests.Response:
        session = self._queries if idempotent else self._mutations
        if files is not None:
            # requests sets the multipart Content-Type itself
            headers = {"Content-Type": None, "Accept": None}
            return session.post(url, data=data, files=files, headers=headers, timeout=self.timeout)
        return session.post(url, json=json_body, timeout=self.timeout)

    def get(self, url: str, *, timeout: float | None = None, stream: bool = False) -> requests.Response:
        """An unauthenticated GET, for signed file URLs: the API key stays with the API."""
        return requests.get(url, timeout=timeout or self.timeout, stream=stream)

    def close(self) -> None:
        self._queries.close()
        self._mutations.close()
