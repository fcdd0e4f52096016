"""ModelRun.send_to_annotate_from_model: a batch in the project, rows in a queue, predictions as labels."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError, ResourceNotFoundError
from mockserver import MockLabelbox

from ..support import World

Strategy = lb.ConflictResolutionStrategy


def _org(mock: MockLabelbox) -> Any:
    return mock.backend.store.organizations()[0]


def _run_with_predictions(client: lb.Client, world: World, keys: list[str]) -> lb.ModelRun:
    run = client.get_model(world.model_id).create_model_run(f"run-{uuid.uuid4().hex[:8]}")
    run.upsert_data_rows(global_keys=keys)
    rows = []
    for key in keys:
        rows.append({"uuid": str(uuid.uuid4()), "dataRow": {"globalKey": key}, "name": "box",
                     "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}, "confidence": 0.9})
        rows.append({"uuid": str(uuid.uuid4()), "dataRow": {"globalKey": key}, "name": "quality",
                     "answer": {"name": "bad"}})
    assert run.add_predictions("predictions", rows).errors == []
    return run


def _project(client: lb.Client, mock: MockLabelbox, ontology: str, name: str = "destination") -> lb.Project:
    created = mock.seed({"projects": [{"name": name, "ontology": ontology}]})
    return client.get_project(created["projects"][0]["id"])


def _labels(mock: MockLabelbox, project: lb.Project) -> dict[str, list[dict[str, Any]]]:
    org = _org(mock)
    return {org.labels[i].data_row_id: org.labels[i].annotations for i in org.projects[project.uid].label_ids}


def _identity(world: World) -> dict[str, str]:
    return {schema_id: schema_id for schema_id in world.features.values()}


def test_rows_go_to_the_queue_in_a_batch_with_their_predictions_as_labels(client: lb.Client, world: World,
                                                                         mock: MockLabelbox) -> None:
    run = _run_with_predictions(client, world, ["gk-5", "gk-6"])
    project = _project(client, mock, world.ontology_id)
    review = next(q for q in project.task_queues() if q.queue_type == "MANUAL_REVIEW_QUEUE")
    only_boxes = {world.features["box"]: world.features["box"]}
    task = run.send_to_annotate_from_model(project.uid, review.uid, "annotate",
                                           lb.UniqueIds(world.data_row_ids[5:7]),
                                           {"predictions_ontology_mapping": only_boxes, "batch_priority": 2})
    task.wait_till_done()
    assert task.status == "COMPLETE" and task.type == "send-to-annotate"
    assert [(b.name, b.size) for b in project.batches()] == [("annotate", 2)]
    assert {q.name: q.data_row_count for q in project.task_queues()} == {
        "Initial labeling task": 0, "Initial review task": 2, "Rework": 0}
    labels = _labels(mock, project)
    assert sorted(labels) == sorted(world.data_row_ids[5:7])
    # only the mapped feature is copied; label annotations carry no uuid, data row or confidence
    assert labels[world.data_row_ids[5]] == [{"name": "box", "schemaId": world.features["box"],
                                              "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}}]


def test_without_a_queue_rows_go_to_done(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    run = _run_with_predictions(client, world, ["gk-7"])
    project = _project(client, mock, world.ontology_id)
    run.send_to_annotate_from_model(project.uid, None, "done", lb.GlobalKeys(["gk-7"]), {}).wait_till_done()
    assert all(q.data_row_count == 0 for q in project.task_queues())
    assert client.get_project(project.uid).data_row_count == 1
    assert _labels(mock, project) == {}  # nothing mapped, nothing copied


def test_the_conflict_rule_decides_about_existing_labels(client: lb.Client, world: World,
                                                         mock: MockLabelbox) -> None:
    run = _run_with_predictions(client, world, ["gk-0", "gk-1"])
    labelled = client.get_project(world.project_id)  # the seed labelled gk-0..gk-4 with one box
    seeded = _labels(mock, labelled)[world.data_row_ids[0]]
    run.send_to_annotate_from_model(labelled.uid, None, "keep", lb.GlobalKeys(["gk-0"]),
                                    {"predictions_ontology_mapping": _identity(world)}).wait_till_done()
    assert _labels(mock, labelled)[world.data_row_ids[0]] == seeded
    run.send_to_annotate_from_model(labelled.uid, None, "annotations", lb.GlobalKeys(["gk-0"]), {
        "predictions_ontology_mapping": _identity(world),
        "override_existing_annotations_rule": Strategy.OverrideWithAnnotations}).wait_till_done()
    assert _labels(mock, labelled)[world.data_row_ids[0]] == seeded
    run.send_to_annotate_from_model(labelled.uid, None, "override", lb.GlobalKeys(["gk-1"]), {
        "predictions_ontology_mapping": _identity(world),
        "override_existing_annotations_rule": Strategy.OverrideWithPredictions}).wait_till_done()
    replaced = _labels(mock, labelled)[world.data_row_ids[1]]
    assert [a["name"] for a in replaced] == ["box", "quality"]
    assert replaced[1]["answer"] == {"name": "bad", "schemaId": next(
        o.feature_schema_id for c in _org(mock).ontologies[world.ontology_id].classifications for o in c.options
        if o.value == "bad")}
    assert list(labelled.batches()) == []  # the rows were in the project already: no batch needed


def test_rows_in_the_project_are_left_out_when_asked(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    run = _run_with_predictions(client, world, ["gk-4", "gk-5"])
    labelled = client.get_project(world.project_id)
    review = next(q for q in labelled.task_queues() if q.queue_type == "MANUAL_REVIEW_QUEUE")
    run.send_to_annotate_from_model(labelled.uid, review.uid, "fresh", lb.GlobalKeys(["gk-4", "gk-5"]), {
        "exclude_data_rows_in_project": True, "predictions_ontology_mapping": _identity(world),
        "override_existing_annotations_rule": Strategy.OverrideWithPredictions}).wait_till_done()
    assert [(b.name, b.size) for b in labelled.batches()] == [("fresh", 1)]
    assert {q.name: q.data_row_count for q in labelled.task_queues()}["Initial review task"] == 1
    labels = _labels(mock, labelled)
    assert [a["name"] for a in labels[world.data_row_ids[4]]] == ["box"]  # gk-4 kept its seeded label
    assert [a["name"] for a in labels[world.data_row_ids[5]]] == ["box", "quality"]


def test_a_taken_batch_name_gets_a_suffix(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    run = _run_with_predictions(client, world, ["gk-5", "gk-6"])
    project = _project(client, mock, world.ontology_id)
    for key in ("gk-5", "gk-6"):
        run.send_to_annotate_from_model(project.uid, None, "same", lb.GlobalKeys([key]), {}).wait_till_done()
    assert [b.name for b in project.batches()] == ["same", "same_1"]


def test_predictions_map_into_another_ontology_option_by_option(client: lb.Client, world: World,
                                                                mock: MockLabelbox) -> None:
    created = mock.seed({"ontologies": [{"name": "other", "classifications": [
        {"type": "radio", "name": "verdict", "options": ["fine", "bad"]}]}]})
    other = created["ontologies"][0]
    project = _project(client, mock, other["id"], "elsewhere")
    org = _org(mock)
    source = {o.value: o.feature_schema_id for o in org.ontologies[world.ontology_id].classifications[0].options}
    target = {o.value: o.feature_schema_id for o in org.ontologies[other["id"]].classifications[0].options}
    run = _run_with_predictions(client, world, ["gk-6"])
    mapping = {world.features["quality"]: other["features"]["verdict"], source["good"]: target["fine"]}
    run.send_to_annotate_from_model(project.uid, None, "mapped", lb.GlobalKeys(["gk-6"]),
                                    {"predictions_ontology_mapping": mapping}).wait_till_done()
    (annotation,) = _labels(mock, project)[world.data_row_ids[6]]
    # "bad" has no mapping of its own and lands on the target's option of the same name
    assert annotation == {"name": "verdict", "schemaId": other["features"]["verdict"],
                          "answer": {"name": "bad", "schemaId": target["bad"]}}


@pytest.mark.parametrize("change, error, message", [
    (lambda w, p, q: {"data_rows": lb.GlobalKeys(["no-such-key"])}, InvalidQueryError, "global keys not found"),
    (lambda w, p, q: {"data_rows": lb.GlobalKeys(["gk-9"])}, InvalidQueryError, "not in model run"),
    (lambda w, p, q: {"task_queue_id": q}, InvalidQueryError, "belongs to project"),
    (lambda w, p, q: {"destination_project_id": "cnosuchproject00000000000"}, ResourceNotFoundError, "Project"),
    (lambda w, p, q: {"params": {"predictions_ontology_mapping": {"cnope": w.features["box"]}}}, InvalidQueryError,
     "'cnope' is no feature of the model's ontology"),
    (lambda w, p, q: {"params": {"predictions_ontology_mapping": {w.features["box"]: w.features["dot"]}}},
     InvalidQueryError, "is a rectangle but"),
    (lambda w, p, q: {"params": {"batch_priority": 0}}, InvalidQueryError, "priority"),
])
def test_bad_requests_are_refused_whole(client: lb.Client, world: World, mock: MockLabelbox, change: Any,
                                        error: type[Exception], message: str) -> None:
    run = _run_with_predictions(client, world, ["gk-6"])
    project = _project(client, mock, world.ontology_id)
    foreign_queue = client.get_project(world.project_id).task_queues()[0].uid
    arguments: dict[str, Any] = {"destination_project_id": project.uid, "task_queue_id": None, "batch_name": "b",
                                 "data_rows": lb.GlobalKeys(["gk-6"]), "params": {}}
    arguments.update(change(world, project, foreign_queue))
    tasks_before = len(_org(mock).tasks)
    with pytest.raises(error, match=message):
        run.send_to_annotate_from_model(**arguments)
    assert len(_org(mock).tasks) == tasks_before and list(project.batches()) == []


@pytest.mark.parametrize("data_rows, params, message", [
    (["gk-6"], {}, "UniqueIds or GlobalKeys"),
    (lb.GlobalKeys([]), {}, "data_rows is empty"),
    (lb.GlobalKeys(["gk-6"]), {"batch_size": 3}, "unknown send_to_annotate_from_model params"),
    (lb.GlobalKeys(["gk-6"]), {"override_existing_annotations_rule": "MERGE"}, "must be one of"),
])
def test_bad_arguments_are_refused_before_sending(client: lb.Client, world: World, mock: MockLabelbox,
                                                  data_rows: Any, params: Any, message: str) -> None:
    run = client.get_model(world.model_id).create_model_run("r")
    sent = len(mock.requests)
    with pytest.raises(ValueError, match=message):
        run.send_to_annotate_from_model(world.project_id, None, "b", data_rows, params)
    assert len(mock.requests) == sent


def test_the_request_has_the_sdk_shape(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    run = _run_with_predictions(client, world, ["gk-6"])
    project = _project(client, mock, world.ontology_id)
    run.send_to_annotate_from_model(project.uid, None, "b", lb.UniqueIds([world.data_row_ids[6]]), {
        "override_existing_annotations_rule": "OVERRIDE_WITH_PREDICTIONS"})
    sent = next(e.variables for e in mock.requests if e.operation == "SendToAnnotateFromMeaPyApi")["input"]
    assert sent == {
        "destinationProjectId": project.uid, "batchInput": {"batchName": "b", "batchPriority": 5},
        "destinationTaskQueue": {"type": "done"}, "excludeDataRowsInProject": False, "annotationsInput": None,
        "predictionsInput": {"featureSchemaIdsMapping": {}, "modelRunId": run.uid, "minConfidence": 0,
                             "maxConfidence": 1},
        "conflictLabelsResolutionStrategy": "OVERRIDE_WITH_PREDICTIONS",
        "searchQuery": [{"type": "data_row_id", "operator": "is", "ids": [world.data_row_ids[6]]}],
        "sourceModelRunId": run.uid,
    }
