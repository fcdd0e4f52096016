"""ModelRun.upsert_predictions_and_send_to_project: partial success, step by step."""

from __future__ import annotations

import logging
import uuid
from typing import Any

import pytest

import labelbox_lite as lb
from labelbox_lite import model_run as model_run_module
from labelbox_lite.exceptions import InvalidQueryError, ResourceNotFoundError
from mockserver import MockLabelbox

from ..support import World


def _box(key: str) -> dict[str, Any]:
    return {"uuid": str(uuid.uuid4()), "dataRow": {"globalKey": key}, "name": "box",
            "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}}


@pytest.fixture
def run(client: lb.Client, world: World) -> lb.ModelRun:
    made = client.get_model(world.model_id).create_model_run("run")
    made.upsert_data_rows(global_keys=world.global_keys[5:8])
    return made


@pytest.fixture
def project_id(mock: MockLabelbox, world: World) -> str:
    return str(mock.seed({"projects": [{"name": "destination", "ontology": world.ontology_id}]})["projects"][0]["id"])


def _prelabels(mock: MockLabelbox, project_id: str) -> dict[str, list[str]]:
    project = mock.backend.store.organizations()[0].projects[project_id]
    return {row_id: [p["uuid"] for p in predictions] for row_id, predictions in project.prelabels.items()}


def _operations(mock: MockLabelbox) -> list[str | None]:
    return [e.operation for e in mock.requests]


def test_accepted_rows_go_to_the_project_as_a_batch_with_pre_labels(run: lb.ModelRun, world: World, mock: MockLabelbox,
                                                                     project_id: str) -> None:
    rows = [_box("gk-5"), _box("gk-6"), _box("gk-6"), _box("gk-9")]
    imported, batch, mal = run.upsert_predictions_and_send_to_project("send", rows, project_id, priority=2)
    assert [s["status"] for s in imported.statuses] == ["SUCCESS", "SUCCESS", "SUCCESS", "FAILURE"]
    assert batch is not None and (batch.name, batch.size, batch.project_id) == ("send", 2, project_id)
    assert mal is not None and mal.state is lb.AnnotationImportState.FINISHED and mal.project_id == project_id
    assert mal.project().uid == project_id
    assert [s["uuid"] for s in mal.statuses] == [row["uuid"] for row in rows[:3]] and mal.errors == []
    assert _prelabels(mock, project_id) == {world.data_row_ids[5]: [rows[0]["uuid"]],
                                           world.data_row_ids[6]: [rows[1]["uuid"], rows[2]["uuid"]]}
    assert lb.MEAToMALPredictionImport.from_name(run.client, project_id, "send") == mal


def test_no_accepted_prediction_stops_after_the_import(run: lb.ModelRun, mock: MockLabelbox, project_id: str) -> None:
    imported, batch, mal = run.upsert_predictions_and_send_to_project("none", [_box("gk-9")], project_id)
    assert imported.errors and batch is None and mal is None
    assert "createBatchV2PyApi" not in _operations(mock)


def test_a_batch_that_cannot_be_made_stops_with_a_warning(run: lb.ModelRun, mock: MockLabelbox, project_id: str,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    run.client.get_project(project_id).create_batch("taken", global_keys=["gk-9"])
    with caplog.at_level(logging.WARNING, logger="labelbox_lite"):
        imported, batch, mal = run.upsert_predictions_and_send_to_project("taken", [_box("gk-5")], project_id)
    assert imported.statuses[0]["status"] == "SUCCESS" and batch is None and mal is None
    assert "Failed to create batch 'taken'" in caplog.text and "already has a batch named" in caplog.text
    assert "createMalPredictionImportForModelRunDataRowsPyApi" not in _operations(mock)


def test_a_failing_mal_import_request_leaves_the_batch(run: lb.ModelRun, mock: MockLabelbox, project_id: str,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    mock.inject_fault("createMalPredictionImportForModelRunDataRowsPyApi", graphql_error="RESOURCE_CONFLICT")
    with caplog.at_level(logging.WARNING, logger="labelbox_lite"):
        _imported, batch, mal = run.upsert_predictions_and_send_to_project("half", [_box("gk-5")], project_id)
    assert batch is not None and batch.size == 1 and mal is None
    assert "Failed to send predictions" in caplog.text
    assert _prelabels(mock, project_id) == {}


def test_a_failed_mal_import_is_returned_with_its_reason(run: lb.ModelRun, mock: MockLabelbox, project_id: str) -> None:
    mock.set_transition("mal-import", outcome="FAILED", error="pre-labels are switched off")
    _imported, batch, mal = run.upsert_predictions_and_send_to_project("failed", [_box("gk-5")], project_id)
    assert batch is not None and mal is not None and mal.state is lb.AnnotationImportState.FAILED
    with pytest.raises(ValueError, match="pre-labels are switched off"):
        _ = mal.statuses


def test_at_most_the_limit_of_rows_goes_on(run: lb.ModelRun, mock: MockLabelbox, project_id: str,
                                           monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(model_run_module, "DATAROWS_IMPORT_LIMIT", 2)
    with caplog.at_level(logging.WARNING, logger="labelbox_lite"):
        _imported, batch, mal = run.upsert_predictions_and_send_to_project(
            "limited", [_box("gk-5"), _box("gk-6"), _box("gk-7")], project_id)
    assert batch is not None and batch.size == 2 and mal is not None and len(mal.statuses) == 2
    assert "3 data rows have accepted predictions; only the first 2" in caplog.text


def test_a_failed_import_or_an_unknown_project_raises(run: lb.ModelRun, mock: MockLabelbox, project_id: str) -> None:
    with pytest.raises(ResourceNotFoundError):
        run.upsert_predictions_and_send_to_project("x", [_box("gk-5")], "cnosuchproject00000000000")
    assert "createMEAPredictionImportByFilePyApi" not in _operations(mock)
    with pytest.raises(ValueError, match="Import failed"):
        run.upsert_predictions_and_send_to_project("y", "https://elsewhere.example.com/p.ndjson", project_id)


def test_mal_imports_check_rows_against_the_project(client: lb.Client, run: lb.ModelRun, world: World,
                                                    mock: MockLabelbox, project_id: str) -> None:
    run.add_predictions("p", [_box("gk-5"), _box("gk-6")]).wait_till_done()
    client.get_project(project_id).create_batch("only-5", global_keys=["gk-5"])
    mal = lb.MEAToMALPredictionImport.create_for_model_run_data_rows(
        client, run.uid, world.data_row_ids[5:7], project_id, "partial")
    assert [s["status"] for s in mal.statuses] == ["SUCCESS", "FAILURE"]
    assert f"not in project {project_id}" in mal.errors[0]["errors"][0]["message"]
    with pytest.raises(InvalidQueryError, match="data rows not in model run"):
        lb.MEAToMALPredictionImport.create_for_model_run_data_rows(
            client, run.uid, [world.data_row_ids[9]], project_id, "outside")
