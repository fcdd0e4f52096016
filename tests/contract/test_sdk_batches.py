"""The real SDK's batch calls against the mock: bulk batches, removing queued rows, batch-scoped overviews,
moving rows between workflow steps, and project exports filtered by batch, step and date."""

from __future__ import annotations

from typing import Any

import pytest

from mockserver.engines.tasks import Transition

from ..support import ONTOLOGY
from .conftest import SdkTarget, labelbox

lbox_exceptions = pytest.importorskip("lbox.exceptions")


def _project(sdk: SdkTarget, rows: int = 6) -> tuple[Any, list[str], str]:
    seeded = sdk.seed({
        "ontologies": [ONTOLOGY], "projects": [{"name": "p", "ontology": "everything"}],
        "datasets": [{"name": "d", "data_rows": [{"row_data": f"https://example.com/{i}.jpg", "global_key": f"k-{i}"}
                                                 for i in range(rows)]}]})
    project = sdk.client.get_project(seeded["projects"][0]["id"])
    return project, seeded["datasets"][0]["data_rows"], seeded["datasets"][0]["id"]


def _exported(project: Any, filters: dict[str, Any]) -> list[str]:
    task = project.export(filters=filters)
    task.wait_till_done()
    if not task.has_result():
        return []
    return [line.json["data_row"]["global_key"] for line in task.get_buffered_stream()]


def test_bulk_batches_by_rows_and_from_a_dataset(sdk: SdkTarget) -> None:
    project, rows, dataset_id = _project(sdk)
    created = project.create_batches("bulk", rows[:2], priority=3)
    created.wait_till_done()
    assert created.errors() is None
    assert [(b.name, b.size) for b in created.result()] == [("bulk0000", 2)]
    rest = project.create_batches_from_dataset("rest", dataset_id, priority=2)
    rest.wait_till_done()
    assert [(b.name, b.size) for b in rest.result()] == [("rest0000", 4)]
    with pytest.raises(lbox_exceptions.MalformedQueryException):
        project.create_batches_from_dataset("none left", dataset_id)


def test_batch_refusals_map_to_the_sdks_exceptions(sdk: SdkTarget) -> None:
    project, rows, _dataset_id = _project(sdk)
    project.create_batch("first", rows[:2])
    with pytest.raises(lbox_exceptions.MalformedQueryException):
        project.create_batch("again", rows[:2])
    with pytest.raises(lbox_exceptions.MalformedQueryException):
        project.create_batch("unknown", global_keys=["no-such-key"])
    with pytest.raises(lbox_exceptions.LabelboxError):
        project.create_batch("no priority", rows[2:3], priority=None)
    bucket = sdk.client.get_dataset(_dataset_id)
    task = bucket.create_data_rows([{"row_data": "gs://private-bucket/a.png", "global_key": "private"}])
    task.wait_till_done()
    mixed = project.create_batch("mixed", global_keys=["k-3", "private"])
    assert (mixed.size, list(mixed.failed_data_row_ids)) == (1, ["private"])


def test_overview_by_batch_queue_moves_and_removing_queued_rows(sdk: SdkTarget) -> None:
    project, rows, _dataset_id = _project(sdk)
    first = project.create_batch("a", rows[:2])
    second = project.create_batch("b", rows[2:5])
    assert project.get_overview(batch_ids=[first.uid]).total_data_rows == 2
    assert project.get_overview(batch_ids=[first.uid, second.uid]).to_label == 5
    assert project.get_overview(batch_ids=["cnosuchbatch0000000000000"]).total_data_rows == 0
    review = next(q for q in project.task_queues() if q.queue_type == "MANUAL_REVIEW_QUEUE")
    project.move_data_rows_to_task_queue(labelbox.UniqueIds([rows[0]]), review.uid)
    project.move_data_rows_to_task_queue(labelbox.GlobalKeys(["k-2"]), None)  # None: the Done step
    overview = project.get_overview(details=True)
    assert (overview.to_label, overview.in_review["total"], overview.done) == (3, 1, 1)
    assert overview.in_review["data"] == [{"Initial review task": 1}]
    assert _exported(project, {"workflow_status": "InReview"}) == ["k-0"]
    assert _exported(project, {"workflow_status": "Done"}) == ["k-2"]
    assert _exported(project, {"workflow_status": "ToLabel", "batch_ids": [second.uid]}) == ["k-3", "k-4"]
    with pytest.raises(lbox_exceptions.LabelboxError):
        project.move_data_rows_to_task_queue(labelbox.UniqueIds([rows[5]]), review.uid)  # not in the project
    second.remove_queued_data_rows()  # k-3 and k-4 leave; k-2 is done and stays
    assert project.get_overview().to_label == 1
    assert sdk.client.get_batch(project.uid, second.uid).size == 1


def test_exports_filtered_by_dates_in_every_form_the_sdk_takes(sdk: SdkTarget) -> None:
    project, rows, _dataset_id = _project(sdk)
    project.create_batch("a", rows[:3])
    wide = ["2000-01-01 00:00:00", "2050-01-01 00:00:00"]
    assert _exported(project, {"last_activity_at": wide, "data_row_ids": rows[:2]}) == ["k-0", "k-1"]
    assert _exported(project, {"last_activity_at": ["2000-01-01T00:00:00+0230", None]}) == ["k-0", "k-1", "k-2"]
    assert _exported(project, {"last_activity_at": [None, "2000-01-01"]}) == []
    assert _exported(project, {"label_created_at": wide}) == []  # nothing is labelled


def test_organization_tasks_and_cancelling_a_running_export(sdk: SdkTarget) -> None:
    _project_row, rows, _dataset_id = _project(sdk)
    sdk.backend.tasks.set_transition("export", Transition(progression="reads", times=10))
    export = labelbox.DataRow.export(client=sdk.client, data_rows=rows[:1], task_name="cancel me")
    in_progress = labelbox.Task.status_as_enum == labelbox.TaskStatus.In_Progress
    assert [t.uid for t in sdk.client.get_organization().tasks(where=in_progress)] == [export.uid]
    assert sdk.client.cancel_task(export.uid) is True
    assert sdk.client.get_task_by_id(export.uid).status == "CANCELED"
    canceled = labelbox.Task.status_as_enum == labelbox.TaskStatus.Canceled
    assert [t.uid for t in sdk.client.get_user().created_tasks(where=canceled)] == [export.uid]
    with pytest.raises(lbox_exceptions.LabelboxError, match="not in progress"):
        sdk.client.cancel_task(export.uid)
