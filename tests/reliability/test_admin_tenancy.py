"""The admin API of a shared mock (issue 15): each route acts on the organisation of its Bearer key only;
the whole mock needs the admin token; a keyless or other-tenant call reads, changes or resets nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from mockserver import MockLabelbox, RunningServer
from mockserver.backend import Backend
from mockserver.cli import build_parser, serve_backend
from mockserver.clock import tenant_scope
from mockserver.state.errors import InvalidInput

from ..support import ADMIN_TOKEN, standard_seed
from .conftest import OTHER, Target

GET_USER = b'{"query": "query GetUserPyApi { user { id } }"}'

TENANT_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/_mock/seed", {"ontologies": [{"name": "o"}]}),
    ("POST", "/_mock/reset", None),
    ("GET", "/_mock/state", None),
    ("POST", "/_mock/transitions", {"kind": "*", "progression": "reads", "times": 2}),
    ("DELETE", "/_mock/transitions", None),
    ("POST", "/_mock/faults", {"status": 500}),
    ("GET", "/_mock/faults", None),
    ("DELETE", "/_mock/faults", None),
    ("DELETE", "/_mock/faults/cnosuchfault", None),
    ("GET", "/_mock/requests", None),
    ("GET", "/_mock/requests?after=0&limit=10", None),
    ("POST", "/_mock/clock", {"advance": 10}),
    ("POST", "/_mock/files", {"url": "https://example.com/x.ndjson", "content": "{}"}),
    # the dashboard's read-only views
    ("GET", "/_mock/tasks", None),
    ("GET", "/_mock/imports", None),
    ("GET", "/_mock/transitions", None),
    ("GET", "/_mock/clock", None),
    ("POST", "/_mock/recording", {}),
    ("GET", "/_mock/recording", None),
    ("DELETE", "/_mock/recording", None),
    ("POST", "/_mock/replay", {"version": 2, "id_seed": None, "calls": []}),
]
ADMIN_ROUTES: list[tuple[str, str, dict[str, Any] | None]] = [
    ("POST", "/_mock/export-chunking", {"chunk_bytes": 1000}),
]



def _orgs(target: Target, api_key: str | None) -> list[dict[str, Any]]:
    response = target.admin("GET", "/_mock/state", api_key=api_key)
    assert response.status_code == 200, response.text
    orgs: list[dict[str, Any]] = response.json()["organizations"]
    return orgs


@pytest.mark.parametrize(("method", "path", "body"), TENANT_ROUTES + ADMIN_ROUTES)
@pytest.mark.parametrize("api_key", [None, "", "not-a-key", "TEST-KEY"])
def test_every_admin_route_refuses_a_missing_or_unknown_key(shared: Target, method: str, path: str, body: Any,
                                                             api_key: str | None) -> None:
    shared.backend.seed(standard_seed(1))
    before = shared.backend.dump()
    response = shared.admin(method, path, body, api_key=api_key)
    assert response.status_code == 401
    assert "Authentication failed" in response.json()["error"]
    assert shared.backend.dump() == before


def test_a_non_bearer_header_is_no_key(shared: Target) -> None:
    response = shared.http.post(shared.origin + "/_mock/seed", json={"ontologies": [{"name": "o"}]},
                                headers={"Authorization": "Basic dGVzdC1rZXk6"}, timeout=10)
    assert response.status_code == 401
    assert all(not org["ontologies"] for org in shared.backend.dump()["organizations"])


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_ROUTES)
def test_server_wide_routes_need_the_admin_token(shared: Target, method: str, path: str, body: Any) -> None:
    refused = shared.admin(method, path, body)
    assert refused.status_code == 403 and "admin token" in refused.json()["error"]
    assert shared.admin(method, path, body, api_key=ADMIN_TOKEN).status_code == 200


def test_state_and_seed_are_per_organisation(shared: Target) -> None:
    mine = shared.admin("POST", "/_mock/seed", standard_seed(2)).json()
    theirs = shared.admin("POST", "/_mock/seed", {"ontologies": [{"name": "theirs"}]}, api_key=OTHER).json()
    [own] = _orgs(shared, "test-key")
    [other] = _orgs(shared, OTHER)
    assert set(own["models"]) == set(mine["models"]) and not other["models"]
    assert list(other["ontologies"]) == [theirs["ontologies"][0]["id"]]
    assert len(_orgs(shared, ADMIN_TOKEN)) == 2  # the admin dumps the whole mock


def test_a_reset_empties_only_the_callers_organisation(shared: Target) -> None:
    shared.admin("POST", "/_mock/seed", standard_seed(2))
    shared.admin("POST", "/_mock/seed", standard_seed(1), api_key=OTHER)
    assert shared.admin("POST", "/_mock/reset", api_key=OTHER).status_code == 200
    assert _orgs(shared, "test-key")[0]["models"] and not _orgs(shared, OTHER)[0]["models"]
    assert shared.admin("POST", "/_mock/reset", api_key=ADMIN_TOKEN).status_code == 200
    assert not _orgs(shared, "test-key")[0]["models"]


def test_the_journal_shows_only_the_callers_requests(shared: Target) -> None:
    shared.post_graphql(GET_USER, api_key=OTHER)
    shared.post_graphql(GET_USER, api_key="not-a-key")  # refused: journaled for nobody
    assert shared.admin("GET", "/_mock/requests").json() == []
    assert [entry["operation"] for entry in shared.admin("GET", "/_mock/requests", api_key=OTHER).json()] == [
        "GetUserPyApi"]
    assert len(shared.admin("GET", "/_mock/requests", api_key=ADMIN_TOKEN).json()) == 1


def test_another_key_pages_none_of_the_journal_and_deletes_none_of_the_faults(shared: Target) -> None:
    shared.post_graphql(GET_USER)
    shared.post_graphql(GET_USER, api_key=OTHER)
    mine = shared.admin("POST", "/_mock/faults", {"operation": "*", "status": 503}).json()["id"]
    own = shared.admin("GET", "/_mock/requests?after=0").json()["entries"]
    assert len(own) == 1
    for after in (0, own[0]["seq"] - 1):
        theirs = shared.admin("GET", f"/_mock/requests?after={after}", api_key=OTHER).json()["entries"]
        assert [entry["seq"] for entry in theirs] == [own[0]["seq"] + 1]
    assert shared.admin("DELETE", f"/_mock/faults/{mine}", api_key=OTHER).status_code == 404
    assert [fault["id"] for fault in shared.admin("GET", "/_mock/faults").json()] == [mine]
    assert shared.admin("DELETE", f"/_mock/faults/{mine}").status_code == 200
    assert shared.post_graphql(GET_USER).status_code == 200


def test_faults_fire_only_for_their_tenant(shared: Target) -> None:
    shared.admin("POST", "/_mock/faults", {"operation": "*", "times": 3, "status": 503}, api_key=OTHER)
    assert shared.post_graphql(GET_USER).status_code == 200
    assert shared.admin("GET", "/_mock/faults").json() == []
    shared.admin("DELETE", "/_mock/faults")  # clears only test-key's (none)
    assert shared.post_graphql(GET_USER, api_key=OTHER).status_code == 503


def test_the_clock_moves_per_organisation(shared: Target) -> None:
    mine = shared.admin("POST", "/_mock/clock", {"advance": 0}).json()["now"]
    theirs = shared.admin("POST", "/_mock/clock", {"advance": 86_400}, api_key=OTHER).json()["now"]
    assert theirs - mine >= 86_400
    assert shared.admin("POST", "/_mock/clock", {"advance": 0}).json()["now"] - mine < 3600


def test_transitions_are_per_organisation(shared: Target) -> None:
    shared.admin("POST", "/_mock/transitions", {"kind": "*", "outcome": "FAILED", "error": "theirs"}, api_key=OTHER)
    assert shared.admin("GET", "/_mock/state").json()["transitions"] == {}
    assert shared.admin("GET", "/_mock/state", api_key=OTHER).json()["transitions"]["*"]["outcome"] == "FAILED"
    shared.admin("DELETE", "/_mock/transitions")  # test-key's: theirs stays
    assert shared.admin("GET", "/_mock/state", api_key=OTHER).json()["transitions"]


def test_hosted_files_are_per_organisation(shared: Target) -> None:
    url = "https://example.com/preds.ndjson"
    assert shared.admin("POST", "/_mock/files", {"url": url, "content": "rows"}, api_key=OTHER).status_code == 200
    backend = shared.backend
    other_org, my_org = backend.store.org_for_key(OTHER), backend.store.org_for_key("test-key")
    assert other_org is not None and my_org is not None
    with tenant_scope(other_org.id):
        assert backend.files.read(url) == b"rows"
    with tenant_scope(my_org.id), pytest.raises(InvalidInput, match="no network calls"):
        backend.files.read(url)
    shared.admin("POST", "/_mock/reset", api_key=OTHER)
    assert not backend.store.tenant_files  # the reset freed them


def test_the_admin_token_must_be_long() -> None:
    with pytest.raises(ValueError, match="at least 16"):
        Backend(admin_token="short")


def test_in_process_steering_still_acts_on_the_whole_mock() -> None:
    with MockLabelbox(api_keys=["test-key", OTHER]) as mock:
        mock.seed(standard_seed(1))
        mock.seed(standard_seed(1), api_key=OTHER)
        assert len(mock.state()["organizations"]) == 2
        mock.reset()
        assert all(not org["models"] for org in mock.state()["organizations"])


def test_serve_takes_keys_and_the_admin_token_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LABELBOX_MOCK_API_KEYS", " env-one ,env-two,")
    monkeypatch.setenv("LABELBOX_MOCK_ADMIN_TOKEN", ADMIN_TOKEN)
    backend = serve_backend(build_parser().parse_args(["serve", "--api-key", "flag-key"]))
    assert all(backend.knows_key(key) for key in ("flag-key", "env-one", "env-two"))
    assert not backend.knows_key("test-key") and backend.is_admin(ADMIN_TOKEN)
    monkeypatch.delenv("LABELBOX_MOCK_API_KEYS")
    monkeypatch.delenv("LABELBOX_MOCK_ADMIN_TOKEN")
    plain = serve_backend(build_parser().parse_args(["serve"]))
    assert plain.knows_key("test-key") and not plain.is_admin(ADMIN_TOKEN)


# -- authentication first; one tenant's lock is not another's ---------------------------------------

def test_a_keyless_request_is_refused_before_its_body_is_read(shared: Target, monkeypatch: pytest.MonkeyPatch) -> None:
    def never(_query: str) -> Any:
        raise AssertionError("a keyless request reached the GraphQL parser")

    monkeypatch.setattr(shared.backend.graphql, "_prepare_uncached", never)
    bomb = ("{ ...F0 }\n" + "".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}\n" for i in range(30))
            + "fragment F30 on Query { user { id } }")
    for body in (json.dumps({"query": bomb}).encode(), b"\xff not json", b'{"query": "' + b"a" * 200_000 + b'"}'):
        for api_key in ("", "not-a-key"):
            assert shared.post_graphql(body, api_key=api_key).status_code == 401


def test_a_tenant_holding_its_lock_does_not_stall_another(fake_time: Any) -> None:
    # standalone only: in-process, requests run on the test's own thread, where the held lock is re-entrant
    with RunningServer(Backend(["test-key", OTHER])) as server:
        shared = Target("standalone", server.backend, server.url, fake_time)
        mine = shared.backend.store.org_for_key("test-key")
        assert mine is not None
        # the test thread plays a tenant's long request (a big import, a state dump) by holding its lock;
        # with one lock for all, each call below would wait out its timeout and fail
        with shared.backend.store.org_lock(mine.id):
            assert shared.post_graphql(GET_USER, api_key=OTHER).status_code == 200
            assert shared.admin("POST", "/_mock/seed", {"ontologies": [{"name": "o"}]}, api_key=OTHER).status_code == 200
            assert len(shared.admin("GET", "/_mock/state", api_key=OTHER).json()["organizations"]) == 1
