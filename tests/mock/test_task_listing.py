"""Organization.tasks and User.createdTasks listings, and cancelling a running export."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError
from mockserver import MockLabelbox

ORG_TASKS = ("query OrgTasks($status: TaskStatus, $skip: Int, $first: Int)"
             "{organization{tasks(where: {status: $status} skip: $skip first: $first){id status type}}}")
USER_TASKS = ("query UserTasks($status: TaskStatus){user{createdTasks(where: {status: $status}){id status}}}")
CANCEL = "mutation Cancel($id: ID!){cancelBulkOperationJob(id: $id){success}}"
EXPORT = ("mutation Export($input: ExportDataRowsInCatalogInput!)"
          "{exportDataRowsInCatalog(input: $input){taskId}}")


def _export(client: lb.Client, dataset_id: str) -> str:
    data = client.execute(EXPORT, {"input": {"taskName": "e", "isStreamableReady": True, "streamable": True,
                                             "params": {}, "filters": {"searchQuery": {"scope": None, "query": [
                                                 {"type": "dataset", "operator": "is", "ids": [dataset_id]}]}}}})
    return str(data["exportDataRowsInCatalog"]["taskId"])


def _dataset(mock: MockLabelbox) -> str:
    seeded = mock.seed({"datasets": [{"name": "d", "data_rows": [{"row_data": "https://example.com/a.jpg"}]}]})
    return str(seeded["datasets"][0]["id"])


def _listed(client: lb.Client, status: str | None = None, skip: int | None = None,
            first: int | None = None) -> list[dict[str, Any]]:
    data = client.execute(ORG_TASKS, {"status": status, "skip": skip, "first": first})
    return list(data["organization"]["tasks"])


def test_a_running_export_is_listed_in_progress_and_can_be_cancelled(client: lb.Client, mock: MockLabelbox) -> None:
    dataset_id = _dataset(mock)
    mock.set_transition("export", progression="reads", times=5)
    task_id = _export(client, dataset_id)
    assert [t["id"] for t in _listed(client, "IN_PROGRESS")] == [task_id]
    assert _listed(client, "IN_PROGRESS") == _listed(client, "IN_PROGRESS")  # a listing is not a status read
    assert client.execute("query{cancelableTaskTypes}")["cancelableTaskTypes"] == ["ExportDataRows"]
    assert client.execute(CANCEL, {"id": task_id})["cancelBulkOperationJob"] == {"success": True}
    assert [t["id"] for t in _listed(client, "CANCELED")] == [task_id]
    assert client.execute(USER_TASKS, {"status": "CANCELED"})["user"]["createdTasks"] == [
        {"id": task_id, "status": "CANCELED"}]
    assert _listed(client, "IN_PROGRESS") == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(count=st.integers(0, 12), skip=st.integers(0, 14), first=st.integers(0, 14))
def test_pages_of_tasks_follow_creation_order(mock: MockLabelbox, count: int, skip: int, first: int) -> None:
    mock.reset()
    client = lb.Client(api_key=mock.api_key)
    dataset_id = _dataset(mock)
    made = [_export(client, dataset_id) for _ in range(count)]
    assert [t["id"] for t in _listed(client, None, skip, first)] == made[skip:skip + first]
    assert all(t["status"] == "IN_PROGRESS" and t["type"] == "export-data-rows" for t in _listed(client))


def test_only_a_running_task_of_a_cancelable_type_is_cancelled(client: lb.Client, mock: MockLabelbox) -> None:
    dataset_id = _dataset(mock)
    done = _export(client, dataset_id)
    client.execute("query($id: ID!){user{createdTasks(where: {id: $id}){status}}}", {"id": done})  # completes it
    with pytest.raises(InvalidQueryError, match="is COMPLETE: only a task in progress can be canceled"):
        client.execute(CANCEL, {"id": done})
    mock.set_transition("batch-creation", progression="reads", times=3)
    seeded = mock.seed({"projects": [{"name": "p"}]})
    project_id = seeded["projects"][0]["id"]
    rows = client.get_dataset(dataset_id).data_rows()
    started = client.execute(lb.documents.CREATE_BATCHES, {"projectId": project_id, "input": {
        "batchNamePrefix": "b", "dataRowIds": [row.uid for row in rows]}})
    batch_task = started["project"]["createBatches"]["tasks"][0]["taskId"]
    with pytest.raises(InvalidQueryError, match="add-data-rows-to-batch task, which cannot be canceled"):
        client.execute(CANCEL, {"id": batch_task})
    with pytest.raises(lb.exceptions.ResourceNotFoundError):
        client.execute(CANCEL, {"id": "cnosuchtask00000000000000"}, raise_return_resource_not_found=True)
