"""What a third-party requests user sees, in-process as over loopback: urllib3 status retries, reading answers.

Over a socket urllib3's connection pool re-sends a request whose answer has a
status in `status_forcelist` (for a method it may retry) until the budget runs
out, then raises `RetryError` or hands back the last answer. The in-process
transport must do the same, counted in requests that reached the mock: a
script's behaviour cannot depend on which transport its tests use. Nothing
here sleeps: no backoff factor, and no Retry-After is sent.
"""

from __future__ import annotations

import io
import json
import pickle

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from requests.adapters import HTTPAdapter
from requests.cookies import RequestsCookieJar
from urllib3.util.retry import Retry

from mockserver.control.faults import Fault

from .conftest import Target

QUERY = {"query": "query WhoAmIPyApi { user { id } }"}


def _session(retry: Retry) -> requests.Session:
    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(failures=st.integers(0, 4), budget=st.integers(0, 3), raise_on_status=st.booleans(),
       post_allowed=st.booleans(), status=st.sampled_from([500, 502, 503, 504]))
def test_status_retries_match_urllib3s_budget(target: Target, failures: int, budget: int, raise_on_status: bool,
                                              post_allowed: bool, status: int) -> None:
    target.backend.faults.clear()
    if failures:
        target.backend.faults.add(Fault(operation="WhoAmIPyApi", times=failures, status=status))
    retry = Retry(total=budget, status_forcelist=[status], backoff_factor=0, raise_on_status=raise_on_status,
                  allowed_methods=frozenset({"POST"}) if post_allowed else Retry.DEFAULT_ALLOWED_METHODS)
    before = len(target.backend.journal.entries())

    outcome: requests.Response | Exception
    try:
        outcome = _session(retry).post(target.endpoint, json=QUERY, timeout=10,
                                       headers={"Authorization": "Bearer test-key"})
    except requests.exceptions.RetryError as error:
        outcome = error

    retried = budget if post_allowed else 0
    sent = len(target.backend.journal.entries()) - before
    assert sent == min(failures, retried) + 1
    if failures <= retried:
        assert isinstance(outcome, requests.Response) and outcome.status_code == 200
        assert outcome.json()["data"]["user"]["id"]
    elif post_allowed and raise_on_status:
        assert isinstance(outcome, requests.exceptions.RetryError)
        assert f"too many {status} error responses" in str(outcome)
    else:  # out of budget without raising, or never retried: the failing answer comes back as it is
        assert isinstance(outcome, requests.Response) and outcome.status_code == status
    assert sum(fault.times for fault in target.backend.faults.pending()) == max(failures - sent, 0)


@pytest.mark.parametrize("stream", [False, True])
def test_an_answer_reads_the_same_whole_or_streamed(target: Target, stream: bool) -> None:
    """Content, iter_content, raw reads and the response's attributes, as requests gives them from a socket."""
    answer = requests.post(target.endpoint, json=QUERY, timeout=10, stream=stream,
                           headers={"Authorization": "Bearer test-key"})
    assert answer.status_code == 200 and answer.reason == "OK" and answer.ok
    assert answer.headers["content-type"].startswith("application/json")
    assert answer.url == target.endpoint and answer.request.method == "POST"
    pieces = b"".join(answer.iter_content(7))  # a streamed body can be read this once only
    assert json.loads(pieces)["data"]["user"]["id"]
    assert isinstance(answer.cookies, RequestsCookieJar) and not answer.cookies  # the mock sets none
    assert answer.raw.read() == b""  # read out, whole or streamed
    if not stream:
        assert answer.content == pieces and answer.json() == json.loads(pieces)
        copy = pickle.loads(pickle.dumps(answer))
        assert copy.content == pieces and copy.status_code == 200 and isinstance(copy.cookies, RequestsCookieJar)


def test_a_streamed_answer_is_read_from_raw_as_urllib3s(target: Target) -> None:
    """`stream=True` and `raw.read(decode_content=True)`, the way many scripts download a file."""
    answer = requests.post(target.endpoint, json=QUERY, timeout=10, stream=True,
                           headers={"Authorization": "Bearer test-key"})
    with answer:
        data = answer.raw.read(decode_content=True)
    assert json.loads(data)["data"]["user"]["id"]


def test_a_body_given_as_a_file_is_read_whole(target: Target) -> None:
    raw = json.dumps(QUERY).encode()
    answer = requests.post(target.endpoint, data=io.BytesIO(raw), timeout=10,
                           headers={"Authorization": "Bearer test-key", "Content-Type": "application/json"})
    assert answer.status_code == 200 and answer.json()["data"]["user"]["id"]


def test_headers_given_as_bytes_are_read_as_on_the_wire(target: Target) -> None:
    answer = requests.post(target.endpoint, json=QUERY, timeout=10,
                           headers={b"Authorization": b"Bearer test-key",  # type: ignore[dict-item]  # bytes names: requests takes them
                                    "X-Note": "caf\xe9".encode("latin-1")})
    assert answer.status_code == 200 and answer.json()["data"]["user"]["id"]
