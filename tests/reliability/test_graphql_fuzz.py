"""schemathesis against the standalone server: documents generated from the SDL never get a 5xx.

Skipped when schemathesis is not installed (it comes with the `test` extra).
Beyond the status, every answer must be JSON whose errors all carry
`extensions.code`, and none may be the INTERNAL_SERVER_ERROR/500 the mock
gives when a resolver raised something it did not expect: that is a bug.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mockserver import RunningServer
from mockserver.api.service import load_sdl
from mockserver.backend import Backend

from ..support import standard_seed

pytestmark = pytest.mark.slow  # tox -e slow, with the Hypothesis profile's number of examples

schemathesis = pytest.importorskip("schemathesis")
graphql_nodes = pytest.importorskip("hypothesis_graphql.nodes")

def _register_scalars() -> None:
    """Values for the custom scalars of the SDL, as schemathesis needs them spelt out."""
    nodes = graphql_nodes
    text = st.text(max_size=20)
    plain = st.one_of(text.map(nodes.String), st.integers(-(2**31), 2**31 - 1).map(nodes.Int), st.just(nodes.Null))
    schemathesis.graphql.scalar("Json", plain)
    schemathesis.graphql.scalar("DateTime", st.one_of(st.just(nodes.String("2024-01-02T03:04:05.678Z")),
                                                      text.map(nodes.String)))
    schemathesis.graphql.scalar("UInt64", st.integers(-5, 2**64 + 5).map(nodes.Int))
    schemathesis.graphql.scalar("Upload", st.just(nodes.Null))


@pytest.fixture(scope="module")
def server() -> Iterator[RunningServer]:
    with RunningServer(Backend()) as running:
        running.backend.seed(standard_seed(4))
        yield running


def _strategy() -> Any:
    _register_scalars()
    return schemathesis.graphql.from_file(load_sdl()).as_strategy()


@settings(deadline=None, suppress_health_check=list(HealthCheck))
@given(case=st.deferred(_strategy))
def test_generated_documents_get_clean_answers(server: RunningServer, case: Any) -> None:
    session = _session(server)
    response = session.post(server.graphql_url, json={"query": case.body}, timeout=10)
    assert response.status_code < 500, (case.body, response.text[:500])
    payload = response.json()
    assert "data" in payload or "errors" in payload
    for error in payload.get("errors") or []:
        extensions = error["extensions"]
        unexpected = extensions["code"] == "INTERNAL_SERVER_ERROR" and extensions.get("exception", {}).get(
            "status") == 500
        assert not unexpected, (case.body, error["message"])


def test_the_server_is_still_up_after_the_fuzzing(server: RunningServer) -> None:
    response = _session(server).post(server.graphql_url, json={"query": "{ user { id } }"}, timeout=10)
    assert response.status_code == 200 and response.json()["data"]["user"]["id"]


_sessions: dict[str, requests.Session] = {}


def _session(server: RunningServer) -> requests.Session:
    """One keep-alive session per server, so the examples run at loopback speed."""
    if server.url not in _sessions:
        session = requests.Session()
        session.headers["Authorization"] = "Bearer test-key"
        _sessions[server.url] = session
    return _sessions[server.url]
