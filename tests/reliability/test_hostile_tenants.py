"""Issue 24: what one organisation can store through the admin API is bounded and checked before it is
stored, files it uploads are served inert, and the admin token cannot be a key (findings 3, 5, 8, 11)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.backend import Backend
from mockserver.control.faults import MAX_FAULTS_PER_TENANT, Fault, FaultBook
from mockserver.engines.files import MAX_HOSTED_BYTES_PER_ORG, safe_content_type
from mockserver.engines.tasks import MAX_TRANSITION_ERROR_CHARS
from mockserver.state.errors import QuotaExceeded

from ..support.world import ADMIN_TOKEN
from .conftest import OTHER, Target
from .test_hostile_input import _multipart
from .test_strict_input import UPLOAD

# -- finding 8: numbers parsed strictly, checked before anything is stored --------------------------


@pytest.mark.parametrize("body", [
    {"kind": "export", "progression": "time", "duration": "inf"},
    {"kind": "export", "progression": "time", "duration": "5"},
    {"kind": "export", "progression": "time", "duration": 1e300},
    {"kind": "export", "progression": "reads", "times": "3"},
    {"kind": "export", "progression": "reads", "times": 2.5},
    {"kind": "export", "progression": "reads", "times": True},
    {"kind": "export", "outcome": "FAILED", "error": "x" * (MAX_TRANSITION_ERROR_CHARS + 1)},
    {"kind": "export", "outcome": "FAILED", "error": 7},
])
def test_a_bad_transition_is_refused_and_nothing_is_stored(shared: Target, body: dict[str, object]) -> None:
    response = shared.admin("POST", "/_mock/transitions", body)
    assert response.status_code == 400, response.text
    assert "invalid transition" in response.json()["error"]
    # every view still answers, for the organisation and for the whole mock
    for key in ("test-key", ADMIN_TOKEN):
        assert shared.admin("GET", "/_mock/transitions", api_key=key).status_code == 200
        assert shared.admin("GET", "/_mock/state", api_key=key).status_code == 200
    assert shared.state()["transitions"] == {}


def test_a_non_finite_clock_advance_is_refused(target: Target) -> None:
    body = b'{"advance": 1e999}'  # JSON's way to a float infinity
    response = target.http.post(target.origin + "/_mock/clock", data=body, timeout=10, headers={
        "Authorization": "Bearer test-key", "Content-Type": "application/json"})
    assert response.status_code in (400, 413)
    assert target.admin("GET", "/_mock/state").status_code == 200


# -- finding 3: quotas on what an organisation stores; O(1) fault lookup ---------------------------


def test_fault_names_are_operation_names(target: Target) -> None:
    response = target.admin("POST", "/_mock/faults", {"operation": "x" * (30 * 1024), "status": 500})
    assert response.status_code == 400
    assert "operation must be '*' or a GraphQL operation name" in response.json()["error"]
    assert "xxxxxxxxxx" not in response.json()["error"]  # the refusal does not echo 30 KiB back


def test_faults_past_the_quota_are_refused_and_another_organisation_is_untouched(shared: Target) -> None:
    book = shared.backend.faults
    org = shared.backend.store.org_for_key("test-key")
    assert org is not None
    for number in range(MAX_FAULTS_PER_TENANT):
        book.add(Fault(operation=f"Op{number}", status=500), org.id, f"id{number}")
    response = shared.admin("POST", "/_mock/faults", {"operation": "GetModel", "status": 500})
    assert response.status_code == 409
    assert f"at most {MAX_FAULTS_PER_TENANT} faults" in response.json()["error"]
    assert shared.admin("POST", "/_mock/faults", {"operation": "GetModel", "status": 500},
                        api_key=OTHER).status_code == 200


def test_a_request_looks_at_its_own_queues_only() -> None:
    """20,000 armed faults of other operations cost a request nothing: it reads four queue heads."""
    book = FaultBook()
    for number in range(MAX_FAULTS_PER_TENANT):
        book.add(Fault(operation=f"Other{number}", status=500), "org-a", f"a{number}")
    book.add(Fault(operation="GetModel", status=503), "org-b", "b0")

    class Counting(dict[Any, Any]):
        looked_up = 0

        def get(self, key: object, default: object = None) -> object:
            Counting.looked_up += 1
            return super().get(key, default)

    book._queues = Counting(book._queues)
    fault = book.take("GetModel", "org-b")
    assert fault is not None and fault.status == 503
    assert Counting.looked_up <= 4


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "*"]), st.sampled_from(["t1", "t2", None]),
                          st.integers(1, 3)), max_size=12),
       st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(["t1", "t2"])), max_size=20))
def test_faults_fire_in_the_order_they_were_armed(armed: list[tuple[str, str | None, int]],
                                                  requests: list[tuple[str, str]]) -> None:
    """The queues fire exactly what one list scanned in arming order would."""
    book = FaultBook()
    model: list[list[object]] = []
    for number, (operation, owner, times) in enumerate(armed):
        book.add(Fault(operation=operation, times=times, status=500 + number % 99), owner, f"f{number}")
        model.append([operation, owner, times, 500 + number % 99])
    for operation, tenant in requests:
        expected = None
        for entry in model:
            if entry[1] in (None, tenant) and entry[0] in ("*", operation):
                expected = entry[3]
                entry[2] -= 1  # type: ignore[operator]
                if entry[2] == 0:
                    model.remove(entry)
                break
        fired = book.take(operation, tenant)
        assert (fired.status if fired else None) == expected


def test_fault_quota_is_per_owner() -> None:
    book = FaultBook()
    for number in range(MAX_FAULTS_PER_TENANT):
        book.add(Fault(status=500), "a", f"a{number}")
    with pytest.raises(QuotaExceeded, match="at most"):
        book.add(Fault(status=500), "a", "one-more")
    book.add(Fault(status=500), "b", "b0")
    book.remove("a0", "a")
    book.add(Fault(status=500), "a", "fits-again")


def test_hosted_files_past_the_quota_are_refused(target: Target) -> None:
    big = "x" * (7 * 1024 * 1024)  # under the standalone server's admin body limit (8 MiB)
    fits = MAX_HOSTED_BYTES_PER_ORG // len(big)
    for number in range(fits):
        assert target.admin("POST", "/_mock/files", {"url": f"https://e.example/{number}", "content": big}
                            ).status_code == 200
    # the same URL again replaces the file: not counted twice
    assert target.admin("POST", "/_mock/files", {"url": "https://e.example/0", "content": big}).status_code == 200
    response = target.admin("POST", "/_mock/files", {"url": "https://e.example/past", "content": big})
    assert response.status_code == 409
    assert "quota exceeded" in response.json()["error"]


# -- finding 5: uploaded files are inert downloads; no request byte reaches a response header -------


def _upload(target: Target, content_type: bytes) -> str:
    body, multipart_type = _multipart({
        "operations": json.dumps({"query": UPLOAD, "variables": {"file": None, "contentLength": 30}}).encode(),
        "map": b'{"0": ["variables.file"]}',
        "0": b"<script>alert(document.cookie)</script>",
    })
    body = body.replace(b'filename="0.bin"\r\n', b'filename="0.bin"\r\nContent-Type: ' + content_type + b"\r\n")
    response = target.post_graphql(body, multipart_type)
    assert response.status_code == 200, response.text
    return str(response.json()["data"]["uploadFile"]["url"])


def test_an_uploaded_html_file_is_served_as_an_inert_download(target: Target) -> None:
    response = target.http.get(_upload(target, b"text/html"), timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == "attachment"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("content_type", [b"text/plain\nSet-Cookie: injected=1", b"text/plain\rX: y",
                                          b"text/plain\x00", b"text/\xff"])
def test_no_byte_of_a_part_header_reaches_a_response_header(target: Target, content_type: bytes) -> None:
    body, multipart_type = _multipart({
        "operations": json.dumps({"query": UPLOAD, "variables": {"file": None, "contentLength": 4}}).encode(),
        "map": b'{"0": ["variables.file"]}', "0": b"rows"})
    body = body.replace(b'filename="0.bin"\r\n', b'filename="0.bin"\r\nContent-Type: ' + content_type + b"\r\n")
    response = target.post_graphql(body, multipart_type)
    if response.status_code == 200:
        download = target.http.get(response.json()["data"]["uploadFile"]["url"], timeout=10)
        assert "Set-Cookie" not in download.headers and "X" not in download.headers
        assert download.headers["Content-Type"] == "application/octet-stream"
    else:
        assert response.status_code == 400


@given(st.text(max_size=80))
def test_a_safe_content_type_is_plain_text_or_the_default(text: str) -> None:
    safe = safe_content_type(text)
    assert safe == "application/octet-stream" or safe == text.strip()
    assert all(32 <= ord(char) < 127 for char in safe)


# -- finding 11: the admin token is never a key, nor blank -------------------------------------------


@pytest.mark.parametrize("token", [" " * 20, "\t" * 16 + "abc", "test-key-long-enough-0"])
def test_an_admin_token_equal_to_a_key_or_blank_is_refused_at_start(token: str) -> None:
    with pytest.raises(ValueError, match="admin token"):
        Backend(["test-key", "test-key-long-enough-0"], admin_token=token)


def test_a_key_equal_to_the_admin_token_is_refused() -> None:
    backend = Backend(["test-key"], admin_token=ADMIN_TOKEN)
    with pytest.raises(ValueError, match="differ from the admin token"):
        backend.add_api_key(ADMIN_TOKEN)


def test_serve_refuses_such_a_token(capsys: pytest.CaptureFixture[str]) -> None:
    from mockserver.cli import main

    assert main(["serve", "--port", "0", "--api-key", "k" * 20, "--admin-token", "k" * 20]) == 2
    assert "admin token must differ from every API key" in capsys.readouterr().err


@pytest.mark.parametrize("recording", [
    {"version": 2, "calls": ["x"]},
    {"version": 2, "calls": [{"method": "POST"}]},
    {"version": 2, "calls": [{"method": "BREW", "path": "/graphql"}]},
    {"version": 2, "calls": [{"method": "POST", "path": "graphql"}]},
    {"version": 2, "calls": [{"method": "POST", "path": "/graphql", "tenant": "0"}]},
    {"version": 3, "calls": [{"method": "POST", "path": "/graphql", "tenant_number": "0"}]},
    {"version": 3, "calls": [{"method": "POST", "path": "/graphql", "tenant_number": -2}]},
    {"version": 2, "calls": [{"method": "POST", "path": "/graphql", "body": "%%%"}]},
    {"version": 2, "calls": [{"method": "POST", "path": "/graphql", "content_type": 5}]},
    {"version": 2, "id_seed": -1, "calls": []},
    [], "recording", None,
])
def test_a_malformed_replay_is_a_400(shared: Target, recording: object) -> None:
    for key in ("test-key", ADMIN_TOKEN):
        response = shared.admin("POST", "/_mock/replay", recording, api_key=key)
        assert response.status_code == 400, response.text


# -- finding 7: one tenant's flood never evicts another's journal; a page after eviction says so ------


def _entry(tenant: str, number: int) -> object:
    from mockserver.control.journal import RecordedRequest

    return RecordedRequest("POST", "/graphql", f"Op{number}", None, 200, tenant=tenant)


def test_a_flood_evicts_only_the_flooding_tenants_entries() -> None:
    from mockserver.control.journal import Journal

    journal = Journal(size=50)
    for number in range(10):
        journal.record(_entry("victim", number))  # type: ignore[arg-type]
    for number in range(500):
        journal.record(_entry("flood", number))  # type: ignore[arg-type]
    assert [entry.operation for entry in journal.entries("victim")] == [f"Op{n}" for n in range(10)]
    assert len(journal.entries("flood")) == 50


def test_a_page_after_its_entries_were_evicted_says_reset() -> None:
    from mockserver.control.journal import Journal

    journal = Journal(size=5)
    for number in range(3):
        journal.record(_entry("t", number))  # type: ignore[arg-type]
    cursor = journal.page("t", 0, 2).last_seq  # read two, then fall behind
    assert not journal.page("t", cursor, 100).reset
    for number in range(3, 20):
        journal.record(_entry("t", number))  # type: ignore[arg-type]
    page = journal.page("t", cursor, 100)
    assert page.reset
    assert [entry.operation for entry in page.entries] == [f"Op{n}" for n in range(15, 20)]


def test_the_whole_journal_bytes_are_bounded_by_taking_from_the_largest_holder() -> None:
    from mockserver.control.journal import Journal, RecordedRequest

    journal = Journal(size=10_000, max_bytes=200_000, tenant_bytes=150_000)
    for number in range(5):
        journal.record(RecordedRequest("POST", "/graphql", "Small", None, 200, tenant="victim"))
    for number in range(2000):
        journal.record(RecordedRequest("POST", "/graphql", "Big", {"pad": "x" * 500}, 200, tenant=f"flood{number % 3}"))
    assert journal.held[1] <= 200_000
    assert len(journal.entries("victim")) == 5


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(["a", "b", "c"]), max_size=120), st.integers(0, 130), st.integers(1, 20))
def test_pages_hold_exactly_the_tenants_entries_after_the_cursor(writers: list[str], after: int, limit: int) -> None:
    from mockserver.control.journal import Journal

    journal = Journal(size=30)
    for number, tenant in enumerate(writers):
        journal.record(_entry(tenant, number))  # type: ignore[arg-type]
    page = journal.page("a", after, limit)
    kept = journal.entries("a")
    start = 0 if page.reset else after
    expected = [entry for entry in kept if entry.seq > start]
    assert page.entries == expected[:limit]
    assert page.more == (len(expected) > limit)


# -- finding 4: manifests bounded in rows per upsert and in nesting ---------------------------------


def test_a_manifest_naming_one_chunk_many_times_is_refused_before_building_rows() -> None:
    from mockserver.engines.data_row_upserts import MAX_UPSERT_SPECS, read_specs
    from mockserver.state.errors import InvalidInput

    backend = Backend()
    specs = [{"id": {"type": "AUTO", "value": None}, "payload": {"row_data": f"https://e.example/{i}"}}
             for i in range(1000)]
    backend.files.host("https://e.example/chunk", json.dumps(specs).encode())
    backend.files.host("https://e.example/manifest", json.dumps(
        {"chunk_uris": ["https://e.example/chunk"] * 400, "item_count": 400_000}).encode())
    with pytest.raises(InvalidInput, match=f"more than {MAX_UPSERT_SPECS} data rows"):
        read_specs(backend.files, "https://e.example/manifest")


def test_a_manifest_nested_deep_is_refused_by_name() -> None:
    from mockserver.engines.data_row_upserts import read_specs
    from mockserver.state.errors import InvalidInput

    backend = Backend()
    backend.files.host("https://e.example/deep", b"[" * 200_000 + b"]" * 200_000)
    with pytest.raises(InvalidInput, match="nested too deep") as raised:
        read_specs(backend.files, "https://e.example/deep")
    assert "RecursionError" not in str(raised.value)
