"""Every wait in labelbox_lite raises TaskFailedError, with the server's message, when what it waits for FAILED.

One test per wait; each sets the task kind's transition to fail after one IN_PROGRESS read, so the
failure is met by the polling loop itself, not only by the first read. The batch-creation wait (large
batches) has its test beside the other batch tests (test_a_failed_batch_task_says_so).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import TaskFailedError
from mockserver import MockLabelbox

from ..support import World

REASON = "the service is out of quota"


def _run(client: lb.Client, world: World, name: str) -> lb.ModelRun:
    run = client.get_model(world.model_id).create_model_run(name)
    run.upsert_data_rows(global_keys=world.global_keys[:3])
    return run


def _box(global_key: str, world: World) -> dict[str, Any]:
    return {"uuid": str(uuid.uuid4()), "name": "box", "dataRow": {"globalKey": global_key},
            "bbox": {"top": 1, "left": 1, "height": 2, "width": 2}}


def _fail(mock: MockLabelbox, kind: str, message: str = REASON) -> None:
    mock.set_transition(kind, progression="reads", times=1, outcome="FAILED", error=message)


def _expect_failure(wait: Callable[[], Any], message: str = REASON) -> TaskFailedError:
    with pytest.raises(TaskFailedError) as raised:
        wait()
    assert message in str(raised.value)
    return raised.value


def test_task_wait_till_done(client: lb.Client, mock: MockLabelbox, world: World) -> None:
    run = _run(client, world, "task")
    run.add_predictions("p", [_box("gk-0", world)]).wait_till_done()
    _fail(mock, "send-to-annotate")
    task = run.send_to_annotate_from_model(world.project_id, None, "b", lb.GlobalKeys(["gk-0"]), {})
    error = _expect_failure(task.wait_till_done)
    assert error.task_id == task.uid and task.status == "FAILED"


def test_task_wait_until_done_is_the_deprecated_spelling(client: lb.Client, mock: MockLabelbox,
                                                          world: World) -> None:
    run = _run(client, world, "task-deprecated")
    run.add_predictions("p", [_box("gk-0", world)]).wait_till_done()
    _fail(mock, "send-to-annotate")
    task = run.send_to_annotate_from_model(world.project_id, None, "b", lb.GlobalKeys(["gk-0"]), {})
    with pytest.warns(DeprecationWarning, match="wait_till_done"):
        _expect_failure(task.wait_until_done)


def test_export_task_wait_till_done(client: lb.Client, mock: MockLabelbox, world: World) -> None:
    run = _run(client, world, "export")
    _fail(mock, "export")
    export = run.export()
    _expect_failure(export.wait_till_done)
    with pytest.warns(DeprecationWarning, match="wait_till_done"):
        _expect_failure(export.wait_until_done)


def test_prediction_import_wait_till_done(client: lb.Client, mock: MockLabelbox, world: World) -> None:
    run = _run(client, world, "mea")
    _fail(mock, "prediction-import")
    imported = run.add_predictions("p", [_box("gk-0", world)])
    error = _expect_failure(imported.wait_till_done)
    assert error.task_id == imported.uid and imported.state is lb.AnnotationImportState.FAILED
    with pytest.warns(DeprecationWarning, match="wait_till_done"):
        _expect_failure(imported.wait_until_done)
    with pytest.raises(ValueError, match=REASON):  # the files of a failed import say so too, as before
        _ = imported.statuses


def test_mal_import_wait_till_done(client: lb.Client, mock: MockLabelbox, world: World) -> None:
    run = _run(client, world, "mal")
    run.add_predictions("p", [_box("gk-0", world)]).wait_till_done()
    # the seeded project holds gk-0 already, so pre-labels may go there
    _fail(mock, "mal-import")
    mal = lb.MEAToMALPredictionImport.create_for_model_run_data_rows(
        client, run.uid, [world.data_row_ids[0]], world.project_id, "mal")
    _expect_failure(mal.wait_till_done)


@pytest.mark.parametrize("kind, call", [
    ("data-row-registration", lambda run, world: run.upsert_data_rows(global_keys=world.global_keys[3:5])),
    ("label-registration", lambda run, world: run.upsert_labels(project_id=world.project_id)),
    ("split-assignment", lambda run, world: run.assign_data_rows_to_split(global_keys=world.global_keys[:1],
                                                                         split="TRAINING")),
])
def test_model_run_task_waits(client: lb.Client, mock: MockLabelbox, world: World, kind: str,
                              call: Callable[[lb.ModelRun, World], Any]) -> None:
    run = _run(client, world, kind)
    _fail(mock, kind)
    _expect_failure(lambda: call(run, world))


@given(message=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1,
                       max_size=40).filter(str.strip))
def test_an_import_failure_carries_any_server_message(client: lb.Client, mock: MockLabelbox, world: World,
                                                      message: str) -> None:
    run = client.get_model(world.model_id).create_model_run(f"m-{len(mock.requests)}")
    try:
        run.upsert_data_rows(global_keys=world.global_keys[:1])
        _fail(mock, "prediction-import", message)
        imported = run.add_predictions("p", [_box("gk-0", world)])
        _expect_failure(imported.wait_till_done, message)
    finally:
        mock.backend.tasks.clear_transitions()
        run.delete()
