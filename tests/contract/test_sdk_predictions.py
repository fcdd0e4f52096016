"""The real SDK through predictions: add_predictions (dicts, file, URL), from_name, send to project and to annotate."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest

from ..support import World
from .conftest import SdkTarget, labelbox

lbox_exceptions = pytest.importorskip("lbox.exceptions")
strategies = pytest.importorskip("labelbox.schema.conflict_resolution_strategy")


def _box(key: str, **extra: Any) -> dict[str, Any]:
    return {"uuid": str(uuid.uuid4()), "dataRow": {"globalKey": key}, "name": "box",
            "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}, **extra}


def _run_with_rows(sdk: SdkTarget, world: World, keys: list[str]) -> Any:
    run = sdk.client.get_model(world.model_id).create_model_run(f"run-{uuid.uuid4().hex[:8]}")
    assert run.upsert_data_rows(global_keys=keys) is True
    return run


def _destination(sdk: SdkTarget, world: World) -> str:
    created = sdk.seed({"projects": [{"name": "destination", "ontology": world.ontology_id}]})
    return str(created["projects"][0]["id"])


def test_add_predictions_from_dicts_reports_every_row(sdk: SdkTarget, sdk_world: World) -> None:
    run = _run_with_rows(sdk, sdk_world, ["gk-0", "gk-1"])
    rows = [
        _box("gk-0"),
        {"uuid": str(uuid.uuid4()), "dataRow": {"globalKey": "gk-1"}, "name": "quality", "answer": {"name": "good"}},
        _box("gk-7"),  # a data row outside the run
        {"uuid": str(uuid.uuid4()), "dataRow": {"globalKey": "gk-0"}, "name": "quality", "answer": {"name": "meh"}},
    ]
    imported = run.add_predictions("dicts", rows)
    assert imported.state == labelbox.AnnotationImportState.RUNNING  # until its first status read
    imported.wait_till_done()
    assert imported.state == labelbox.AnnotationImportState.FINISHED
    statuses = imported.statuses
    assert [s["uuid"] for s in statuses] == [row["uuid"] for row in rows]
    assert [s["status"] for s in statuses] == ["SUCCESS", "SUCCESS", "FAILURE", "FAILURE"]
    assert "not in model run" in statuses[2]["errors"][0]["message"]
    assert "meh" in statuses[3]["errors"][0]["message"]
    assert [e["uuid"] for e in imported.errors] == [rows[2]["uuid"], rows[3]["uuid"]]
    assert [row["uuid"] for row in imported.inputs] == [row["uuid"] for row in rows]

    again = labelbox.MEAPredictionImport.from_name(sdk.client, run.uid, "dicts")
    assert again.uid == imported.uid and again.state == labelbox.AnnotationImportState.FINISHED
    with pytest.raises(lbox_exceptions.ResourceNotFoundError):
        labelbox.MEAPredictionImport.from_name(sdk.client, run.uid, "no-such-import")


def test_add_predictions_from_a_file_and_a_url(sdk: SdkTarget, sdk_world: World, tmp_path: Path) -> None:
    run = _run_with_rows(sdk, sdk_world, ["gk-2"])
    path = tmp_path / "predictions.ndjson"
    path.write_text("\n".join(json.dumps(row) for row in [_box("gk-2"), _box("gk-3")]))
    from_file = run.add_predictions("file", str(path))
    assert [s["status"] for s in from_file.statuses] == ["SUCCESS", "FAILURE"]

    url = sdk.client.upload_data(json.dumps(_box("gk-2")).encode(), filename="p.ndjson",
                                 content_type="application/x-ndjson")
    from_url = run.add_predictions("url", url)
    from_url.wait_till_done(sleep_time_seconds=0.01)
    assert from_url.input_file_url == url
    assert [s["status"] for s in from_url.statuses] == ["SUCCESS"]


# the SDK waits on the MAL import with its own deprecated alias
@pytest.mark.filterwarnings("ignore:The method wait_until_done:DeprecationWarning")
def test_upsert_predictions_and_send_to_project(sdk: SdkTarget, sdk_world: World) -> None:
    run = _run_with_rows(sdk, sdk_world, ["gk-5", "gk-6"])
    project_id = _destination(sdk, sdk_world)
    rows = [_box("gk-5"), _box("gk-6", confidence=0.5), _box("gk-8")]
    imported, batch, mal = run.upsert_predictions_and_send_to_project("to-project", rows, project_id, priority=2)
    assert [s["status"] for s in imported.statuses] == ["SUCCESS", "SUCCESS", "FAILURE"]
    assert batch is not None and batch.size == 2 and list(batch.failed_data_row_ids) == []
    assert mal is not None and mal.state == labelbox.AnnotationImportState.FINISHED
    assert sorted(s["status"] for s in mal.statuses) == ["SUCCESS", "SUCCESS"]
    project = sdk.client.get_project(project_id)
    assert [b.name for b in project.batches()] == ["to-project"]
    assert project.task_queues()[0].data_row_count == 2


def test_upsert_predictions_with_no_accepted_rows_stops_after_the_import(sdk: SdkTarget, sdk_world: World) -> None:
    run = _run_with_rows(sdk, sdk_world, ["gk-5"])
    project_id = _destination(sdk, sdk_world)
    imported, batch, mal = run.upsert_predictions_and_send_to_project("none", [_box("gk-9")], project_id)
    assert imported.statuses[0]["status"] == "FAILURE"
    assert batch is None and mal is None


def test_send_to_annotate_from_model(sdk: SdkTarget, sdk_world: World) -> None:
    run = _run_with_rows(sdk, sdk_world, ["gk-6", "gk-7", "gk-8"])
    run.add_predictions("preds", [_box("gk-6"), _box("gk-7")]).wait_till_done(sleep_time_seconds=0.01)
    project = sdk.client.get_project(_destination(sdk, sdk_world))
    queues = project.task_queues()
    assert [q.name for q in queues] == ["Initial labeling task", "Initial review task", "Rework"]
    review = next(q for q in queues if q.queue_type == "MANUAL_REVIEW_QUEUE")
    mapping = {schema_id: schema_id for schema_id in sdk_world.features.values()}
    task = run.send_to_annotate_from_model(
        project.uid, review.uid, "from-model", labelbox.UniqueIds([sdk_world.data_row_ids[i] for i in (6, 7, 8)]),
        {"predictions_ontology_mapping": mapping, "exclude_data_rows_in_project": True,
         "override_existing_annotations_rule": strategies.ConflictResolutionStrategy.OverrideWithPredictions,
         "batch_priority": 3},
    )
    task.wait_till_done()
    assert task.status == "COMPLETE"
    assert [(b.name, b.size) for b in project.batches()] == [("from-model", 3)]
    assert next(q for q in project.task_queues() if q.uid == review.uid).data_row_count == 3
    org = sdk.backend.store.organizations()[0]
    labels = {label.data_row_id: label for label in org.labels.values() if label.project_id == project.uid}
    # every row a reviewer sees has a label: the predictions of gk-6 and gk-7, an empty one for gk-8
    assert sorted(labels) == sorted(sdk_world.data_row_ids[i] for i in (6, 7, 8))
    assert [len(labels[sdk_world.data_row_ids[i]].annotations) for i in (6, 7, 8)] == [1, 1, 0]

    done = run.send_to_annotate_from_model(project.uid, None, "from-model", labelbox.GlobalKeys(["gk-8"]), {})
    done.wait_till_done()
    assert done.status == "COMPLETE"  # the row was already in the project: no second batch
    assert [b.name for b in project.batches()] == ["from-model"]
