"""MockLabelbox: the mock in-process, intercepting `requests` through `responses`."""

from __future__ import annotations

import functools
import io
import re
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar
from urllib.parse import urlsplit

import attrs
import requests
import responses

from ..backend import DEFAULT_API_KEY, Backend
from ..engines.export import Chunking
from ..engines.tasks import Transition
from ..http.faults import Fault
from ..http.handler import Handler
from ..http.journal import RecordedRequest
from ..http.messages import HttpRequest

DEFAULT_ENDPOINTS = (
    "https://api.labelbox.com/graphql",
    "https://api.labelbox.com/_gql",
    "https://api.labelbox.com/api/v1",
)
# paths served on every intercepted origin, besides the endpoints themselves
_SERVED_PATHS = r"(/graphql|/_gql|/api/v1(/.*)?|/_files/.*|/_mock/.*)"
_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD")

F = TypeVar("F", bound=Callable[..., Any])


class MockLabelbox:
    """An offline Labelbox for `requests`-based code, as a context manager or a decorator.

    >>> with MockLabelbox() as mock:
    ...     ids = mock.seed({"ontologies": [{"name": "o"}]})
    """

    def __init__(
        self,
        api_key: str = DEFAULT_API_KEY,
        *,
        api_keys: Iterable[str] = (),
        endpoints: Iterable[str] = (),
        passthrough: Iterable[str] = (),
        id_seed: int | None = None,
        backend: Backend | None = None,
    ) -> None:
        self.api_key = api_key
        self.backend = backend or Backend([api_key, *api_keys], id_seed=id_seed)
        self.handler = Handler(self.backend)
        self.endpoints = tuple(DEFAULT_ENDPOINTS) + tuple(endpoints)
        self._passthrough = tuple(passthrough)
        self._responses: responses.RequestsMock | None = None

    def __repr__(self) -> str:
        return f"<MockLabelbox endpoints={len(self.endpoints)} active={self._responses is not None}>"

    # -- lifecycle -------------------------------------------------------
    def start(self) -> MockLabelbox:
        if self._responses is not None:
            return self
        mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        for origin in sorted({_origin(endpoint) for endpoint in self.endpoints}):
            pattern = re.compile("^" + re.escape(origin) + _SERVED_PATHS + r"(\?.*)?$")
            for method in _METHODS:
                mock.add_callback(method, pattern, callback=self._callback)
        for prefix in self._passthrough:
            mock.add_passthru(prefix)
        mock.start()
        self._responses = mock
        return self

    def stop(self) -> None:
        if self._responses is not None:
            self._responses.stop()
            self._responses.reset()
            self._responses = None

    def __enter__(self) -> MockLabelbox:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def __call__(self, func: F) -> F:
        @functools.wraps(func)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with self:
                return func(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    def _callback(self, prepared: requests.PreparedRequest) -> Any:
        if self._responses is not None:
            # `responses` keeps every request and response it sees, overall and per route; the
            # journal is the mock's bounded record, so drop those lists before a long stream grows them
            self._responses.calls.reset()
            for route in self._responses.registered():
                route.calls.reset()
        body = prepared.body or b""
        if isinstance(body, str):
            body = body.encode("utf-8")
        elif not isinstance(body, bytes):
            body = b"".join(body)
        request = HttpRequest(
            method=prepared.method or "GET", url=prepared.url or "", headers=dict(prepared.headers), body=body
        )
        response = self.handler(request)
        if response.delay:
            time.sleep(response.delay)
        if response.drop_connection:
            return requests.ConnectionError("Connection aborted: the mock dropped the connection (injected fault)")
        if isinstance(response.body, bytes):
            return response.status, response.headers, response.body
        # a streamed body (a large file) reaches requests piece by piece, as over a socket
        return response.status, response.headers, io.BufferedReader(_IterableRaw(iter(response.body)))

    # -- steering --------------------------------------------------------
    def add_api_key(self, api_key: str) -> None:
        """Another organisation, reachable with `api_key`."""
        self.backend.add_api_key(api_key)

    def seed(self, doc: dict[str, Any], api_key: str | None = None) -> dict[str, Any]:
        """Loads a seed document into the organisation of `api_key`; returns the ids created."""
        return self.backend.seed(doc, api_key=api_key or self.api_key)

    def reset(self) -> None:
        self.backend.reset()

    def state(self) -> dict[str, Any]:
        return self.backend.dump()

    def set_transition(
        self,
        kind: str = "*",
        progression: str = "immediate",
        times: int = 1,
        duration: float = 0.0,
        outcome: str = "COMPLETE",
        error: str | None = None,
    ) -> None:
        """How tasks of `kind` progress from now on; see README for the kinds."""
        self.backend.tasks.set_transition(kind, Transition(progression, times, duration, outcome, error))

    def set_export_chunking(self, chunk_bytes: int, align_to_lines: bool = True) -> None:
        """How export streams are cut into files from now on: `chunk_bytes` per file, stretched
        to whole lines unless `align_to_lines` is False (then lines straddle files)."""
        self.backend.exports.set_chunking(Chunking(chunk_bytes, align_to_lines))

    def advance_clock(self, seconds: float) -> None:
        self.backend.clock.advance(seconds)

    def inject_fault(self, operation: str = "*", times: int = 1, **kind: Any) -> None:
        """Makes the next `times` requests for `operation` fail; see Fault for the kinds."""
        self.backend.faults.add(Fault(operation=operation, times=times, **kind))

    def clear_faults(self) -> None:
        self.backend.faults.clear()

    def host_file(self, url: str, content: bytes | str, content_type: str = "application/octet-stream") -> None:
        """Serves `content` to imports that name `url`; the mock never fetches from outside."""
        data = content.encode("utf-8") if isinstance(content, str) else content
        self.backend.files.host(url, data, content_type)

    @property
    def requests(self) -> list[RecordedRequest]:
        """The request journal, oldest first."""
        return self.backend.journal.entries()

    def transitions(self) -> dict[str, dict[str, Any]]:
        return {kind: attrs.asdict(t) for kind, t in self.backend.tasks.transitions().items()}


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
        # an emptied view would still pin its piece, and `responses` keeps every response it served
        self._pending = self._pending[size:] if size < len(self._pending) else memoryview(b"")
        return size


def _origin(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"endpoint {endpoint!r} is not an absolute URL")
    return f"{parts.scheme}://{parts.netloc}"
