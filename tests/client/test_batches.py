"""Project.create_batch (both paths), Project.batches() and Project.task_queues()."""

from __future__ import annotations

from typing import Any

import pytest

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError, LabelboxError, MalformedQueryException, ResourceConflict
from mockserver import MockLabelbox

from ..support import FakeTime, World


def _project(mock: MockLabelbox, world: World, name: str = "destination") -> str:
    return str(mock.seed({"projects": [{"name": name, "ontology": world.ontology_id}]})["projects"][0]["id"])


def _rows(mock: MockLabelbox, count: int, prefix: str) -> list[str]:
    created = mock.seed({"datasets": [{"name": prefix, "data_rows": [
        {"row_data": f"https://example.com/{prefix}/{i}.jpg", "global_key": f"{prefix}-{i}"} for i in range(count)]}]})
    return list(created["datasets"][0]["data_rows"])


def _queue_counts(project: lb.Project) -> dict[str, int]:
    return {queue.name: queue.data_row_count for queue in project.task_queues()}


def test_a_new_project_has_the_default_workflow_queues(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    queues = client.get_project(_project(mock, world)).task_queues()
    assert [(q.name, q.queue_type, q.data_row_count) for q in queues] == [
        ("Initial labeling task", "INITIAL_LABELING_QUEUE", 0),
        ("Initial review task", "MANUAL_REVIEW_QUEUE", 0),
        ("Rework", "MANUAL_REWORK_QUEUE", 0),
    ]


def test_a_batch_by_ids_data_rows_or_global_keys_fills_the_first_queue(client: lb.Client, world: World,
                                                                      mock: MockLabelbox) -> None:
    project = client.get_project(_project(mock, world))
    by_ids = project.create_batch("ids", world.data_row_ids[:2], priority=1)
    assert (by_ids.name, by_ids.size, by_ids.project_id, by_ids.failed_data_row_ids) == ("ids", 2, project.uid, [])
    by_rows = project.create_batch("rows", [client.get_data_row(world.data_row_ids[2])])
    by_keys = project.create_batch("keys", global_keys=["gk-3", "gk-4"], consensus_settings={
        "number_of_labels": 2, "coverage_percentage": 0.5})
    assert by_rows.size == 1 and by_keys.size == 2
    assert by_keys.consensus_settings == {"numberOfLabels": 2, "coveragePercentage": 0.5}
    assert [b.name for b in project.batches()] == ["ids", "rows", "keys"]
    assert _queue_counts(project)["Initial labeling task"] == 5
    assert client.get_project(project.uid).data_row_count == 5
    assert client.get_batch(project.uid, by_ids.uid).name == "ids"
    assert "createBatchV2PyApi" in [e.operation for e in mock.requests]


def test_rows_that_cannot_join_come_back_as_failed(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    project = client.get_project(_project(mock, world))
    project.create_batch("first", world.data_row_ids[:2])
    second = project.create_batch("second", [world.data_row_ids[1], world.data_row_ids[2], "cnosuchrow000000000000000"])
    assert second.size == 1
    assert second.failed_data_row_ids == [world.data_row_ids[1], "cnosuchrow000000000000000"]
    with pytest.raises(MalformedQueryException, match="none of the data rows can be added.*already in project"):
        project.create_batch("third", world.data_row_ids[:2])
    assert [b.name for b in project.batches()] == ["first", "second"]


def test_bad_batches_are_refused_whole(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    project = client.get_project(_project(mock, world))
    project.create_batch("taken", world.data_row_ids[:1])
    with pytest.raises(ResourceConflict, match="already has a batch named 'taken'"):
        project.create_batch("taken", world.data_row_ids[1:2])
    with pytest.raises(InvalidQueryError, match="priority must be an integer from 1"):
        project.create_batch("urgent", world.data_row_ids[1:2], priority=9)
    sent = len(mock.requests)
    cases: list[tuple[dict[str, Any], str]] = [
        ({"data_rows": []}, "at least one data row"),
        ({"data_rows": ["a"] * 100_001}, "exceeds max size"),
        ({"data_rows": ["a"], "global_keys": ["b"]}, "exactly one of data_rows or global_keys"),
        ({"data_rows": [3]}, "data row ids or DataRow objects"),
        ({"data_rows": ["a"], "consensus_settings": {"labels": 2}}, "number_of_labels"),
    ]
    for kwargs, message in cases:
        with pytest.raises(ValueError, match=message):
            project.create_batch("bad", **kwargs)
    assert len(mock.requests) == sent
    assert [b.name for b in project.batches()] == ["taken"]


def test_a_thousand_rows_or_more_are_batched_by_a_task(client: lb.Client, world: World, mock: MockLabelbox,
                                                       fake_time: FakeTime) -> None:
    rows = _rows(mock, 1000, "many")
    project = client.get_project(_project(mock, world))
    mock.set_transition("batch-creation", progression="reads", times=2)
    batch = project.create_batch("big", rows, priority=2)
    assert batch.size == 1000 and batch.name == "big"
    operations = [e.operation for e in mock.requests if e.operation != "GetUserPyApi"]
    assert operations[-6:] == ["createEmptyBatchPyApi", "addDataRowsToBatchAsyncPyApi", "GetUserCreatedTasksPyApi",
                               "GetUserCreatedTasksPyApi", "GetUserCreatedTasksPyApi", "getProjectBatchPyApi"]
    assert fake_time.sleeps == [2.0]


def test_a_failed_batch_task_says_so(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    rows = _rows(mock, 1000, "many")
    project = client.get_project(_project(mock, world))
    mock.set_transition("batch-creation", outcome="FAILED", error="storage is full")
    with pytest.raises(LabelboxError, match="Batch 'big' .* was not created successfully: .*storage is full"):
        project.create_batch("big", rows)
    assert [(b.name, b.size) for b in project.batches()] == [("big", 0)]  # the empty batch stays, as in Labelbox


def test_batches_are_listed_a_page_at_a_time(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    rows = _rows(mock, 105, "paged")
    project = client.get_project(_project(mock, world))
    for index, row in enumerate(rows):
        project.create_batch(f"b{index:03d}", [row])
    assert [b.name for b in project.batches()] == [f"b{index:03d}" for index in range(105)]
    pages = [e.variables for e in mock.requests if e.operation == "GetProjectBatchesPyApi"]
    assert len(pages) == 2 and pages[0]["from"] is None and pages[1]["from"] is not None


def _variables(mock: MockLabelbox, operation: str) -> dict[str, Any]:
    return next(e.variables for e in reversed(mock.requests) if e.operation == operation)


def test_batch_writes_go_to_the_experimental_endpoint(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    project = client.get_project(_project(mock, world))
    project.create_batch("b", global_keys=["gk-0"])
    assert _variables(mock, "createBatchV2PyApi")["batchInput"] == {
        "name": "b", "dataRowIds": None, "globalKeys": ["gk-0"], "priority": 5, "consensusSettings": None}
    paths = {e.operation: e.path for e in mock.requests}
    assert paths["createBatchV2PyApi"] == "/_gql" and paths["CheckAllDataRowsHaveBeenProcessedPyApi"] == "/graphql"
