"""Memory that comes back (issue 15), measured as counts and bytes: the journal and recorder are bounded
in bytes and keep nothing of refused requests; files and finished tasks expire or stay under caps; a reset
frees an organisation's all."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from mockserver import MockLabelbox
from mockserver.backend import Backend
from mockserver.clock import tenant_scope
from mockserver.control.journal import MAX_ENTRY_BYTES, Journal, RecordedRequest
from mockserver.control.recorder import recorded_size
from mockserver.engines.export_snapshot import ExportParams
from mockserver.engines.tasks import TASK_RETENTION_SECONDS
from mockserver.http.handler import Handler
from mockserver.http.messages import HttpRequest
from mockserver.state.errors import InvalidInput

from ..support import standard_seed, world_from
from ..support.exports import RowSpec, build_run

GET_USER = json.dumps({"query": "query GetUserPyApi { user { id } }"}).encode()


def _post(handler: Handler, body: bytes, api_key: str | None = "test-key") -> int:
    headers = {"content-type": "application/json"}
    if api_key is not None:
        headers["authorization"] = f"Bearer {api_key}"
    return handler(HttpRequest("POST", "https://api.labelbox.com/graphql", headers, body)).status


def test_the_journal_is_bounded_in_bytes() -> None:
    journal = Journal(size=100_000, max_bytes=200_000)
    for number in range(500):
        journal.record(RecordedRequest("POST", "/graphql", "Op", {"x": "y" * 5_000, "n": number}, 200, "query Op { a }"))
        entries, held = journal.held
        assert held <= 200_000
    assert 0 < entries < 500
    assert journal.entries()[-1].variables["n"] == 499  # the newest kept, the oldest dropped


def test_an_oversized_entry_is_kept_as_a_note_of_its_size() -> None:
    journal = Journal()
    journal.record(RecordedRequest("POST", "/graphql", "Op", {"x": "y" * (4 * MAX_ENTRY_BYTES)}, 200, "q" * 10))
    [entry] = journal.entries()
    assert entry.variables.startswith("<variables of ") and journal.held[1] < MAX_ENTRY_BYTES


def test_refused_requests_are_neither_journaled_nor_recorded() -> None:
    backend = Backend()
    handler = Handler(backend)
    backend.start_recording(1)
    big = json.dumps({"query": "query GetUserPyApi { user { id } }", "variables": {"x": "y" * 1_000_000}}).encode()
    for api_key in (None, "", "not-a-key") * 10:
        assert _post(handler, big, api_key) == 401
    assert backend.journal.held == (0, 0)
    assert backend.recorder.to_json()["calls"] == [] and backend.recorder.bytes == 0


def _padded(size: int) -> bytes:
    return json.dumps({"query": "query GetUserPyApi { user { id } }", "variables": {"pad": "y" * size}}).encode()


def _admin(handler: Handler, method: str, path: str, api_key: str) -> int:
    headers = {"content-type": "application/json", "authorization": f"Bearer {api_key}"}
    return handler(HttpRequest(method, f"https://api.labelbox.com/_mock/{path}", headers, b"{}")).status


def test_a_call_past_the_recording_quota_is_refused_naming_it() -> None:
    backend = Backend()
    handler = Handler(backend)
    backend.control.recordings.per_org = 20_000
    assert _admin(handler, "POST", "recording", "test-key") == 200  # the organisation's own recording
    statuses = [_post(handler, _padded(3_000)) for _ in range(8)]
    assert statuses == [200] * 4 + [409] * 4  # each call takes 4,000-odd bytes of base64
    refused = handler(HttpRequest("POST", "https://api.labelbox.com/graphql",
                                  {"content-type": "application/json", "authorization": "Bearer test-key"},
                                  _padded(3_000)))
    assert refused.status == 409
    error = json.loads(refused.body_bytes())["errors"][0]
    assert "at most 20000 bytes of an organisation's recorded calls" in error["message"]
    assert error["extensions"]["code"] == "OPERATION_NOT_ALLOWED"
    assert len(backend.recording(_org_id(backend))["calls"]) == 4  # nothing half kept
    # a new recording frees the old one's bytes
    assert _admin(handler, "POST", "recording", "test-key") == 200
    assert _post(handler, _padded(3_000)) == 200


def _org_id(backend: Backend, api_key: str = "test-key") -> str:
    org = backend.store.org_for_key(api_key)
    assert org is not None
    return org.id


def test_a_refused_call_changes_nothing() -> None:
    """A call run but not recorded would make the recording replay into another state."""
    backend = Backend()
    handler = Handler(backend)
    backend.control.recordings.per_org = 4_000
    backend.start_recording()
    seeded = backend.seed({"ontologies": [{"name": "o"}], "models": [{"name": "m", "ontology": "o"}]}, "test-key")
    create = json.dumps({"query": "mutation CreateModelRunPyApi($name: String!, $modelId: ID!) { createModelRun("
                                  "data: {name: $name, modelId: $modelId}) { id } }",
                         "variables": {"name": "x" * 3_000, "modelId": seeded["models"][0]}}).encode()
    assert _post(handler, create) == 409  # its 3 KiB name, in base64, is past what the seed left
    assert backend.dump(_org_id(backend))["organizations"][0]["model_runs"] == {}


def test_the_whole_mock_recording_charges_each_organisation_and_has_a_ceiling() -> None:
    backend = Backend(["test-key", "other-key"])
    handler = Handler(backend)
    backend.control.recordings.per_org, backend.control.recordings.in_all = 10_000, 15_000
    backend.start_recording()
    while _post(handler, _padded(3_000)) == 200:
        pass
    assert backend.control.recordings.held(_org_id(backend)) <= 10_000
    assert _post(handler, _padded(3_000), "other-key") == 200  # another organisation's quota is its own ...
    refused = handler(HttpRequest("POST", "https://api.labelbox.com/graphql",
                                  {"content-type": "application/json", "authorization": "Bearer other-key"},
                                  _padded(3_000)))
    assert refused.status == 409  # ... until the recordings hold the ceiling
    assert "at most 15000 bytes of recorded calls in all" in json.loads(refused.body_bytes())["errors"][0]["message"]
    assert backend.control.recordings.total <= 15_000


def test_calls_are_recorded_when_nothing_records_whatever_their_size() -> None:
    backend = Backend()
    handler = Handler(backend)
    backend.control.recordings.per_org = 1_000
    assert all(_post(handler, _padded(3_000)) == 200 for _ in range(5))  # no recording: no quota to pass


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(0, 6_000), max_size=12), quota=st.integers(1_000, 30_000),
       both=st.booleans())
def test_recordings_never_pass_the_quota_and_keep_every_call_that_ran(sizes: list[int], quota: int,
                                                                      both: bool) -> None:
    backend = Backend()
    handler = Handler(backend)
    backend.control.recordings.per_org = quota
    org = _org_id(backend)
    backend.start_tenant_recording(org)
    if both:
        backend.start_recording()  # a call kept twice counts twice
    held, ran = 0, 0
    for size in sizes:
        body = _padded(size)
        cost = (2 if both else 1) * recorded_size(len(body), "/graphql", "application/json")
        status = _post(handler, body)
        assert status == (200 if held + cost <= quota else 409)
        if status == 200:
            held, ran = held + cost, ran + 1
        assert backend.control.recordings.held(org) == held <= quota
    assert len(backend.recording(org)["calls"]) == ran


def test_uploads_past_the_cap_are_refused_and_expiry_frees_them() -> None:
    backend = Backend()
    org = backend.store.org_for_key("test-key")
    assert org is not None
    backend.files.max_upload_bytes = 10_000
    with tenant_scope(org.id):
        for _ in range(4):
            backend.files.sign("http://mock", b"x" * 2_400)
        with pytest.raises(InvalidInput, match="at most 10000"):
            backend.files.sign("http://mock", b"x" * 2_400)
        backend.advance_clock(3_601, org.id)
        backend.files.sign("http://mock", b"x" * 2_400)  # the expired ones were swept to make room
    assert backend.files.uploaded_bytes(org.id) == 2_400
    assert len(backend.store.files) == 1


def test_a_reset_frees_the_organisations_files_and_exports() -> None:
    backend = Backend(["test-key", "other-key"])
    built = build_run(backend, [RowSpec() for _ in range(3)])
    other = backend.store.org_for_key("other-key")
    mine = backend.store.org_for_key("test-key")
    assert other is not None and mine is not None
    with tenant_scope(other.id):
        backend.files.sign("http://mock", b"theirs")
    with tenant_scope(mine.id):
        backend.exports.export_model_run(mine, built.run_id, None, ExportParams())
        backend.files.sign("http://mock", b"mine")
    assert len(backend.exports._exports) == 1
    backend.reset(mine.id)
    assert [hosted.tenant for hosted in backend.store.files.values()] == [other.id]
    assert backend.exports._exports == {}


def test_finished_tasks_expire_on_the_organisations_clock() -> None:
    with MockLabelbox() as mock:
        world = world_from(mock.seed(standard_seed(2)), 2)
        client = lb.Client(api_key=mock.api_key)
        run = client.get_model(world.model_id).create_model_run("r")
        run.upsert_data_rows(global_keys=world.global_keys)
        org = mock.backend.store.org_for_key(mock.api_key)
        assert org is not None and org.tasks
        mock.advance_clock(TASK_RETENTION_SECONDS + 1)
        client.get_user()  # any request of the organisation settles and sweeps its tasks
        assert org.tasks == {}


def test_finished_tasks_stay_under_the_cap_and_their_exports_go_with_them() -> None:
    with MockLabelbox() as mock:
        built = build_run(mock.backend, [RowSpec() for _ in range(2)])
        mock.backend.tasks.max_finished = 5
        client = lb.Client(api_key=mock.api_key)
        run = client.get_model_run(built.run_id)
        for _ in range(20):
            assert run.export().status == "COMPLETE"
        org = mock.backend.store.org_for_key(mock.api_key)
        assert org is not None
        assert len(org.tasks) <= 6  # the cap, plus the newest one made after the last sweep
        assert len(mock.backend.exports._exports) <= 6


def test_a_huge_body_is_journaled_as_a_note_without_walking_it() -> None:
    backend = Backend()
    handler = Handler(backend)
    body = json.dumps({"query": "query GetUserPyApi { user { id } }", "variables": {"x": [{}] * 300_000}}).encode()
    assert _post(handler, body) == 200
    [entry] = backend.journal.entries()
    assert entry.variables == f"<variables of a {len(body)}-byte body>"
    assert entry.query == "query GetUserPyApi { user { id } }"
    assert backend.journal.held[1] < 1_000


def test_an_import_is_validated_row_by_row_not_held_whole_as_parsed_rows() -> None:
    import tracemalloc
    import uuid

    from mockserver.engines.prediction_imports import model_run_scope
    from mockserver.engines.predictions import PredictionValidator

    backend = Backend()
    built = build_run(backend, [RowSpec(global_key=f"g{i}") for i in range(50)])
    org = backend.store.org_for_key("test-key")
    assert org is not None
    scope = model_run_scope(org, org.model_run(built.run_id))
    text = "\n".join(json.dumps({"uuid": str(uuid.uuid4()), "name": "box", "dataRow": {"globalKey": f"g{i % 50}"},
                                 "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}}) for i in range(5_000))
    tracemalloc.start()
    try:
        outcome = PredictionValidator(scope).check_text(text)
        kept, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(outcome.accepted) == 5_000
    # beyond what it keeps (a status and a normalised prediction per row), validating costs less than
    # the text once over; with every row parsed up front it cost three times the text
    assert peak - kept < len(text)
