"""Paging the request journal (GET /_mock/requests?after=<seq>) and deleting one fault
(DELETE /_mock/faults/<id>): what the dashboard polls and its per-row buttons call."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver import Backend
from mockserver.control.faults import Fault
from mockserver.control.journal import Journal, RecordedRequest
from mockserver.http.handler import Handler
from mockserver.http.messages import HttpRequest

KEY, OTHER, ADMIN = "test-key", "other-key", "admin-token-of-this-mock"
GET_USER = b'{"query": "query GetUserPyApi { user { id } }"}'


def _call(handler: Handler, method: str, path: str, key: str = KEY, body: Any = None) -> tuple[int, Any]:
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    payload = json.dumps(body).encode() if body is not None else b""
    response = handler(HttpRequest(method, "http://127.0.0.1" + path, headers, payload))
    return response.status, json.loads(response.body_bytes())


def _graphql(handler: Handler, key: str, times: int = 1) -> None:
    for _ in range(times):
        handler(HttpRequest("POST", "http://127.0.0.1/graphql",
                            {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}, GET_USER))


@pytest.fixture
def handler() -> Handler:
    return Handler(Backend([KEY, OTHER], admin_token=ADMIN))


def _entry(tenant: str | None) -> RecordedRequest:
    return RecordedRequest("POST", "/graphql", "Op", None, 200, tenant=tenant)


# -- the journal's cursor ---------------------------------------------------------------------

@given(st.lists(st.one_of(st.sampled_from(["a", "b"]), st.integers(1, 5)), max_size=60))
def test_paging_with_any_page_sizes_while_requests_arrive_yields_each_entry_once_in_order(steps: list[Any]) -> None:
    """Steps record an entry for tenant a or b (a string) or read a page of a's entries (a limit)."""
    journal = Journal()
    seen: list[int] = []
    cursor = 0
    for step in [*steps, 10_000]:  # the last read catches up
        if isinstance(step, str):
            journal.record(_entry(step))
            continue
        page = journal.page("a", cursor, step)
        assert not page.reset and len(page.entries) <= step
        seen.extend(entry.seq for entry in page.entries)
        cursor = page.last_seq
        assert page.more == (len(journal.page("a", cursor).entries) > 0)
    assert seen == [entry.seq for entry in journal.entries("a")]
    assert seen == sorted(set(seen))


@given(st.lists(st.sampled_from(["a", "b"]), max_size=30), st.lists(st.integers(0, 40), max_size=10),
       st.integers(1, 50))
def test_any_cursor_answers_the_entries_after_it(tenants: list[str], cursors: list[int], limit: int) -> None:
    journal = Journal()
    for tenant in tenants:
        journal.record(_entry(tenant))
    for cursor in cursors:
        for reader in ("a", "b", None):
            page = journal.page(reader, cursor, limit)
            if cursor > len(tenants):  # beyond any seq given: a restarted mock, so start over
                assert page.reset
                cursor = 0
            newer = [entry for entry in journal.entries(reader) if entry.seq > cursor]
            assert page.entries == newer[:limit] and page.more == (len(newer) > limit)
            assert page.last_seq == (newer[:limit][-1].seq if newer else cursor)


def test_seqs_keep_rising_across_clears_and_a_stale_cursor_starts_over() -> None:
    journal = Journal()
    for tenant in ("a", "b", "a", "b"):
        journal.record(_entry(tenant))
    mine, theirs, everyone = (journal.page(reader).last_seq for reader in ("a", "b", None))
    assert (mine, theirs, everyone) == (3, 4, 4)
    journal.clear("a")
    journal.record(_entry("a"))
    page = journal.page("a", mine)
    assert page.reset and [entry.seq for entry in page.entries] == [5]  # never a seq given before
    assert not journal.page("b", theirs).reset  # another tenant's reset is not theirs
    assert journal.page(None, everyone).reset  # the admin's view lost a's entries
    assert not journal.page("a", 5).reset and not journal.page("a", 0).reset
    journal.clear()
    assert journal.page("b", theirs).reset


def test_entries_are_equal_whatever_their_seq() -> None:
    journal = Journal()
    journal.record(_entry("a"))
    assert journal.entries() == [_entry("a")] and journal.entries()[0].seq == 1


# -- GET /_mock/requests ----------------------------------------------------------------------

def test_without_a_cursor_the_journal_is_a_list_as_before(handler: Handler) -> None:
    _graphql(handler, KEY, 2)
    status, entries = _call(handler, "GET", "/_mock/requests")
    assert status == 200 and [entry["operation"] for entry in entries] == ["GetUserPyApi"] * 2
    assert [entry["seq"] for entry in entries] == [1, 2] and "tenant" not in entries[0]


def test_a_cursor_pages_the_callers_entries_only(handler: Handler) -> None:
    _graphql(handler, KEY, 3)
    _graphql(handler, OTHER, 2)
    _graphql(handler, KEY)
    status, page = _call(handler, "GET", "/_mock/requests?after=0&limit=2")
    assert status == 200 and [e["seq"] for e in page["entries"]] == [1, 2]
    assert (page["last_seq"], page["more"], page["reset"]) == (2, True, False)
    page = _call(handler, "GET", "/_mock/requests?after=2")[1]
    assert [e["seq"] for e in page["entries"]] == [3, 6] and page["last_seq"] == 6 and not page["more"]
    # another key pages through its own entries only, at whatever cursor
    for after in (0, 1, 3):
        theirs = _call(handler, "GET", f"/_mock/requests?after={after}", key=OTHER)[1]
        assert [e["seq"] for e in theirs["entries"]] == [seq for seq in (4, 5) if seq > after]
    assert [e["seq"] for e in _call(handler, "GET", "/_mock/requests?limit=10", key=ADMIN)[1]["entries"]] == [
        1, 2, 3, 4, 5, 6]


def test_a_reset_of_the_organisation_is_reported_to_its_cursor_only(handler: Handler) -> None:
    _graphql(handler, KEY, 2)
    _graphql(handler, OTHER)
    assert _call(handler, "POST", "/_mock/reset")[0] == 200
    _graphql(handler, KEY)
    page = _call(handler, "GET", "/_mock/requests?after=2")[1]
    assert page["reset"] and [e["seq"] for e in page["entries"]] == [4]
    assert not _call(handler, "GET", "/_mock/requests?after=3", key=OTHER)[1]["reset"]
    # a cursor from before a restart of the mock (beyond any seq) starts over too
    assert _call(handler, "GET", "/_mock/requests?after=99")[1]["reset"]


@pytest.mark.parametrize(("query", "says"), [
    ("after=-1", "after must be one integer"), ("after=x", "after must be one integer"),
    ("after=1&after=2", "after must be one integer"), ("limit=0", "limit must be one integer between 1 and 10000"),
    ("limit=10001", "limit must be"), ("after=", "after must be"), ("since=3", "unknown query parameters since"),
])
def test_a_bad_cursor_is_refused_saying_why(handler: Handler, query: str, says: str) -> None:
    status, body = _call(handler, "GET", f"/_mock/requests?{query}")
    assert status == 400 and says in body["error"]


# -- DELETE /_mock/faults/<id> ----------------------------------------------------------------

def test_faults_are_listed_with_ids_and_deleted_one_at_a_time(handler: Handler) -> None:
    first = _call(handler, "POST", "/_mock/faults", body={"operation": "GetUserPyApi", "status": 500})[1]
    second = _call(handler, "POST", "/_mock/faults", body={"operation": "*", "times": 2, "delay": 0.5})[1]
    listed = _call(handler, "GET", "/_mock/faults")[1]
    assert [(f["id"], f["operation"], f["server_wide"]) for f in listed] == [
        (first["id"], "GetUserPyApi", False), (second["id"], "*", False)]
    assert _call(handler, "DELETE", f"/_mock/faults/{first['id']}") == (200, {"removed": first["id"]})
    assert [f["id"] for f in _call(handler, "GET", "/_mock/faults")[1]] == [second["id"]]
    status, body = _call(handler, "DELETE", f"/_mock/faults/{first['id']}")
    assert status == 404 and first["id"] in body["error"]


def test_another_key_cannot_delete_a_fault_and_learns_nothing_of_it(handler: Handler) -> None:
    mine = _call(handler, "POST", "/_mock/faults", body={"status": 503})[1]["id"]
    assert _call(handler, "GET", "/_mock/faults", key=OTHER)[1] == []
    refused = _call(handler, "DELETE", f"/_mock/faults/{mine}", key=OTHER)
    unknown = _call(handler, "DELETE", "/_mock/faults/cnosuchfault", key=OTHER)
    assert refused[0] == unknown[0] == 404
    assert refused[1]["error"].replace(mine, "X") == unknown[1]["error"].replace("cnosuchfault", "X")
    assert [f["id"] for f in _call(handler, "GET", "/_mock/faults")[1]] == [mine]
    assert _call(handler, "DELETE", f"/_mock/faults/{mine}", key=ADMIN)[0] == 200  # the admin token acts on all


def test_a_server_wide_fault_is_deleted_with_the_admin_token_only(handler: Handler) -> None:
    fault_id = handler.backend.add_fault(Fault(status=500))
    assert _call(handler, "GET", "/_mock/faults")[1][0]["server_wide"] is True
    status, body = _call(handler, "DELETE", f"/_mock/faults/{fault_id}")
    assert status == 403 and "admin token" in body["error"]
    assert _call(handler, "DELETE", f"/_mock/faults/{fault_id}", key=ADMIN)[0] == 200
    assert handler.backend.faults.pending() == []


@pytest.mark.parametrize("path", ["/_mock/faults/a/b", "/_mock/fault/x"])
def test_other_paths_under_faults_are_no_route(handler: Handler, path: str) -> None:
    status, body = _call(handler, "DELETE", path)
    assert status == 404 and "/_mock/faults/<id>" in body["routes"]


@given(st.lists(st.booleans(), min_size=1, max_size=8))
def test_deleting_any_faults_leaves_exactly_the_others_armed(deleted: list[bool]) -> None:
    handler = Handler(Backend([KEY], admin_token=ADMIN))
    ids = [_call(handler, "POST", "/_mock/faults", body={"operation": f"Op{i}", "status": 500})[1]["id"]
           for i in range(len(deleted))]
    assert len(set(ids)) == len(ids)
    for fault_id, delete in zip(ids, deleted):
        if delete:
            assert _call(handler, "DELETE", f"/_mock/faults/{fault_id}")[0] == 200
    assert [f["id"] for f in _call(handler, "GET", "/_mock/faults")[1]] == [
        fault_id for fault_id, delete in zip(ids, deleted) if not delete]


def test_a_recording_replays_a_deleted_fault_by_its_id(handler: Handler) -> None:
    _call(handler, "POST", "/_mock/recording", key=ADMIN, body={"id_seed": 7})
    kept = _call(handler, "POST", "/_mock/faults", body={"operation": "A", "status": 500})[1]["id"]
    gone = _call(handler, "POST", "/_mock/faults", body={"operation": "B", "status": 500})[1]["id"]
    _call(handler, "DELETE", f"/_mock/faults/{gone}")
    recording = _call(handler, "GET", "/_mock/recording", key=ADMIN)[1]
    again = Handler(Backend([KEY], admin_token=ADMIN))
    assert _call(again, "POST", "/_mock/replay", key=ADMIN, body=recording)[0] == 200
    assert [f["id"] for f in _call(again, "GET", "/_mock/faults")[1]] == [kept]
