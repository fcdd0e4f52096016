"""Proxy and CA-bundle settings from the environment: honoured, and read once per URL per Client."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
import requests

import labelbox_lite as lb
from labelbox_lite.transport import _Session

URL = "https://api.labelbox.com/graphql"
ENVIRONMENT = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


def settings(session: _Session, url: str = URL) -> dict[str, Any]:
    return session.merge_environment_settings(url, {}, None, None, None)  # type: ignore[no-any-return]


def test_proxy_and_ca_bundle_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/corporate-ca.pem")
    found = settings(_Session())
    assert found["proxies"]["https"] == "http://proxy.internal:3128"
    assert found["verify"] == "/etc/corporate-ca.pem"


def test_no_proxy_bypasses_the_proxy_for_its_hosts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    monkeypatch.setenv("NO_PROXY", "api.labelbox.com")
    session = _Session()
    assert "https" not in settings(session)["proxies"]
    assert settings(session, "https://elsewhere.example/graphql")["proxies"]["https"] == "http://proxy.internal:3128"


def test_settings_are_read_at_the_first_request_to_a_url_and_kept(monkeypatch: pytest.MonkeyPatch) -> None:
    session = _Session()
    assert "https" not in settings(session)["proxies"]
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    assert "https" not in settings(session)["proxies"]  # this session keeps what it read
    assert settings(_Session())["proxies"]["https"] == "http://proxy.internal:3128"  # a new one reads afresh


def test_a_callers_own_settings_take_requests_usual_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    session = _Session()
    settings(session)
    explicit = session.merge_environment_settings(URL, {"https": "http://mine:8080"}, None, False, None)
    assert explicit["proxies"]["https"] == "http://mine:8080"
    assert explicit["verify"] is False


def test_the_kept_proxies_are_not_shared_with_a_caller_that_alters_them(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.internal:3128")
    session = _Session()
    settings(session)["proxies"]["https"] = "http://changed:1"
    assert settings(session)["proxies"]["https"] == "http://proxy.internal:3128"


class _RecordingProxy(BaseHTTPRequestHandler):
    """A forward proxy that answers every request itself and records the request target."""

    protocol_version = "HTTP/1.1"
    seen: list[str] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.seen.append(self.path)
        body = json.dumps({"data": {"model": {"id": "m1", "name": "via proxy", "ontologyId": "o1"}}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


@pytest.fixture
def proxy() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []
    handler = type("Handler", (_RecordingProxy,), {"seen": seen})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def test_a_client_sends_through_the_environments_proxy(monkeypatch: pytest.MonkeyPatch,
                                                       proxy: tuple[str, list[str]]) -> None:
    proxy_url, seen = proxy
    monkeypatch.setenv("HTTP_PROXY", proxy_url)
    endpoint = "http://labelbox.test/graphql"  # never resolved: the proxy answers for it
    with lb.Client(api_key="key", endpoint=endpoint) as client:
        assert client.get_model("m1").name == "via proxy"
        assert client.get_model("m1").name == "via proxy"
    assert seen == [endpoint, endpoint]  # a forward proxy is sent the absolute URL, every time


def test_a_client_reads_the_environment_once_per_url(monkeypatch: pytest.MonkeyPatch) -> None:
    from mockserver import MockLabelbox

    reads: list[str] = []
    original = requests.Session.merge_environment_settings

    def counting(self: requests.Session, url: Any, *args: Any) -> Any:
        reads.append(url)
        return original(self, url, *args)

    monkeypatch.setattr(requests.Session, "merge_environment_settings", counting)
    with MockLabelbox() as mock:
        client = lb.Client(api_key=mock.api_key)
        for _ in range(3):
            client.get_user()
    assert reads == [URL]  # read at the first request, kept for the next two
