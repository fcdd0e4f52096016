"""ModelRun.add_predictions and MEAPredictionImport through labelbox_lite, against the in-process mock."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import (
    LabelboxError,
    ResourceConflict,
    ResourceNotFoundError,
    TaskFailedError,
)
from labelbox_lite.ndjson import dumps, serialize_labels
from mockserver import MockLabelbox

from ..support import FakeTime, World
from ..support.label_strategies import annotation

State = lb.AnnotationImportState


def _run(client: lb.Client, world: World, keys: list[str] | None = None) -> lb.ModelRun:
    run = client.get_model(world.model_id).create_model_run(f"run-{uuid.uuid4().hex[:8]}")
    run.upsert_data_rows(global_keys=keys if keys is not None else world.global_keys[:8])
    return run


def _box(key: str, uid: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"uuid": uid or str(uuid.uuid4()), "dataRow": {"globalKey": key}, "name": "box",
            "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}, **extra}


def _stored(mock: MockLabelbox, run: lb.ModelRun) -> dict[str, list[dict[str, Any]]]:
    org = mock.backend.store.organizations()[0]
    return {entry.data_row_id: entry.predictions for entry in org.model_runs[run.uid].rows.values()}


def _operations(mock: MockLabelbox) -> list[str | None]:
    return [entry.operation for entry in mock.requests]


def test_a_mixed_import_reports_every_row_and_stores_the_accepted(client: lb.Client, world: World,
                                                                   mock: MockLabelbox) -> None:
    run = _run(client, world)
    rows = [
        _box("gk-0", "ok-box"),
        {"uuid": "ok-radio", "dataRow": {"id": world.data_row_ids[1]}, "name": "quality", "answer": {"name": "bad"}},
        _box("gk-9", "outside"),
        {"uuid": "bad-answer", "dataRow": {"globalKey": "gk-2"}, "name": "quality", "answer": {"name": "meh"}},
        _box("gk-3", "ok-box", confidence=0.2),  # the uuid is taken
    ]
    imported = run.add_predictions("mixed", rows)
    created = imported.state  # a local: mypy would carry the narrowing past wait_till_done
    assert created is State.RUNNING and imported.status_file_url is None  # as Labelbox answers a creation
    imported.wait_till_done()
    assert imported.state is State.FINISHED and imported.progress == "100%"
    assert imported.model_run_id == run.uid
    statuses = imported.statuses
    assert [(s["uuid"], s["status"]) for s in statuses] == [
        ("ok-box", "SUCCESS"), ("ok-radio", "SUCCESS"), ("outside", "FAILURE"), ("bad-answer", "FAILURE"),
        ("ok-box", "FAILURE")]
    assert statuses[0]["dataRow"] == {"id": world.data_row_ids[0], "globalKey": "gk-0"}
    assert "not in model run" in statuses[2]["errors"][0]["message"]
    assert statuses[3]["errors"][0]["message"].startswith("answer.name: 'meh' is not an option of 'quality'")
    assert statuses[4]["errors"][0]["message"].startswith("uuid: 'ok-box' is used by an earlier row")
    assert imported.errors == statuses[2:]
    assert imported.inputs == rows
    stored = _stored(mock, run)
    assert [p["uuid"] for p in stored[world.data_row_ids[0]]] == ["ok-box"]
    assert stored[world.data_row_ids[1]][0]["answer"]["name"] == "bad"
    assert stored[world.data_row_ids[3]] == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_four_kinds_of_input_give_the_same_result(client: lb.Client, world: World, mock: MockLabelbox,
                                                      tmp_path: Path, data: st.DataObject) -> None:
    # rows in the run (gk-6, gk-7, and two by id) and outside it (gk-8, gk-9); features valid or not
    refs = [{"global_key": key} for key in world.global_keys[6:]] + [{"uid": uid} for uid in world.data_row_ids[:2]]
    drawn = data.draw(st.lists(
        st.builds(lambda ref, anns: lb.types.Label(data=ref, annotations=anns), st.sampled_from(refs),
                  st.lists(annotation(names=st.sampled_from(["nope", "quality"])), min_size=1, max_size=3)),
        min_size=1, max_size=3))
    rows = serialize_labels(drawn)
    path = tmp_path / f"{uuid.uuid4().hex}.ndjson"
    path.write_text(dumps(rows))
    url = f"https://storage.example.com/{uuid.uuid4().hex}.ndjson"
    mock.host_file(url, dumps(rows))
    outcomes = []
    for source in (drawn, rows, path, url):
        run = _run(client, world)
        imported = run.add_predictions("same", source)
        statuses = json.loads(json.dumps(imported.statuses).replace(run.uid, "<run>"))
        outcomes.append((statuses, _stored(mock, run)))
    assert all(outcome == outcomes[0] for outcome in outcomes[1:])
    assert len(outcomes[0][0]) == len(rows)


def test_an_import_is_found_by_name_and_names_are_unique(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    run = _run(client, world)
    first = run.add_predictions("named", [_box("gk-0")])
    found = lb.MEAPredictionImport.from_name(client, run.uid, "named")
    assert found == first and found.statuses == first.statuses
    with pytest.raises(ResourceNotFoundError, match="no import named 'other'"):
        lb.MEAPredictionImport.from_name(client, run.uid, "other")
    before = _stored(mock, run)
    with pytest.raises(ResourceConflict, match="already has an import named 'named'"):
        run.add_predictions("named", [_box("gk-1")])
    assert _stored(mock, run) == before


def test_a_url_the_mock_does_not_host_fails_the_import_saying_why(client: lb.Client, world: World,
                                                                 mock: MockLabelbox) -> None:
    run = _run(client, world)
    imported = run.add_predictions("remote", "https://elsewhere.example.com/predictions.ndjson")
    with pytest.raises(TaskFailedError, match="the mock makes no network calls"):
        imported.wait_till_done()
    assert imported.state is State.FAILED
    assert imported.input_file_url == "https://elsewhere.example.com/predictions.ndjson"
    with pytest.raises(ValueError, match="Import failed.*the mock makes no network calls"):
        _ = imported.statuses


def test_a_url_uploaded_through_the_mock_is_read(client: lb.Client, world: World) -> None:
    run = _run(client, world)
    url = client.upload_data(dumps([_box("gk-0", "up")]), filename="p.ndjson", content_type="application/x-ndjson")
    imported = run.add_predictions("uploaded", url)
    assert [s["uuid"] for s in imported.statuses] == ["up"] and imported.errors == []


def test_a_slow_import_is_waited_for(client: lb.Client, world: World, mock: MockLabelbox,
                                     fake_time: FakeTime, capsys: pytest.CaptureFixture[str]) -> None:
    run = _run(client, world)
    mock.set_transition("prediction-import", progression="reads", times=2)
    imported = run.add_predictions("slow", [_box("gk-0")])
    created = imported.state  # a local: mypy would carry the narrowing past wait_till_done
    assert created is State.RUNNING
    assert imported.status_file_url is None and imported.error_file_url is None
    assert imported.input_file_url is not None and _stored(mock, run)[world.data_row_ids[0]] == []
    imported.wait_till_done(sleep_time_seconds=3, show_progress=True)
    assert imported.state is State.FINISHED
    assert fake_time.sleeps == [3, 3]
    assert "MEAPredictionImport 'slow': 100%" in capsys.readouterr().err
    assert imported.statuses[0]["status"] == "SUCCESS"
    with pytest.warns(DeprecationWarning, match="wait_till_done"):
        imported.wait_until_done()


def test_a_timed_import_reports_progress_and_finishes_when_the_clock_moves(client: lb.Client, world: World,
                                                                          mock: MockLabelbox) -> None:
    run = _run(client, world)
    mock.set_transition("prediction-import", progression="time", duration=100)
    imported = run.add_predictions("timed", [_box("gk-0")])
    mock.advance_clock(50)
    imported.refresh()
    halfway = imported.state  # a local: mypy would carry the narrowing past refresh
    assert halfway is State.RUNNING and imported.progress in ("49%", "50%")
    mock.advance_clock(50)
    imported.refresh()
    assert imported.state is State.FINISHED and imported.progress == "100%"


def test_a_failed_import_stores_nothing_and_says_why(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    run = _run(client, world)
    mock.set_transition("prediction-import", outcome="FAILED", error="the validator is down")
    imported = run.add_predictions("doomed", [_box("gk-0")])
    with pytest.raises(TaskFailedError, match="the validator is down"):
        imported.wait_till_done()
    assert imported.state is State.FAILED
    with pytest.raises(ValueError, match="Import failed. the validator is down"):
        _ = imported.errors
    assert all(not predictions for predictions in _stored(mock, run).values())


def test_a_model_run_deleted_before_the_import_runs_fails_it(client: lb.Client, world: World,
                                                            mock: MockLabelbox) -> None:
    run = _run(client, world)
    mock.set_transition("prediction-import", progression="reads", times=1)
    imported = run.add_predictions("orphan", [_box("gk-0")])
    run.delete()
    with pytest.raises(TaskFailedError, match=f"ModelRun not found: id '{run.uid}'"):
        imported.wait_till_done()
    assert imported.state is State.FAILED
    with pytest.raises(ValueError, match=f"Import failed. ModelRun not found: id '{run.uid}'"):
        _ = imported.statuses


@pytest.mark.parametrize("predictions, message", [
    ([], "predictions is empty"),
    ([{"uuid": "u", "name": "box"}], "'dataRow' is missing"),
    ([{"uuid": "u", "dataRow": {"id": "a", "globalKey": "b"}, "name": "box"}], "exactly one of 'id' or 'globalKey'"),
    (42, "Invalid predictions given of type"),
    ("not/a/file.ndjson", "neither an existing file nor an http"),
])
def test_bad_input_is_refused_before_anything_is_sent(client: lb.Client, world: World, mock: MockLabelbox,
                                                      predictions: Any, message: str) -> None:
    run = _run(client, world)
    sent = len(mock.requests)
    with pytest.raises(ValueError, match=message):
        run.add_predictions("bad", predictions)
    assert len(mock.requests) == sent


def test_any_iterable_of_dicts_and_labels_is_accepted(client: lb.Client, world: World) -> None:
    run = _run(client, world)
    label = lb.types.Label(data={"global_key": "gk-1"}, annotations=[
        lb.types.ClassificationAnnotation(name="note", value=lb.types.Text(answer="fine"), extra={"uuid": "lbl"})])
    rows: list[dict[str, Any] | lb.types.Label] = [_box("gk-0", "dct"), label]
    imported = run.add_predictions("mixed-kinds", (row for row in rows))
    assert [s["uuid"] for s in imported.statuses] == ["dct", "lbl"]


def test_uploads_follow_the_graphql_multipart_spec(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    run = _run(client, world)
    run.add_predictions("multipart", [_box("gk-0")])
    entry = next(e for e in mock.requests if e.operation == "createMEAPredictionImportByFilePyApi")
    assert entry.variables["file"].startswith(f"<upload {run.uid}__multipart.ndjson:")
    assert entry.variables["modelRunId"] == run.uid


def test_file_urls_are_signed_and_refused_when_altered_or_expired(client: lb.Client, world: World,
                                                                  mock: MockLabelbox) -> None:
    run = _run(client, world)
    imported = run.add_predictions("signed", [_box("gk-0")])
    imported.wait_till_done()
    url = imported.status_file_url
    assert url is not None and url.startswith("https://api.labelbox.com/_files/")
    assert json.loads(client.download(url))["status"] == "SUCCESS"
    token = url.rsplit("/", 1)[1]
    altered = url[: -len(token)] + token[:-1] + ("A" if token[-1] != "A" else "B")
    with pytest.raises(LabelboxError, match="HTTP 403"):
        client.download(altered)
    with pytest.raises(LabelboxError, match="HTTP 403"):
        client.download(url.rsplit("/", 1)[0] + "/short")
    mock.advance_clock(3601)
    with pytest.raises(LabelboxError, match="HTTP 403"):
        client.download(url)
    imported.refresh()  # reading the import again signs fresh URLs
    assert imported.status_file_url != url
    assert json.loads(client.download(imported.status_file_url or ""))["uuid"] == imported.inputs[0]["uuid"]
