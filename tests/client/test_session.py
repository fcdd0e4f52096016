"""`Client(session=...)`: calls go out through a requests Session the caller built, with the client's
key, headers, timeouts and retries still applied, and the session left as it was given."""

from __future__ import annotations

from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st
from requests.adapters import HTTPAdapter

import labelbox_lite as lb
from labelbox_lite.exceptions import AuthenticationError, NetworkError
from mockserver import MockLabelbox

from ..support import FakeTime

ORIGINAL_SEND = HTTPAdapter.__dict__["send"]


class Seen(HTTPAdapter):
    """A user's adapter (a proxy's, a CA's): records what it was asked to send, then sends it."""

    def __init__(self, inner: HTTPAdapter) -> None:
        super().__init__()
        self.inner = inner
        self.sent: list[tuple[requests.PreparedRequest, Any]] = []
        self.closed = False

    def send(self, request: requests.PreparedRequest, stream: bool = False, timeout: Any = None,
             verify: Any = True, cert: Any = None, proxies: Any = None) -> requests.Response:
        self.sent.append((request, timeout))
        return self.inner.send(request, stream=stream, timeout=timeout, verify=verify, cert=cert, proxies=proxies)

    def close(self) -> None:
        self.closed = True


def _session(mock: MockLabelbox, headers: dict[str, str] | None = None) -> tuple[requests.Session, Seen]:
    """A session of the caller's own, its adapter reaching `mock` through the mock's adapter (no patching)."""
    session = requests.Session()
    session.headers.update(headers or {})
    seen = Seen(mock.session().get_adapter("https://api.labelbox.com"))  # type: ignore[arg-type]
    session.mount("https://", seen)
    return session, seen


def _client(session: requests.Session, key: str = "test-key", timeout: float = 60.0) -> lb.Client:
    fake = FakeTime()
    return lb.Client(api_key=key, session=session, timeout=timeout,
                     retry=lb.RetryPolicy(sleep=fake.sleep, clock=fake.clock))


def test_calls_go_through_the_callers_session_with_the_clients_key_and_timeout() -> None:
    mock = MockLabelbox()  # never started: the session is the only way in
    session, seen = _session(mock)
    client = _client(session, timeout=12.5)
    assert client.get_user().email == "user1@example.com"
    request, timeout = seen.sent[-1]
    assert request.headers["Authorization"] == "Bearer test-key" and timeout == 12.5
    assert "Authorization" not in session.headers  # the caller's session is left as it was
    assert HTTPAdapter.__dict__["send"] is ORIGINAL_SEND and not mock.active


def test_one_session_serves_clients_of_different_organisations() -> None:
    mock = MockLabelbox("alpha", api_keys=["beta"])
    session, _seen = _session(mock)
    alpha, beta = _client(session, "alpha"), _client(session, "beta")
    assert alpha.get_organization().uid != beta.get_organization().uid
    with pytest.raises(AuthenticationError):
        _client(session, "gamma").get_user()


def test_closing_the_client_leaves_the_session_open() -> None:
    session, seen = _session(MockLabelbox())
    with _client(session) as client:
        client.get_user()
    assert not seen.closed
    assert _client(session).get_user().uid


def test_uploads_and_downloads_go_through_it_too() -> None:
    """A multipart upload (its Content-Type set by requests, not the client's JSON one), then the signed
    URL read back through the same session, without the API key."""
    mock = MockLabelbox()
    session, seen = _session(mock)
    client = _client(session)
    url = client.upload_data(b"hello", filename="a.txt", content_type="text/plain")
    upload = seen.sent[-1][0]
    assert str(upload.headers["Content-Type"]).startswith("multipart/form-data")
    answer = session.get(url, timeout=5)
    assert answer.content == b"hello"
    assert "Authorization" not in seen.sent[-1][0].headers


def test_the_clients_retries_still_apply() -> None:
    mock = MockLabelbox()
    mock.inject_fault("GetUser", times=2, status=503)
    session, seen = _session(mock)
    _client(session).execute("query GetUser { user { id } }")
    assert len(seen.sent) == 3


def test_a_url_the_mock_does_not_serve_is_refused_without_the_key_in_the_error() -> None:
    session, _seen = _session(MockLabelbox())
    client = lb.Client(api_key="test-key", endpoint="https://elsewhere.example/graphql", session=session)
    with pytest.raises(NetworkError, match="refused by MockLabelbox") as failure:
        client.get_user()
    assert "test-key" not in repr(failure.value.__cause__.request.headers)  # type: ignore[union-attr]


@given(header=st.from_regex(r"X-[A-Z][a-z]{1,8}", fullmatch=True), value=st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True),
       timeout=st.floats(0.5, 300, allow_nan=False))
def test_the_callers_headers_and_the_clients_travel_together(header: str, value: str, timeout: float) -> None:
    session, seen = _session(MockLabelbox(), {header: value, "Authorization": "Bearer not-the-client's"})
    _client(session, timeout=timeout).get_user()
    request, sent_timeout = seen.sent[-1]
    assert request.headers[header] == value  # the caller's own header goes out
    assert request.headers["Authorization"] == "Bearer test-key"  # the client's key wins over the session's
    assert sent_timeout == timeout
    assert session.headers["Authorization"] == "Bearer not-the-client's"  # and the session is unchanged
