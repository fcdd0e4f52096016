"""MockLabelbox: the mock in-process, intercepting `requests` at its adapter's send.

The API itself (the GraphQL endpoints, REST paths, files and admin routes on
the mock's origins) is answered by `AdapterSend` without a socket; everything
else goes through `responses`, which serves the files a test hosts, lets the
`passthrough` prefixes out and refuses any other URL. Only `responses`' public
API is used.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

import attrs
import requests
import responses

from ..backend import DEFAULT_API_KEY, Backend
from ..control.faults import Fault
from ..control.journal import RecordedRequest
from ..engines.export import Chunking
from ..engines.tasks import Transition
from ..http.handler import Handler
from ..http.messages import HttpRequest, HttpResponse
from ..http.replay import replay
from ..http.ui import UI_PATH
from .adapter_send import AdapterSend

if TYPE_CHECKING:
    from .server import RunningServer

DEFAULT_ENDPOINTS = (
    "https://api.labelbox.com/graphql",
    "https://api.labelbox.com/_gql",
    "https://api.labelbox.com/api/v1",
)

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
        mea_imports: str = "accepted",
    ) -> None:
        self.api_key = api_key
        self.backend = backend or Backend([api_key, *api_keys], id_seed=id_seed, mea_imports=mea_imports)
        self.handler = Handler(self.backend)
        self.endpoints = tuple(DEFAULT_ENDPOINTS) + tuple(endpoints)
        self._passthrough = tuple(passthrough)
        self._responses: responses.RequestsMock | None = None
        self._adapter_send: AdapterSend | None = None
        self._ui_server: RunningServer | None = None
        self.seeded: dict[str, Any] = {}  # what seeds loaded through the pytest plugin created

    def __repr__(self) -> str:
        return f"<MockLabelbox endpoints={len(self.endpoints)} active={self._responses is not None}>"

    # -- lifecycle -------------------------------------------------------
    def start(self) -> MockLabelbox:
        if self._responses is not None:
            return self
        mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        for url in self.backend.store.external_files:
            self._serve_hosted(mock, url)
        for prefix in self._passthrough:
            mock.add_passthru(prefix)
        if self._ui_server is not None:
            mock.add_passthru(self._ui_server.url)
        mock.start()
        self._responses = mock
        # in front of `responses`: the API itself is answered without its matching (adapter_send.py says why)
        self._adapter_send = AdapterSend(sorted({_origin(endpoint) for endpoint in self.endpoints}),
                                         _forgetting_refusals(mock, self.handler))
        self._adapter_send.start()
        return self

    def stop(self) -> None:
        if self._adapter_send is not None:
            self._adapter_send.stop()
            self._adapter_send = None
        if self._responses is not None:
            self._responses.stop()
            self._responses.reset()
            self._responses = None
        if self._ui_server is not None:
            self._ui_server.stop()
            self._ui_server = None

    def serve_ui(self, port: int = 0, open_browser: bool = False) -> str:
        """Serves this mock's backend on loopback too, so a browser can show its dashboard; answers the page's URL.

        The server shares this mock's state (it is the same Backend) and stops with `stop()`.
        """
        if self._ui_server is None:
            from .server import RunningServer

            self._ui_server = RunningServer(self.backend, "127.0.0.1", port).start()
            if self._responses is not None:  # requests in this process may reach the page's server too
                self._responses.add_passthru(self._ui_server.url)
        url = self._ui_server.url + UI_PATH
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        return url

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
        self.backend.set_transition(kind, Transition(progression, times, duration, outcome, error))

    def set_export_chunking(self, chunk_bytes: int, align_to_lines: bool = True) -> None:
        """How export streams are cut into files from now on: `chunk_bytes` per file, stretched
        to whole lines unless `align_to_lines` is False (then lines straddle files)."""
        self.backend.exports.set_chunking(Chunking(chunk_bytes, align_to_lines))

    def advance_clock(self, seconds: float) -> None:
        self.backend.advance_clock(seconds)

    def inject_fault(self, operation: str = "*", times: int = 1, **kind: Any) -> None:
        """Makes the next `times` requests for `operation` fail; see Fault for the kinds."""
        self.backend.add_fault(Fault(operation=operation, times=times, **kind))

    def clear_faults(self) -> None:
        self.backend.clear_faults()

    def host_file(self, url: str, content: bytes | str, content_type: str = "application/octet-stream") -> None:
        """Serves `content` at `url`: to imports that name it, and to GET/HEAD from this process.

        The mock never fetches from outside; a client that checks the URL first
        (the Labelbox SDK sends a HEAD) finds it here.
        """
        data = content.encode("utf-8") if isinstance(content, str) else content
        self.backend.host_file(url, data, content_type)
        if self._responses is not None:
            self._serve_hosted(self._responses, url)

    def _serve_hosted(self, mock: responses.RequestsMock, url: str) -> None:
        def callback(prepared: requests.PreparedRequest) -> Any:
            # `responses` keeps every request and response it serves; the journal is the mock's record
            mock.calls.reset()
            for route in mock.registered():
                route.calls.reset()
            hosted = self.backend.store.external_files.get(url)
            if hosted is None:  # forgotten by a reset
                return 404, {"Content-Type": "text/plain"}, b"" if prepared.method == "HEAD" else b"not hosted"
            return 200, {"Content-Type": hosted.content_type}, b"" if prepared.method == "HEAD" else hosted.content

        pattern = re.compile("^" + re.escape(url) + "$")
        for method in ("GET", "HEAD"):
            mock.add_callback(method, pattern, callback=callback)

    def start_recording(self, id_seed: int | None = None) -> int:
        """Records every state-changing request from now on; answers the id seed the replay will reuse."""
        return self.backend.start_recording(id_seed)

    def stop_recording(self) -> None:
        self.backend.recorder.stop()

    def recording(self) -> dict[str, Any]:
        """The recording so far, as a JSON-able document (no API keys in it)."""
        return self.backend.recorder.to_json()

    def replay(self, recording: dict[str, Any]) -> dict[str, int]:
        """Empties this mock and rebuilds the recorded state, same ids included."""
        return replay(self.backend, recording, self.handler)

    @property
    def requests(self) -> list[RecordedRequest]:
        """The request journal, oldest first."""
        return self.backend.journal.entries()

    def transitions(self) -> dict[str, dict[str, Any]]:
        return {kind: attrs.asdict(t) for kind, t in self.backend.tasks.transitions().items()}


def _forgetting_refusals(mock: responses.RequestsMock, handler: Handler) -> Callable[[HttpRequest], HttpResponse]:
    """`handler`, first dropping what `responses` kept of the requests it refused since: it keeps every
    one, and over a long run of a script that also calls other URLs that list would only grow (the
    journal is the mock's bounded record)."""
    calls = mock.calls

    def serve(request: HttpRequest) -> HttpResponse:
        if len(calls):
            calls.reset()
        return handler(request)

    return serve


def _origin(endpoint: str) -> str:
    parts = urlsplit(endpoint)
    if not parts.scheme or not parts.netloc:
        raise ValueError(f"endpoint {endpoint!r} is not an absolute URL")
    return f"{parts.scheme}://{parts.netloc}"
