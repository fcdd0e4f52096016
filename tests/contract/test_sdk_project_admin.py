"""The real SDK's project administration, send to annotate from the catalog and Foundry runs, against the mock."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from ..support import World
from .conftest import SdkTarget, labelbox

lbox_exceptions = pytest.importorskip("lbox.exceptions")
foundry_app = pytest.importorskip("labelbox.schema.foundry.app")
foundry_client = pytest.importorskip("labelbox.schema.foundry.foundry_client")


def test_instructions_clones_reservations_and_tags(sdk: SdkTarget, sdk_world: World, tmp_path: Path) -> None:
    client = sdk.client
    project = client.get_project(sdk_world.project_id)
    page = tmp_path / "guide.html"
    page.write_text("<html>draw tight boxes</html>", encoding="utf-8")
    project.upsert_instructions(str(page))
    url = project.ontology().normalized["projectInstructions"]
    assert requests.get(url, timeout=10).text == "<html>draw tight boxes</html>"
    with pytest.raises(ValueError, match="must be a pdf or html file"):
        project.upsert_instructions(str(tmp_path / "guide.txt"))

    clone = project.clone()
    assert clone.uid != project.uid and clone.media_type == project.media_type
    assert clone.get_label_count() == 0 and clone.ontology().uid == project.ontology().uid

    assert project.extend_reservations("LabelingQueue") == 0
    with pytest.raises(lbox_exceptions.InvalidQueryError):
        project.extend_reservations("NoSuchQueue")

    organization = client.get_organization()
    tag = organization.create_resource_tag({"text": "urgent", "color": "#ff0000"})
    assert (tag.text, "#" + tag.color) == ("urgent", "#ff0000")
    assert tag.uid in {t.uid for t in organization.get_resource_tags()}
    assert [t.uid for t in project.update_project_resource_tags([tag.uid])] == [tag.uid]
    assert [t.uid for t in client.get_project(project.uid).get_resource_tags()] == [tag.uid]
    with pytest.raises(lbox_exceptions.ResourceConflict):
        organization.create_resource_tag({"text": "urgent", "color": "#00ff00"})


def test_send_to_annotate_from_the_catalog(sdk: SdkTarget, sdk_world: World) -> None:
    client = sdk.client
    destination = client.create_project(name="destination", media_type=labelbox.MediaType.Image)
    destination.connect_ontology(client.get_ontology(sdk_world.ontology_id))
    review = next(q for q in destination.task_queues() if q.name == "Initial review task")
    identity = {schema_id: schema_id for schema_id in sdk_world.features.values()}
    task = client.send_to_annotate_from_catalog(
        destination_project_id=destination.uid, task_queue_id=review.uid, batch_name="from-catalog",
        data_rows=labelbox.UniqueIds(sdk_world.data_row_ids[:2]),
        params={"source_project_id": sdk_world.project_id, "annotations_ontology_mapping": identity})
    task.wait_till_done()
    assert task.status == "COMPLETE"
    assert [b.name for b in destination.batches()] == ["from-catalog"]
    assert len(list(destination.labels())) == 2


def test_a_foundry_app_runs_into_a_model_run(sdk: SdkTarget, sdk_world: World) -> None:
    client = sdk.client
    foundry = foundry_client.FoundryClient(client)
    app = foundry._create_app(foundry_app.App(
        model_id="c8a5b29a-cdba-408a-803a-a605a95631c2", name="yolo", description="boxes",
        inference_params={"confidence": 0.2}, class_to_schema_id={}, ontology_id=sdk_world.ontology_id))
    assert foundry._get_app(app.id).model_dump() == app.model_dump()
    task = client.run_foundry_app("predicted", labelbox.GlobalKeys(["gk-1"]), app.id)
    run = client.get_model_run(task.metadata["modelRunId"])
    task.wait_till_done()
    assert task.status == "COMPLETE" and run.name == "predicted"
    assert [r.data_row().uid for r in run.model_run_data_rows()] == [sdk_world.data_row_ids[1]]
    with pytest.raises(lbox_exceptions.LabelboxError):
        client.run_foundry_app("bad", labelbox.GlobalKeys(["invalid-global-key"]), app.id)
    foundry._delete_app(app.id)
    with pytest.raises(lbox_exceptions.ResourceNotFoundError):
        foundry._get_app(app.id)


def test_rows_move_between_queues_and_the_overview_counts_them(sdk: SdkTarget, sdk_world: World) -> None:
    client = sdk.client
    project = client.create_project(name="workflow", media_type=labelbox.MediaType.Image)
    batch = project.create_batch("first", global_keys=sdk_world.global_keys[:3])
    review = next(q for q in project.task_queues() if q.queue_type == "MANUAL_REVIEW_QUEUE")
    project.move_data_rows_to_task_queue(labelbox.GlobalKeys(["gk-0"]), review.uid)
    project.move_data_rows_to_task_queue(labelbox.UniqueIds([sdk_world.data_row_ids[1]]), None)
    overview = project.get_overview()
    assert (overview.to_label, overview.in_review, overview.done, overview.total_data_rows) == (1, 1, 1, 3)
    assert overview.issues == 0
    detailed = project.get_overview(details=True, batch_ids=[batch.uid])
    assert detailed.in_review == {"data": [{"Initial review task": 1}], "total": 1} and detailed.issues is None
    with pytest.raises(lbox_exceptions.InvalidQueryError):
        project.move_data_rows_to_task_queue(labelbox.UniqueIds([sdk_world.data_row_ids[9]]), review.uid)


def test_setup_complete_keeps_the_instant_a_script_gives(sdk: SdkTarget, sdk_world: World) -> None:
    from datetime import datetime, timedelta, timezone

    project = sdk.client.get_project(sdk_world.project_id)
    given = datetime(2030, 5, 17, 12, 0, tzinfo=timezone(timedelta(hours=6)))
    project.update(setup_complete=given)
    assert sdk.client.get_project(project.uid).setup_complete == given


def test_label_feedback(sdk: SdkTarget, sdk_world: World) -> None:
    scores = sdk.client.upsert_label_feedback(label_id=sdk_world.label_ids[0], feedback="good", scores={"overall": 5})
    assert [(s.name, s.score) for s in scores] == [("overall", 5.0)]
