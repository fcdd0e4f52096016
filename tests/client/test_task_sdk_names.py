"""The Task and ModelRun names SDK scripts touch: get_task, created_by, organization, the creation
results, and a run's cost and usage."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import ResourceNotFoundError
from mockserver import MockLabelbox

from ..support import World


def _task(client: lb.Client, world: World) -> lb.Task:
    run = client.get_model(world.model_id).create_model_run(f"r{id(client)}")
    run.upsert_data_rows(global_keys=world.global_keys[:1])
    box = {"uuid": "2b0c9f3e-41a9-4e57-8d77-5d1f4c3a9b10", "name": "box", "dataRow": {"globalKey": "gk-0"},
           "bbox": {"top": 1, "left": 1, "height": 2, "width": 2}}
    run.add_predictions("p", [box]).wait_till_done()
    return run.send_to_annotate_from_model(world.project_id, None, "b", lb.GlobalKeys(["gk-0"]), {})


def test_get_task_created_by_and_organization(client: lb.Client, world: World) -> None:
    task = _task(client, world)
    again = lb.Task.get_task(client, task.uid)
    assert again == task and again.type == task.type
    assert task.created_by() == client.get_user()
    assert task.organization() == client.get_organization()
    export = lb.ExportTask(task)
    assert export.created_by() == client.get_user() and export.organization() == client.get_organization()
    with pytest.raises(ResourceNotFoundError, match="nope"):
        lb.Task.get_task(client, "nope")


def test_creation_results_are_for_creation_tasks_only(client: lb.Client, world: World) -> None:
    task = _task(client, world)
    with pytest.raises(ValueError, match="data row creation tasks only"):
        _ = task.failed_data_rows
    with pytest.raises(ValueError, match="data row creation tasks only"):
        _ = task.created_data_rows


@given(created=st.lists(st.fixed_dictionaries({"id": st.text(min_size=1, max_size=8)}), max_size=3),
       failed=st.lists(st.fixed_dictionaries({"message": st.text(max_size=8)}), max_size=3))
def test_a_creation_tasks_result_document_is_read(client: lb.Client, mock: MockLabelbox,
                                                  created: list[dict[str, str]], failed: list[dict[str, str]]) -> None:
    url = f"https://storage.example.com/result-{len(mock.requests)}-{len(created)}-{len(failed)}.json"
    mock.backend.host_file(url, json.dumps({"createdDataRows": created, "errors": failed}).encode(),
                           "application/json")
    mock.stop()  # hosted files are registered when the mock starts
    mock.start()
    task = lb.Task(client=client, uid="t", name="JSON Import", status="COMPLETE", type="", completion_percentage=100,
                   created_at=None, updated_at=None, result_url=url)
    assert task.created_data_rows == (created or None)
    assert task.failed_data_rows == (failed or None)


def test_cost_and_usage_of_a_run_without_figures(client: lb.Client, mock: MockLabelbox, world: World) -> None:
    run = client.get_model(world.model_id).create_model_run("costs")
    before = len(mock.requests)
    assert run.total_cost is None and run.total_data_rows is None
    assert len(mock.requests) == before + 1  # read once, for both
    run.refresh_cost_and_usage()
    assert run.total_cost is None
    assert [r.operation for r in mock.requests[before:]] == ["GetModelRunCostInfoPyApi"] * 2
