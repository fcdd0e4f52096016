"""MockLabelbox: the mock in-process, answering `requests` at its adapter's send.

While it runs, its `Mount` is one of those the process's interceptor
(interceptor.py) routes to: the API on its origins (GraphQL, REST, signed files
and admin routes) for its keys, the files it hosts, and its passthrough
prefixes; any other URL is refused. Any number of mocks may run at once, started
and stopped in any order.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar

import requests

from ..backend import DEFAULT_API_KEY, Backend
from ..control.commands import COMMANDS, Caller
from ..control.journal import RecordedRequest
from ..control.steering import SteeringMethods
from ..http.admin import Steering
from ..http.handler import Handler
from ..http.ui import UI_PATH
from .interceptor import INTERCEPTOR, MockAdapter, Mount, origins_of

if TYPE_CHECKING:
    from .server import RunningServer

DEFAULT_ENDPOINTS = (
    "https://api.labelbox.com/graphql",
    "https://api.labelbox.com/_gql",
    "https://api.labelbox.com/api/v1",
)

F = TypeVar("F", bound=Callable[..., Any])


class MockLabelbox(SteeringMethods):
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
        self.handler = Handler(self.backend, measures_cost=False)  # nothing answers it inline
        self.endpoints = tuple(DEFAULT_ENDPOINTS) + tuple(endpoints)
        self._mount = Mount(origins_of(self.endpoints), self.backend, self.handler, tuple(passthrough))
        self._lock = threading.Lock()  # start, stop and the page's server
        self._ui_server: RunningServer | None = None
        self.seeded: dict[str, Any] = {}  # what seeds loaded through the pytest plugin created

    def __repr__(self) -> str:
        return f"<MockLabelbox endpoints={len(self.endpoints)} active={self.active}>"

    # -- lifecycle -------------------------------------------------------
    @property
    def active(self) -> bool:
        """Whether this mock is running (answering requests in this process)."""
        return INTERCEPTOR.running(self._mount)

    def start(self) -> MockLabelbox:
        """Answers this mock's origins from now on; starting a running mock does nothing."""
        with self._lock:
            self._mount.hosted.update(self.backend.store.external_files)
            INTERCEPTOR.add(self._mount)
        return self

    def stop(self) -> None:
        """Stops answering; other running mocks go on, and after the last requests is as it was.
        Stopping a stopped mock does nothing."""
        with self._lock:
            INTERCEPTOR.remove(self._mount)
            if self._ui_server is not None:
                self._mount.passthrough = tuple(p for p in self._mount.passthrough if p != self._ui_server.url)
                self._ui_server.stop()
                self._ui_server = None

    def session(self) -> requests.Session:
        """A requests Session answered by this mock through an adapter of its own, started or not, and
        without patching anything: for `labelbox_lite.Client(session=...)` and other code taking a Session.
        Other URLs are refused unless under `passthrough`, as in-process."""
        session = requests.Session()
        adapter = MockAdapter(self._mount)
        session.mount("https://", adapter)
        session.mount("http://", adapter)
        return session

    def serve_ui(self, port: int = 0, open_browser: bool = False) -> str:
        """Serves this mock's backend on loopback too, so a browser can show its dashboard; answers the page's URL.

        The server shares this mock's state (it is the same Backend) and stops with `stop()`.
        """
        with self._lock:
            if self._ui_server is None:
                from .server import RunningServer

                self._ui_server = RunningServer(self.backend, "127.0.0.1", port).start()
                # requests in this process may reach the page's server too
                self._mount.passthrough = (*self._mount.passthrough, self._ui_server.url)
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

    # -- steering (the methods are SteeringMethods', one per command of control/commands.py) ----------
    def _steer(self, name: str, args: dict[str, Any] | None = None, api_key: str | None = None) -> Any:
        """Runs a command as its admin route would for the whole mock (what in-process code may do),
        its arguments checked as the route checks a body."""
        command = COMMANDS[name]
        checked = command.validated(args or {})
        answer = command.apply(Steering(self.backend, self.handler), Caller(None, api_key or self.api_key), checked)
        return command.result(answer)

    def add_api_key(self, api_key: str) -> None:
        """Another organisation, reachable with `api_key`."""
        self.backend.add_api_key(api_key)

    def host_file(self, url: str, content: bytes | str, content_type: str = "application/octet-stream") -> None:
        """Serves `content` at `url`: to imports that name it, and to GET/HEAD from this process.

        The mock never fetches from outside; a client that checks the URL first
        (the Labelbox SDK sends a HEAD) finds it here.
        """
        super().host_file(url, content, content_type)
        self._mount.hosted.add(url)

    @property
    def requests(self) -> list[RecordedRequest]:
        """The request journal, oldest first (the entries themselves: no JSON round trip in-process)."""
        return self.backend.journal.entries()
