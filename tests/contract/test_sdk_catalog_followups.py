"""The real SDK through what issue 14's follow-up added: Project.update, `where=` clauses on
datasets and their rows, and data-row deletion reaching model runs, slices and exports."""

from __future__ import annotations

import pytest

from ..support import World
from .conftest import SdkTarget, labelbox

lbox_exceptions = pytest.importorskip("lbox.exceptions")


def test_project_update_by_the_sdks_names(sdk: SdkTarget) -> None:
    client = sdk.client
    project = client.create_project(name="before", media_type=labelbox.MediaType.Image)
    project.update(name="after", description="renamed", media_type=labelbox.MediaType.Text)
    assert (project.name, project.description, project.media_type) == ("after", "renamed", labelbox.MediaType.Text)
    read = client.get_project(project.uid)
    assert (read.name, read.description, read.media_type) == ("after", "renamed", labelbox.MediaType.Text)
    # the current quality settings are accepted; a change of them is refused
    project.update(is_benchmark_enabled=read.is_benchmark_enabled,
                   auto_audit_number_of_labels=read.auto_audit_number_of_labels)
    with pytest.raises(lbox_exceptions.InvalidQueryError, match="quality settings"):
        project.update(is_consensus_enabled=not read.is_consensus_enabled)
    with pytest.raises(lbox_exceptions.InvalidAttributeError):
        project.update(nickname="x")
    assert client.get_project(project.uid).name == "after"


def test_where_clauses_on_datasets_and_their_rows(sdk: SdkTarget, sdk_world: World) -> None:
    client = sdk.client
    client.create_dataset(name="other", description="spare")
    found = client.get_datasets(where=(labelbox.Dataset.name == "other") & (labelbox.Dataset.description == "spare"))
    assert [d.name for d in found] == ["other"]
    assert [d.uid for d in client.get_datasets(where=labelbox.Dataset.name != "other")] == [sdk_world.dataset_id]
    dataset = client.get_dataset(sdk_world.dataset_id)
    rows = list(dataset.data_rows(where=labelbox.DataRow.external_id == "ext-3"))
    assert [r.uid for r in rows] == [sdk_world.data_row_ids[3]]
    assert [r.uid for r in dataset.data_rows(where=labelbox.DataRow.global_key == "gk-4")] == [
        sdk_world.data_row_ids[4]]


def test_a_deleted_row_leaves_the_model_run_and_its_export(sdk: SdkTarget, sdk_world: World) -> None:
    client = sdk.client
    run = client.get_model(sdk_world.model_id).create_model_run("before deletion")
    run.upsert_labels(project_id=sdk_world.project_id)
    run.upsert_data_rows(data_row_ids=sdk_world.data_row_ids)
    doomed = sdk_world.data_row_ids[:2]
    client.get_data_row(doomed[0]).delete()
    labelbox.DataRow.bulk_delete([client.get_data_row(doomed[1])])
    left = set(sdk_world.data_row_ids) - set(doomed)
    assert {entry.data_row().uid for entry in run.model_run_data_rows()} == left
    task = run.export()
    task.wait_till_done()
    assert not task.has_errors()
    exported = {output.json["data_row"]["id"] for output in task.get_buffered_stream()}
    assert exported == left
    assert client.get_project(sdk_world.project_id).get_label_count() == len(sdk_world.label_ids) - 2
