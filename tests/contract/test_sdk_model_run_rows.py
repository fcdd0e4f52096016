"""The real SDK through model-run data rows, labels, splits, training status and tasks."""

from __future__ import annotations

import pytest

from mockserver.engines.tasks import Transition

from ..support import World
from .conftest import SdkTarget, labelbox


def test_rows_labels_splits_and_deletes(sdk: SdkTarget, sdk_world: World) -> None:
    run = sdk.client.get_model(sdk_world.model_id).create_model_run("rows")
    assert run.upsert_data_rows(data_row_ids=sdk_world.data_row_ids[:2]) is True
    assert run.upsert_data_rows(global_keys=sdk_world.global_keys[2:4]) is True
    assert run.upsert_labels(label_ids=sdk_world.label_ids[:1]) is True
    assert run.upsert_labels(project_id=sdk_world.project_id) is True
    assert run.assign_data_rows_to_split(data_row_ids=sdk_world.data_row_ids[:1], split="TRAINING") is True
    assert run.assign_data_rows_to_split(global_keys=["gk-1"], split=labelbox.DataSplit.VALIDATION) is True
    rows = {r.data_row().uid: r for r in run.model_run_data_rows()}
    assert set(rows) == set(sdk_world.data_row_ids[:5])
    assert rows[sdk_world.data_row_ids[0]].data_split == labelbox.DataSplit.TRAINING
    assert rows[sdk_world.data_row_ids[1]].data_split == labelbox.DataSplit.VALIDATION
    assert rows[sdk_world.data_row_ids[0]].label_id == sdk_world.label_ids[0]
    run.delete_model_run_data_rows(sdk_world.data_row_ids[:2])
    assert {r.data_row().uid for r in run.model_run_data_rows()} == set(sdk_world.data_row_ids[2:5])


def test_unknown_rows_fail_the_job(sdk: SdkTarget, sdk_world: World) -> None:
    run = sdk.client.get_model(sdk_world.model_id).create_model_run("bad")
    with pytest.raises(Exception, match="Job failed"):
        run.upsert_data_rows(global_keys=["no-such-key"])
    assert list(run.model_run_data_rows()) == []


def test_training_status(sdk: SdkTarget, sdk_world: World) -> None:
    run = sdk.client.get_model(sdk_world.model_id).create_model_run("status")
    run.update_status("TRAINING_MODEL", metadata={"epoch": 1})
    run.update_status(labelbox.ModelRun.Status.COMPLETE, metadata={"loss": 0.1}, error_message="none")
    pipeline = sdk.client.execute(
        "query trainingPipelinePyApi($modelRunId: ID!) { trainingPipeline(where: {id : $modelRunId}) "
        "{status, errorMessage, metadata}}", {"modelRunId": run.uid}, experimental=True)["trainingPipeline"]
    assert pipeline == {"status": "COMPLETE", "errorMessage": "none", "metadata": {"epoch": 1, "loss": 0.1}}


def test_a_task_that_needs_one_read(sdk: SdkTarget, sdk_world: World) -> None:
    run = sdk.client.get_model(sdk_world.model_id).create_model_run("slow")
    sdk.backend.tasks.set_transition("data-row-registration", Transition(progression="reads", times=1))
    task_id = sdk.client.execute(
        "mutation createMEAModelRunDataRowRegistrationTaskPyApi($modelRunId: ID!, $dataRowIds: [ID!], "
        "$globalKeys: [ID!]) {createMEAModelRunDataRowRegistrationTask(where : { id : $modelRunId}, "
        "data : {dataRowIds: $dataRowIds, globalKeys: $globalKeys})}",
        {"modelRunId": run.uid, "dataRowIds": None, "globalKeys": ["gk-0"]})["createMEAModelRunDataRowRegistrationTask"]
    task = sdk.client.get_task_by_id(task_id)
    assert task.status == "IN_PROGRESS"
    task.wait_till_done(timeout_seconds=30)  # the SDK sleeps its two seconds once
    assert task.status == "COMPLETE"
    assert len(list(run.model_run_data_rows())) == 1
