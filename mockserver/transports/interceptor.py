"""The process's one interceptor: requests' `HTTPAdapter.send` while any in-process mock runs.

Modelled on moto's single stubber. Each `MockLabelbox` that starts adds its
`Mount` here and removes it when it stops; the first to start installs the
interceptor's send (saving the send that stood there), the last to stop puts
that exact object back. In between, every request is routed by the mocks
running at the moment it is sent:

1. a URL on a running mock's origin and a path the mock serves goes to the
   newest running mock on that origin that owns the request (its API key, or
   the signed file it names); when none does, the newest of them answers it
   locally (401 for an unknown key): it never goes out;
2. GET/HEAD of a URL a running mock hosts (`host_file`) is answered with that file;
3. a URL under a running mock's `passthrough` prefixes goes to the saved send;
4. anything else is refused with requests' ConnectionError, as `responses` refuses.

So mocks start and stop in any order, nest, and each serves its own keys.
Adding and removing take a lock and publish a new immutable `_Routes`; a
request reads the routes once, without a lock. A send that outlives the
interceptor (someone kept a reference to it) passes everything to the saved
send, so requests behaves as before it.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import attrs
import requests
from requests.adapters import HTTPAdapter

from ..engines.files import FILES_PREFIX
from ..http.messages import HttpRequest, HttpResponse
from .adapter_send import SERVED_PATHS, answer, as_request

if TYPE_CHECKING:
    from ..backend import Backend

Send = Callable[..., requests.Response]


@attrs.define(eq=False)
class Mount:
    """One running mock as the interceptor sees it: where it answers, and who it answers for."""

    origins: frozenset[str]
    backend: Backend
    handler: Callable[[HttpRequest], HttpResponse]
    passthrough: tuple[str, ...] = ()
    # URLs hosted while this mock ran: one a reset forgot answers 404, as a missing file does
    hosted: set[str] = attrs.Factory(set)

    def owns(self, request: HttpRequest) -> bool:
        """Whether `request` is this mock's: it carries one of its keys (or its admin token), or names
        a file it signed."""
        path = request.path
        if path.startswith(FILES_PREFIX):
            return self.backend.store.files.get(path[len(FILES_PREFIX):]) is not None
        token = request.bearer_token()
        if not token:
            return False
        return self.backend.knows_key(token) or self.backend.is_admin(token)

    def hosted_file(self, method: str, url: str) -> HttpResponse | None:
        if method not in ("GET", "HEAD"):
            return None
        hosted = self.backend.store.external_files.get(url)
        if hosted is not None:
            self.hosted.add(url)
            body = hosted.content if isinstance(hosted.content, bytes) else b"".join(hosted.content.chunks())
            return HttpResponse(200, b"" if method == "HEAD" else body, {"Content-Type": hosted.content_type})
        if url in self.hosted:  # forgotten by a reset
            return HttpResponse(404, b"" if method == "HEAD" else b"not hosted", {"Content-Type": "text/plain"})
        return None


@attrs.frozen
class _Routes:
    """The running mocks at one moment, newest last, with a pattern for the URLs they serve."""

    mounts: tuple[Mount, ...]
    prefixes: tuple[str, ...]  # a cheap first test; the pattern decides
    api: re.Pattern[str]

    @classmethod
    def of(cls, mounts: tuple[Mount, ...]) -> _Routes:
        origins = sorted({origin for mount in mounts for origin in mount.origins})
        pattern = re.compile(
            "^(" + "|".join(re.escape(origin) for origin in origins) + ")" + SERVED_PATHS + r"(\?.*)?$")
        return cls(mounts, tuple(origins), pattern)

    def owner(self, origin: str, request: HttpRequest) -> Mount:
        """The newest mock on `origin` that owns `request`, else the newest on `origin` (which refuses it)."""
        candidates = [mount for mount in reversed(self.mounts) if origin in mount.origins]
        if len(candidates) > 1:
            for mount in candidates:
                if mount.owns(request):
                    return mount
        return candidates[0]

    def hosted_file(self, method: str, url: str) -> HttpResponse | None:
        for mount in reversed(self.mounts):
            hosted = mount.hosted_file(method, url)
            if hosted is not None:
                return hosted
        return None

    def passes(self, url: str) -> bool:
        return any(mount.passthrough and url.startswith(mount.passthrough) for mount in self.mounts)


class Interceptor:
    """Installs one send on requests' HTTPAdapter while at least one Mount is added."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._routes: _Routes | None = None
        self._original: Send | None = None

    @property
    def installed(self) -> bool:
        return HTTPAdapter.__dict__.get("send") is _send

    @property
    def original(self) -> Send | None:
        """The send that stood on HTTPAdapter before the interceptor (None before it first installed)."""
        return self._original

    def mounts(self) -> tuple[Mount, ...]:
        routes = self._routes
        return routes.mounts if routes is not None else ()

    def add(self, mount: Mount) -> bool:
        """Routes to `mount` from now on; answers False if it already was."""
        with self._lock:
            mounts = self.mounts()
            if any(known is mount for known in mounts):
                return False
            if not mounts:
                current = HTTPAdapter.__dict__["send"]
                if current is not _send:  # left installed only if someone patched over it meanwhile
                    self._original = current
                    HTTPAdapter.send = _send  # type: ignore[method-assign,assignment]
            self._routes = _Routes.of((*mounts, mount))
            return True

    def remove(self, mount: Mount) -> bool:
        """Stops routing to `mount`; with it the last, puts the original send back. False if it was not added."""
        with self._lock:
            mounts = self.mounts()
            if not any(known is mount for known in mounts):
                return False
            left = tuple(known for known in mounts if known is not mount)
            self._routes = _Routes.of(left) if left else None
            # only if it is still ours: a patch someone put over it restores ours later, which then passes
            # everything on to the original
            if not left and HTTPAdapter.__dict__.get("send") is _send:
                HTTPAdapter.send = self._original  # type: ignore[method-assign,assignment]
            return True

    def running(self, mount: Mount) -> bool:
        return any(known is mount for known in self.mounts())


INTERCEPTOR = Interceptor()


def _send(adapter: HTTPAdapter, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None,
          verify: Any = True, cert: Any = None, proxies: Any = None) -> requests.Response:
    routes = INTERCEPTOR._routes
    if routes is not None:
        answered = route(routes, adapter, request, stream, timeout)
        if answered is not None:
            return answered
    original = INTERCEPTOR.original
    assert original is not None  # _send is only reachable after it was installed, which saved it
    return original(adapter, request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies)


def route(routes: _Routes, adapter: HTTPAdapter, request: requests.PreparedRequest, stream: bool,
          timeout: Any) -> requests.Response | None:
    """The answer of the mocks in `routes` to `request`; None for a URL they pass through. Anything
    else is refused with the ConnectionError requests raises for a connection never made."""
    url = request.url or ""
    match = routes.api.match(url) if url.startswith(routes.prefixes) else None
    if match is not None:
        plain = as_request(request)
        return answer(adapter, request, stream, timeout, routes.owner(match.group(1), plain).handler, plain)
    hosted = routes.hosted_file(request.method or "GET", url)
    if hosted is not None:
        return answer(adapter, request, stream, timeout, lambda _request: hosted, None)
    if routes.passes(url):
        return None
    raise requests.exceptions.ConnectionError(refusal(request.method or "GET", url), request=request)


class MockAdapter(HTTPAdapter):
    """A transport adapter answering from one mock, for a requests Session (`MockLabelbox.session()`).

    No patching: only sessions it is mounted on reach the mock, whether or not the
    mock is started; it routes as the interceptor does for this one mock
    (passthrough prefixes go out through requests' own send).
    """

    def __init__(self, mount: Mount, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._routes = _Routes.of((mount,))  # origins are fixed; hosted files and passthrough are read live

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None,
             verify: Any = True, cert: Any = None, proxies: Any = None) -> requests.Response:
        answered = route(self._routes, self, request, stream, timeout)
        if answered is not None:
            return answered
        send = INTERCEPTOR.original if INTERCEPTOR.installed else HTTPAdapter.__dict__["send"]
        assert send is not None
        return send(self, request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies)


def refusal(method: str, url: str) -> str:
    return (f"Connection refused by MockLabelbox: {method} {url} is not served by a running mock, "
            "not a file one hosts, and not under a passthrough prefix")


def origins_of(endpoints: Iterable[str]) -> frozenset[str]:
    found = set()
    for endpoint in endpoints:
        parts = urlsplit(endpoint)
        if not parts.scheme or not parts.netloc:
            raise ValueError(f"endpoint {endpoint!r} is not an absolute URL")
        found.add(f"{parts.scheme}://{parts.netloc}")
    return frozenset(found)
