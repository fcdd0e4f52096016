"""The transport prepares a request as requests' Session.prepare_request would, without its per-call merge.

Same method, URL, headers and body for every shape of request the client
sends (JSON POSTs, multipart uploads, GETs of signed URLs); requests' own path
whenever cookies, auth, params or hooks are involved; a ~/.netrc entry still
applies, looked up once per URL.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

from labelbox_lite.transport import _Session, default_headers

JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                                          max_size=3), max_leaves=8)
URLS = st.sampled_from(["https://api.labelbox.com/graphql", "https://api.labelbox.com/_gql",
                        "http://127.0.0.1:8080/graphql?x=1", "https://storage.example/f/é%20x?sig=a+b"])


def _session(api_key: str = "secret") -> _Session:
    session = _Session()
    session.headers.update(default_headers(api_key))
    return session


def _comparable(prepared: requests.PreparedRequest) -> tuple[Any, ...]:
    """The prepared request as sent, with a multipart boundary (random per preparation) made fixed."""
    headers = dict(prepared.headers)
    body = prepared.body
    boundary = re.search(r"boundary=(\w+)", headers.get("Content-Type", ""))
    if boundary is not None and isinstance(body, bytes):
        body = body.replace(boundary.group(1).encode(), b"BOUNDARY")
        headers["Content-Type"] = headers["Content-Type"].replace(boundary.group(1), "BOUNDARY")
    return prepared.method, prepared.url, headers, body


@given(url=URLS, body=JSON_VALUES, variables=st.dictionaries(st.text(max_size=5), JSON_VALUES, max_size=3))
def test_a_json_post_is_prepared_as_requests_prepares_it(url: str, body: Any, variables: dict[str, Any]) -> None:
    request = requests.Request("POST", url, json={"query": body, "variables": variables})
    session = _session()
    assert _comparable(session.prepare(request)) == _comparable(session.prepare_request(request))


@given(url=URLS, content=st.binary(max_size=64), name=st.text(st.characters(codec="ascii", exclude_characters='"\r\n'),
                                                               min_size=1, max_size=10))
def test_a_multipart_upload_is_prepared_as_requests_prepares_it(url: str, content: bytes, name: str) -> None:
    request = requests.Request("POST", url, data={"operations": "{}", "map": "{}"},
                               files={"file": (name, content, "application/x-ndjson")},
                               headers={"Content-Type": None, "Accept": None})
    session = _session()
    fast, usual = session.prepare(request), session.prepare_request(request)
    assert _comparable(fast) == _comparable(usual)
    assert "Accept" not in fast.headers and fast.headers["Content-Type"].startswith("multipart/form-data")


@given(url=URLS)
def test_a_get_without_headers_is_prepared_as_requests_prepares_it(url: str) -> None:
    request = requests.Request("GET", url)
    session = _Session()
    assert _comparable(session.prepare(request)) == _comparable(session.prepare_request(request))


@pytest.mark.parametrize("setting", ["session cookie", "request cookie", "session auth", "params", "hook"])
def test_cookies_auth_params_or_hooks_take_requests_own_path(setting: str, monkeypatch: pytest.MonkeyPatch) -> None:
    session = _session()
    request = requests.Request("POST", "https://api.labelbox.com/graphql", json={"query": "{ a }"})
    if setting == "session cookie":
        session.cookies.set("c", "1")
    elif setting == "request cookie":
        request.cookies = {"c": "1"}
    elif setting == "session auth":
        session.auth = ("user", "pass")
    elif setting == "params":
        request.params = {"p": "1"}
    else:
        session.hooks["response"].append(lambda response, **_: response)
    calls: list[requests.Request] = []
    original = requests.Session.prepare_request
    def recording(self: requests.Session, req: requests.Request) -> requests.PreparedRequest:
        calls.append(req)
        return original(self, req)

    monkeypatch.setattr(requests.Session, "prepare_request", recording)
    prepared = session.prepare(request)
    assert calls == [request]
    if setting.endswith("cookie"):
        assert prepared.headers["Cookie"] == "c=1"


def test_a_netrc_entry_applies_and_is_read_once_per_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    netrc = tmp_path / "netrc"
    netrc.write_text("machine storage.example login someone password word\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    reads: list[str] = []
    original = requests.utils.get_netrc_auth
    def reading(url: str, *args: Any) -> tuple[str, str] | None:
        reads.append(url)
        return original(url, *args)

    monkeypatch.setattr(requests.utils, "get_netrc_auth", reading)
    session = _Session()
    url = "https://storage.example/file"
    for _ in range(3):
        prepared = session.prepare(requests.Request("GET", url))
        assert prepared.headers["Authorization"] == "Basic " + base64.b64encode(b"someone:word").decode()
    assert reads == [url]
    assert "Authorization" not in session.prepare(requests.Request("GET", "https://elsewhere.example/f")).headers
    session.trust_env = False
    assert "Authorization" not in session.prepare(requests.Request("GET", "https://storage.example/other")).headers
