"""Rows moving between a project's workflow steps, the overview's counts, and removing queued rows,
through the documents the SDK sends (labelbox_lite has no method for these)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError
from mockserver import MockLabelbox

MOVE = ("mutation Move($projectId: ID!, $queueId: ID, $ids: AddRowsToTaskQueueViaDataRowIdentifiersInput!)"
        "{project(where: {id: $projectId}){createBulkAddRowsToQueueTask(data: {queueId: $queueId, "
        "dataRowIdentifiers: $ids}){taskId}}}")
OVERVIEW = ("query Overview($projectId: ID!, $batchIds: [String!]){project(where: {id: $projectId})"
            "{workstreamStateCounts(batchIds: $batchIds){state count} completedDataRowCount issues{totalCount}}}")
REMOVE = ("mutation Remove($projectId: ID!, $batchId: ID!){project(where: {id: $projectId})"
          "{removeQueuedDataRowsFromBatch(batchId: $batchId){id size}}}")
STEPS = ("INITIAL_LABELING_QUEUE", "MANUAL_REVIEW_QUEUE", "MANUAL_REWORK_QUEUE", None)  # None: Done
STATE_OF = {"INITIAL_LABELING_QUEUE": "Unlabeled", "MANUAL_REVIEW_QUEUE": "InReview",
            "MANUAL_REWORK_QUEUE": "InRework", None: "Done"}
ROWS = 6


def _setup(mock: MockLabelbox) -> tuple[lb.Client, lb.Project, list[str], dict[str | None, str | None]]:
    client = lb.Client(api_key=mock.api_key)
    seeded = mock.seed({"datasets": [{"name": "d", "data_rows": [
        {"row_data": f"https://example.com/{i}.jpg", "global_key": f"k-{i}"} for i in range(ROWS)]}]})
    project = client.create_project(name="steps", media_type=lb.MediaType.Image)
    queues: dict[str | None, str | None] = {q.queue_type: q.uid for q in project.task_queues()}
    queues[None] = None
    return client, project, seeded["datasets"][0]["data_rows"], queues


def _move(client: lb.Client, project: lb.Project, queue_id: str | None, ids: list[str], id_type: str = "ID") -> None:
    started = client.execute(MOVE, {"projectId": project.uid, "queueId": queue_id,
                                    "ids": {"ids": ids, "idType": id_type}}, experimental=True)
    lb.Task.fetch(client, started["project"]["createBulkAddRowsToQueueTask"]["taskId"]).wait_till_done()


def _counts(client: lb.Client, project: lb.Project, batch_ids: list[str] | None = None) -> dict[str, Any]:
    data = client.execute(OVERVIEW, {"projectId": project.uid, "batchIds": batch_ids}, experimental=True)["project"]
    return {**{c["state"]: c["count"] for c in data["workstreamStateCounts"]},
            "completed": data["completedDataRowCount"], "issues": data["issues"]["totalCount"]}


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(moves=st.lists(st.tuples(st.sampled_from(STEPS), st.sets(st.integers(0, 3), min_size=1)), max_size=5),
       scope=st.none() | st.sets(st.integers(0, 1)))
def test_the_overview_counts_each_row_in_the_step_it_was_moved_to(mock: MockLabelbox,
                                                                  moves: list[tuple[str | None, set[int]]],
                                                                  scope: set[int] | None) -> None:
    mock.reset()
    client, project, rows, queues = _setup(mock)
    batches = [project.create_batch("a", rows[:2]), project.create_batch("b", rows[2:4])]
    step: dict[int, str | None] = dict.fromkeys(range(4), "INITIAL_LABELING_QUEUE")
    for target, picked in moves:
        _move(client, project, queues[target], [f"k-{i}" for i in sorted(picked)], "GKEY")
        step.update(dict.fromkeys(picked, target))
    batch_ids = None if scope is None else [batches[i].uid for i in sorted(scope)]
    counted = range(4) if scope is None else [i for b in sorted(scope) for i in (2 * b, 2 * b + 1)]
    counts = _counts(client, project, batch_ids)
    for kind in STEPS:
        assert counts[STATE_OF[kind]] == sum(1 for i in counted if step[i] == kind)
    assert (counts["All"], counts["Labeled"], counts["Skipped"], counts["issues"]) == (len(counted), 0, 0, 0)
    assert counts["completed"] == sum(1 for i in range(4) if step[i] is None)


def test_removing_queued_rows_keeps_rows_past_the_labelling_step(mock: MockLabelbox) -> None:
    client, project, rows, queues = _setup(mock)
    batch = project.create_batch("a", rows[:4])
    _move(client, project, queues["MANUAL_REVIEW_QUEUE"], [rows[0]])
    removed = client.execute(REMOVE, {"projectId": project.uid, "batchId": batch.uid}, experimental=True)
    assert removed["project"]["removeQueuedDataRowsFromBatch"] == {"id": batch.uid, "size": 1}
    assert _counts(client, project)["All"] == 1
    assert project.create_batch("again", rows[1:4]).size == 3  # the removed rows may join again


def test_moves_and_removals_that_cannot_apply_are_refused(mock: MockLabelbox) -> None:
    client, project, rows, queues = _setup(mock)
    batch = project.create_batch("a", rows[:2])
    other = client.create_project(name="other", media_type=lb.MediaType.Image)
    foreign_queue = other.task_queues()[0].uid
    for queue_id, ids, id_type, message in [
        (queues["MANUAL_REVIEW_QUEUE"], [rows[5]], "ID", "not in project"),
        (queues["MANUAL_REVIEW_QUEUE"], ["k-0", "k-9"], "GKEY", "not in project .*'k-9'"),
        (foreign_queue, [rows[0]], "ID", "is not a queue of project"),
        (queues["MANUAL_REVIEW_QUEUE"], [rows[0]], "UUID", "idType must be one of ID, GKEY"),
        (queues["MANUAL_REVIEW_QUEUE"], [], "ID", "must not be empty"),
    ]:
        with pytest.raises(InvalidQueryError, match=message):
            _move(client, project, queue_id, ids, id_type)
    with pytest.raises(InvalidQueryError, match="belongs to project"):
        client.execute(REMOVE, {"projectId": other.uid, "batchId": batch.uid}, experimental=True)
    assert _counts(client, project)["Unlabeled"] == 2
