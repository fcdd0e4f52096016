"""Both ways into the mock: in-process interception and the standalone server and CLI."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from requests.adapters import HTTPAdapter

import labelbox_lite as lb
from labelbox_lite.exceptions import AuthenticationError
from mockserver import MockLabelbox, RunningServer
from mockserver.backend import Backend
from mockserver.transports import server as server_module

ROOT = Path(__file__).resolve().parents[2]


def test_other_urls_are_refused_unless_passed_through(mock: MockLabelbox) -> None:
    with pytest.raises(requests.ConnectionError):
        requests.get("https://example.org/anything", timeout=5)


def test_passthrough_prefixes_reach_the_network_and_the_adapter_is_restored() -> None:
    """A listed prefix goes out for real (here to a loopback server); the API is still the mock's, and
    stopping puts requests' own adapter send back as it was."""
    original = HTTPAdapter.__dict__["send"]
    with RunningServer(Backend(["outside-key"])) as outside:
        with MockLabelbox(passthrough=[outside.url]) as mock:
            assert HTTPAdapter.__dict__["send"] is not original
            answer = requests.post(outside.graphql_url, json={"query": "{ user { id } }"}, timeout=5,
                                   headers={"Authorization": "Bearer outside-key"})
            assert answer.status_code == 200 and answer.json()["data"]["user"]["id"]
            assert outside.backend.journal.entries() and not mock.requests
            assert lb.Client(api_key=mock.api_key).get_user().uid and mock.requests
        assert HTTPAdapter.__dict__["send"] is original


def test_extra_endpoints_are_intercepted_too() -> None:
    with MockLabelbox(endpoints=["https://labelbox.internal.example/graphql"]) as mock:
        client = lb.Client(api_key=mock.api_key, endpoint="https://labelbox.internal.example/graphql")
        assert client.get_user().email == "user1@example.com"


def test_decorator_form() -> None:
    mock = MockLabelbox()

    @mock
    def script() -> str:
        return lb.Client(api_key="test-key").get_organization().name

    assert script() == "Mock Organization 1"


def test_missing_or_wrong_key(mock: MockLabelbox) -> None:
    with pytest.raises(AuthenticationError):
        lb.Client(api_key="wrong").get_user()
    answer = requests.post("https://api.labelbox.com/graphql", json={"query": "{user{id}}"}, timeout=5)
    assert answer.status_code == 401
    assert answer.json()["errors"][0]["extensions"]["code"] == "AUTHENTICATION_ERROR"
    env = {k: v for k, v in os.environ.items() if k != "LABELBOX_API_KEY"}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(os, "environ", env)
        with pytest.raises(AuthenticationError, match="not provided"):
            lb.Client()


def test_key_from_the_environment(mock: MockLabelbox, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABELBOX_API_KEY", mock.api_key)
    assert lb.Client().get_user().uid


def test_repeated_documents_are_parsed_once(mock: MockLabelbox, client: lb.Client) -> None:
    service = mock.backend.graphql
    client.get_user()
    hits = service.cache.hits
    for _ in range(5):
        client.get_user()
    assert service.cache.hits >= hits + 5


def test_graphql_errors_have_the_api_codes(mock: MockLabelbox) -> None:
    def ask(query: str) -> dict[str, Any]:
        answer: dict[str, Any] = requests.post("https://api.labelbox.com/graphql", json={"query": query},
                                               headers={"Authorization": "Bearer test-key"}, timeout=5).json()
        return answer

    assert ask("query {")["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    assert ask("query { nope }")["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    missing = ask('query { model(where: {id: "ghost"}) { id } }')
    assert missing["errors"][0]["extensions"]["code"] == "RESOURCE_NOT_FOUND" and "ghost" in missing["errors"][0]["message"]


def test_running_server_serves_the_same_handler(server: RunningServer, server_client: lb.Client) -> None:
    assert server.url.startswith("http://127.0.0.1:")
    assert server_client.get_user().email == "user1@example.com"
    assert requests.get(server.url + "/nowhere", timeout=5).status_code == 404


def test_a_server_stops_without_waiting_for_its_tick(monkeypatch: pytest.MonkeyPatch) -> None:
    """stop() wakes the serving loop: with its tick a minute long, a server holding a keep-alive connection
    still stops at once and closes that connection (uvicorn alone waits up to a tick, then 0.1 s more)."""
    monkeypatch.setattr(server_module, "_TICK_SECONDS", 60.0)
    session = requests.Session()
    with RunningServer(Backend(["k"])) as running:
        answer = session.post(running.graphql_url, json={"query": "{ user { id } }"}, timeout=5,
                              headers={"Authorization": "Bearer k"})
        assert answer.status_code == 200 and running.server.open_sockets()
        started = time.monotonic()
        running.stop()
        assert time.monotonic() - started < 10  # generous: a loaded machine; without the wake, 60 s
        assert not running.server.open_sockets()
        with pytest.raises(requests.ConnectionError):
            session.post(running.graphql_url, json={}, timeout=5)


def test_each_server_key_is_its_own_organisation() -> None:
    with RunningServer(Backend(["alpha", "beta"])) as server:
        alpha = lb.Client(api_key="alpha", endpoint=server.graphql_url)
        beta = lb.Client(api_key="beta", endpoint=server.graphql_url)
        assert alpha.get_organization().uid != beta.get_organization().uid


def test_cli_serve_prints_its_url_and_serves(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    process = subprocess.Popen(
        [sys.executable, "-m", "mockserver", "serve", "--port", "0", "--api-key", "k1", "--api-key", "k2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("labelbox-mock listening on http://127.0.0.1:")
        url = line.split()[3]
        for key in ("k1", "k2"):
            assert lb.Client(api_key=key, endpoint=url + "/graphql").get_user().uid
        with pytest.raises(AuthenticationError):
            lb.Client(api_key="test-key", endpoint=url + "/graphql").get_user()
    finally:
        process.terminate()
        process.communicate(timeout=10)  # waits and closes both pipes


def test_the_network_guard_blocks_non_loopback(monkeypatch: pytest.MonkeyPatch) -> None:
    from ..vendor import loopback_guard

    reached = []
    monkeypatch.setattr(loopback_guard, "_real_connect", lambda *args: reached.append(args))
    with socket.socket() as sock, pytest.raises(ConnectionRefusedError, match="only loopback"):
        sock.connect(("192.0.2.1", 80))  # TEST-NET-1; the guard refuses before any packet is sent
    assert reached == []


def test_a_body_sent_in_pieces_reaches_the_in_process_mock_whole(mock: MockLabelbox) -> None:
    raw = b'{"query": "query WhoAmIPyApi { user { id } }"}'
    answer = requests.post("https://api.labelbox.com/graphql", data=iter([raw[:10], raw[10:]]), timeout=5,
                           headers={"Authorization": "Bearer test-key", "Content-Type": "application/json"})
    assert answer.status_code == 200 and answer.json()["data"]["user"]["id"]
    assert mock.requests[-1].operation == "WhoAmIPyApi"


def test_refused_requests_are_not_kept(mock: MockLabelbox) -> None:
    """A refusal names what was refused and keeps nothing: over a long run nothing grows."""
    for _ in range(50):
        with pytest.raises(requests.ConnectionError, match="refused by MockLabelbox: GET https://example.org/"):
            requests.get("https://example.org/elsewhere", timeout=5)
    assert not mock.requests


@pytest.mark.parametrize("standalone", [False, True])
def test_a_head_on_a_file_names_the_length_its_get_has(standalone: bool) -> None:
    content = b"twelve bytes"
    if standalone:
        with RunningServer(Backend(["file-key"])) as server:
            url = lb.Client(api_key="file-key", endpoint=server.graphql_url).upload_data(content, sign=True)
            head = requests.head(url, timeout=5)
    else:
        with MockLabelbox() as mock:
            url = lb.Client(api_key=mock.api_key).upload_data(content, sign=True)
            head = requests.head(url, timeout=5)
    assert head.status_code == 200 and head.content == b""
    assert int(head.headers["Content-Length"]) == len(content)
