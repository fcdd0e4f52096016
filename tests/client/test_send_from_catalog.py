"""Client.send_to_annotate_from_catalog: catalog rows into a project's queue as a batch, with a source
project's labels (or a source model run's predictions) as their labels."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError, ResourceNotFoundError
from mockserver import MockLabelbox

from ..support import World


def _org(mock: MockLabelbox) -> Any:
    return mock.backend.store.organizations()[0]


def _project(client: lb.Client, mock: MockLabelbox, ontology: str | None) -> lb.Project:
    spec: dict[str, Any] = {"name": f"destination-{uuid.uuid4().hex[:8]}"}
    if ontology is not None:
        spec["ontology"] = ontology
    return client.get_project(mock.seed({"projects": [spec]})["projects"][0]["id"])


def _queue(project: lb.Project, queue_type: str) -> str:
    return next(q.uid for q in project.task_queues() if q.queue_type == queue_type)


def _labels(mock: MockLabelbox, project: lb.Project) -> dict[str, list[str]]:
    org = _org(mock)
    return {org.labels[i].data_row_id: [a["name"] for a in org.labels[i].annotations]
            for i in org.projects[project.uid].label_ids}


def _identity(world: World) -> dict[str, str]:
    return {schema_id: schema_id for schema_id in world.features.values()}


def test_a_source_projects_labels_come_along_into_the_review_queue(client: lb.Client, world: World,
                                                                   mock: MockLabelbox) -> None:
    destination = _project(client, mock, world.ontology_id)
    review = _queue(destination, "MANUAL_REVIEW_QUEUE")
    # gk-0 has a labelled box in the source project, gk-7 has no label there
    task = client.send_to_annotate_from_catalog(
        destination.uid, review, "from-catalog", lb.GlobalKeys(["gk-0", "gk-7"]),
        {"source_project_id": world.project_id, "annotations_ontology_mapping": _identity(world),
         "override_existing_annotations_rule": lb.ConflictResolutionStrategy.OverrideWithAnnotations})
    task.wait_till_done()
    assert task.status == "COMPLETE"
    assert [(b.name, b.size) for b in destination.batches()] == [("from-catalog", 2)]
    assert {q.name: q.data_row_count for q in destination.task_queues()}["Initial review task"] == 2
    # every row a reviewer sees has a label: the copied one, or an empty one
    assert _labels(mock, destination) == {world.data_row_ids[0]: ["box"], world.data_row_ids[7]: []}


def test_a_source_model_runs_predictions_need_not_cover_every_row(client: lb.Client, world: World,
                                                                 mock: MockLabelbox) -> None:
    run = client.get_model(world.model_id).create_model_run("predicted")
    run.upsert_data_rows(global_keys=["gk-5"])
    assert run.add_predictions("p", [{"uuid": str(uuid.uuid4()), "dataRow": {"globalKey": "gk-5"}, "name": "box",
                                      "bbox": {"top": 1, "left": 1, "height": 2, "width": 2}}]).errors == []
    destination = _project(client, mock, world.ontology_id)
    client.send_to_annotate_from_catalog(
        destination.uid, None, "done", lb.GlobalKeys(["gk-5", "gk-6"]),
        {"source_model_run_id": run.uid, "predictions_ontology_mapping": _identity(world)}).wait_till_done()
    # Done is no review step: only the row with a mapped prediction gets a label
    assert _labels(mock, destination) == {world.data_row_ids[5]: ["box"]}
    assert all(q.data_row_count == 0 for q in destination.task_queues())


@given(data=st.data())
def test_rows_land_once_in_the_chosen_queue_with_the_labels_the_rule_gives(
        client: lb.Client, world: World, mock: MockLabelbox, data: st.DataObject) -> None:
    destination = _project(client, mock, world.ontology_id)
    chosen = data.draw(st.lists(st.sampled_from(world.global_keys), min_size=1, unique=True))
    queue_type = data.draw(st.sampled_from(["INITIAL_LABELING_QUEUE", "MANUAL_REVIEW_QUEUE", "MANUAL_REWORK_QUEUE"]))
    mapped = data.draw(st.booleans())
    params: dict[str, Any] = {"source_project_id": world.project_id,
                              "annotations_ontology_mapping": _identity(world) if mapped else {}}
    client.send_to_annotate_from_catalog(destination.uid, _queue(destination, queue_type), "sent",
                                         lb.GlobalKeys(chosen), params).wait_till_done()
    rows = [world.data_row_ids[world.global_keys.index(key)] for key in chosen]
    org = _org(mock)
    queues = {q.queue_type: q.data_row_ids for q in (org.task_queues[i] for i in org.projects[destination.uid].task_queue_ids)}
    assert sorted(queues[queue_type]) == sorted(rows)
    assert sum(len(held) for held in queues.values()) == len(rows)
    labelled_in_source = set(world.data_row_ids[:5])
    expected = {row: ["box"] for row in rows if mapped and row in labelled_in_source}
    if queue_type != "INITIAL_LABELING_QUEUE":
        expected = {row: expected.get(row, []) for row in rows}
    assert _labels(mock, destination) == expected


@pytest.mark.parametrize("params, message", [
    ({}, "Either source_project_id or source_model_id are required"),
    ({"source_project_id": "p", "source_model_run_id": "r"}, "not both"),
    ({"source_project_id": "p", "batch_size": 3}, "unknown send_to_annotate_from_catalog params"),
    ({"source_project_id": "p", "annotations_ontology_mapping": {"a": 1}}, "maps feature schema ids"),
])
def test_bad_params_are_refused_before_sending(client: lb.Client, world: World, params: dict[str, Any],
                                               message: str) -> None:
    with pytest.raises(ValueError, match=message):
        client.send_to_annotate_from_catalog(world.project_id, None, "b", lb.GlobalKeys(["gk-0"]), params)


@pytest.mark.parametrize("change, error, message", [
    (lambda w: {"data_rows": lb.GlobalKeys(["no-such-key"])}, InvalidQueryError, "global keys not found"),
    (lambda w: {"params": {"source_project_id": "cnosuchproject00000000000"}}, ResourceNotFoundError, "Project"),
    (lambda w: {"params": {"source_project_id": w.project_id, "annotations_ontology_mapping": {"cnope": "x"}}},
     InvalidQueryError, "'cnope' is no feature of the source project's ontology"),
    (lambda w: {"params": {"source_model_run_id": "cnosuchrun000000000000000"}}, ResourceNotFoundError, "ModelRun"),
])
def test_bad_requests_are_refused_whole(client: lb.Client, world: World, mock: MockLabelbox, change: Any,
                                        error: type[Exception], message: str) -> None:
    destination = _project(client, mock, world.ontology_id)
    arguments: dict[str, Any] = {"destination_project_id": destination.uid, "task_queue_id": None,
                                 "batch_name": "b", "data_rows": lb.GlobalKeys(["gk-6"]),
                                 "params": {"source_project_id": world.project_id}}
    arguments.update(change(world))
    tasks_before = len(_org(mock).tasks)
    with pytest.raises(error, match=message):
        client.send_to_annotate_from_catalog(**arguments)
    assert len(_org(mock).tasks) == tasks_before and list(destination.batches()) == []
