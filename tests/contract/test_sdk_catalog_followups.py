"""The real SDK through what issue 14's follow-up added: Project.update, `where=` clauses on
datasets and their rows, and data-row deletion reaching model runs, slices and exports."""

from __future__ import annotations

from typing import Any

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


def test_custom_metadata_schemas_carry_values_onto_rows(sdk: SdkTarget) -> None:
    from labelbox.schema.data_row_metadata import DataRowMetadataKind

    client = sdk.client
    mdo = client.get_data_row_metadata_ontology()
    assert [f.name for f in mdo.reserved_fields] == ["tag", "split", "captureDateTime"] and mdo.custom_fields == []
    weather = mdo.create_schema("weather", DataRowMetadataKind.enum, ["sun", "rain"])
    mdo.create_schema("camera", DataRowMetadataKind.string)
    mdo.create_schema("exposure", DataRowMetadataKind.number)
    mdo.create_schema("shot at", DataRowMetadataKind.datetime)
    assert sorted(f.name for f in mdo.custom_fields) == ["camera", "exposure", "shot at", "weather"]
    assert sorted(o.name for o in weather.options) == ["rain", "sun"]
    with pytest.raises(lbox_exceptions.MalformedQueryException, match="already exists"):
        mdo.create_schema("tag", DataRowMetadataKind.string)

    dataset = client.create_dataset(name="with metadata")
    task = dataset.create_data_rows([
        {"row_data": "https://example.com/m/0.jpg", "global_key": "m-0", "metadata_fields": [
            {"name": "camera", "value": "front"}, {"name": "exposure", "value": 0.25},
            {"name": "shot at", "value": "2024-05-01T10:00:00Z"}, {"name": "weather", "value": "rain"}]},
    ])
    task.wait_till_done()
    assert [row["global_key"] for row in task.result] == ["m-0"] and task.errors is None
    with pytest.raises(ValueError, match="not found in ontology"):  # the SDK checks schema ids itself
        dataset.create_data_rows([{"row_data": "https://example.com/m/2.jpg",
                                   "metadata_fields": [{"schema_id": "c" + "0" * 24, "value": "x"}]}])
    row = client.get_data_row_by_global_key("m-0")
    values = {field.schema_id: field.value for field in row.metadata}  # parsed from customMetadata
    by_name: dict[str, Any] = {schema.name: values.get(schema.uid) for schema in mdo.custom_fields}
    rain = next(o.uid for o in weather.options if o.name == "rain")
    assert by_name["camera"] == "front" and by_name["exposure"] == 0.25 and by_name["weather"] == rain
    assert by_name["shot at"].isoformat() == "2024-05-01T10:00:00+00:00"

    assert mdo.update_schema("camera", "lens").name == "lens"
    assert mdo.delete_schema("lens") is True
    left = {field.schema_id for field in client.get_data_row_by_global_key("m-0").metadata}
    assert {schema.name for schema in mdo.custom_fields} == {"exposure", "shot at", "weather"}
    assert left == {schema.uid for schema in mdo.custom_fields}  # the deleted schema's value went with it
