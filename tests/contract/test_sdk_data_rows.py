"""The real SDK through what issue 22 added on the data side: rows with their creator, metadata values and
attachments, row edits, external-id lookups, and Labelbox's answers to what it refuses."""

from __future__ import annotations

import json

import pytest

from .conftest import SdkTarget, labelbox

lbox_exceptions = pytest.importorskip("lbox.exceptions")
metadata = pytest.importorskip("labelbox.schema.data_row_metadata")

TAG, SPLIT, TEST = "cko8s9r5v0001h2dk9elqdidh", "cko8sbczn0002h2dkdaxb5kal", "cko8scbz70005h2dkastwhgqt"
IMAGE = "https://example.com/image.jpg"


def test_a_row_with_metadata_knows_its_dataset_creator_and_organisation(sdk: SdkTarget) -> None:
    client = sdk.client
    mdo = client.get_data_row_metadata_ontology()
    mdo.create_schema("custom_text", metadata.DataRowMetadataKind.string)
    with pytest.raises(lbox_exceptions.MalformedQueryException):  # a taken name, as Labelbox answers it
        mdo.create_schema("custom_text", metadata.DataRowMetadataKind.string)
    dataset = client.create_dataset(name="rows")
    row = dataset.create_data_row(row_data=IMAGE, metadata_fields=[
        metadata.DataRowMetadataField(schema_id=SPLIT, value=TEST),
        {"name": "custom_text", "value": "hello"}])
    assert row.dataset() == dataset
    assert row.created_by() == client.get_user()
    assert row.organization() == client.get_organization()
    assert row.media_attributes
    assert [(m.schema_id, m.name) for m in row.metadata] == [(SPLIT, "test"), (mdo.custom_by_name["custom_text"].uid,
                                                                                "custom_text")]


def test_metadata_values_in_bulk(sdk: SdkTarget) -> None:
    client = sdk.client
    dataset = client.create_dataset(name="bulk")
    row = dataset.create_data_row(row_data=IMAGE, global_key="bulk-0")
    mdo = client.get_data_row_metadata_ontology()
    assert mdo.bulk_upsert([metadata.DataRowMetadata(data_row_id=row.uid, fields=[
        metadata.DataRowMetadataField(schema_id=TAG, value="a tag"),
        metadata.DataRowMetadataField(schema_id=SPLIT, value=TEST)])]) == []
    [exported] = mdo.bulk_export(labelbox.GlobalKeys(["bulk-0"]))
    assert (exported.data_row_id, {f.schema_id: f.value for f in exported.fields}) == (row.uid, {TAG: "a tag",
                                                                                               SPLIT: TEST})
    failures = mdo.bulk_delete([metadata.DeleteDataRowMetadata(data_row_id=labelbox.GlobalKey("bulk-0"),
                                                                 fields=[SPLIT])])
    assert failures == []
    failures = mdo.bulk_delete([metadata.DeleteDataRowMetadata(data_row_id=row.uid, fields=[SPLIT])])
    assert [(f.error, f.fields) for f in failures] == [("Schema did not exist", [SPLIT])]
    assert [f.schema_id for f in mdo.bulk_export([row.uid])[0].fields] == [TAG]


def test_attachments_one_by_one(sdk: SdkTarget) -> None:
    dataset = sdk.client.create_dataset(name="attachments")
    row = dataset.create_data_row(row_data=IMAGE, attachments=[{"type": "RAW_TEXT", "value": "first"}])
    made = row.create_attachment("RAW_TEXT", "value", "name")
    made.update(name="updated name", type="IMAGE", value=IMAGE)
    assert (made.attachment_name, made.attachment_type, made.attachment_value) == ("updated name", "IMAGE", IMAGE)
    made.update(value=None, name="again")
    assert made.attachment_value == IMAGE
    assert [a.attachment_value for a in row.attachments()] == ["first", IMAGE]
    made.delete()
    assert [a.attachment_value for a in row.attachments()] == ["first"]


def test_row_edits_lookups_and_cursors(sdk: SdkTarget) -> None:
    client = sdk.client
    dataset = client.create_dataset(name="edits")
    first = dataset.create_data_row(row_data=IMAGE, external_id="same")
    second = dataset.create_data_row(row_data=IMAGE, external_id="same")
    assert client.get_data_row_ids_for_external_ids(["same", "none"]) == {"same": [first.uid, second.uid]}
    rows = list(dataset.data_rows())
    assert [r.uid for r in rows] == [second.uid, first.uid]  # newest first
    assert [r.uid for r in dataset.data_rows(from_cursor=rows[0].uid)] == [first.uid]  # after the cursor
    first.update(external_id="renamed", global_key="edited")
    first.update(row_data={"pdfUrl": "https://example.com/doc.pdf", "textLayerUrl": "https://example.com/t.json"})
    read = client.get_data_row(first.uid)
    assert (read.external_id, read.global_key, read.row_data) == ("renamed", "edited", "https://example.com/doc.pdf")
    assert read.media_attributes["textLayerUrl"] == "https://example.com/t.json"
    with pytest.raises(lbox_exceptions.InvalidQueryError, match="Duplicate global key"):
        second.update(global_key="edited")
    labelbox.DataRow.bulk_delete([first])
    first.delete()  # deleted already: no error, as Labelbox answers


@pytest.mark.sdk_reports_row_errors
def test_refused_rows_with_labelboxs_words(sdk: SdkTarget) -> None:
    dataset = sdk.client.create_dataset(name="refused")
    with pytest.raises(lbox_exceptions.ResourceCreationError, match="Expected type image/\\*, detected: "
                                                                     "application/json"):
        dataset.create_data_row(row_data={"invalid_object": "invalid_value"}, media_type="IMAGE")
    task = dataset.create_data_rows([
        {"row_data": IMAGE, "global_key": "dup"}, {"row_data": IMAGE, "global_key": "dup"},
        {"row_data": IMAGE, "metadata_fields": [metadata.DataRowMetadataField(schema_id=TAG, value="a"),
                                                metadata.DataRowMetadataField(schema_id=TAG, value="b")]},
        {"row_data": {"tileLayerUrl": "https://example.com/{z}/{x}/{y}.png"}, "media_type": "TMS_GEO"},
        {"row_data": {"pdfUrl": "https://example.com/d.pdf"}, "media_type": labelbox.MediaType.Document.value},
    ])
    task.wait_till_done()
    messages = sorted(error["message"] for error in task.errors)  # the SDK sends the rows in any order
    assert messages == [f"A schemaId can only be specified once per DataRow : [{TAG}]", "Duplicate global key: 'dup'"]
    tiles = [json.loads(r["row_data"]) for r in task.result if r["row_data"].startswith("{")]
    assert tiles == [{"tileLayerUrl": "https://example.com/{z}/{x}/{y}.png"}]


@pytest.mark.sdk_reports_row_errors
def test_global_keys_are_assigned_as_labelbox_checks_them(sdk: SdkTarget) -> None:
    client = sdk.client
    dataset = client.create_dataset(name="keys")
    first, second, third = (dataset.create_data_row(row_data=IMAGE) for _ in range(3))
    links = [{"data_row_id": first.uid, "global_key": "key-1"}, {"data_row_id": second.uid, "global_key": "key-2"}]
    assert client.assign_global_keys_to_data_rows(links) == {
        "status": "SUCCESS", "errors": [], "results": [{**link, "sanitized": False} for link in links]}
    assert client.get_data_row_by_global_key("key-2").uid == second.uid
    answer = client.assign_global_keys_to_data_rows([
        {"data_row_id": third.uid, "global_key": "key-1"},  # held by another row
        {"data_row_id": third.uid, "global_key": " padded"},
        {"data_row_id": third.uid, "global_key": "key-3"}])
    assert answer["status"] == "PARTIAL SUCCESS"
    assert [e["global_key"] for e in answer["errors"]] == ["key-1", " padded"]
    assert {e["error"] for e in answer["errors"]} == {
        "Invalid assignment. Either DataRow does not exist, or globalKey is invalid"}
    assert client.get_data_row(third.uid).global_key == "key-3"


@pytest.mark.sdk_reports_row_errors
def test_an_upsert_task_read_as_a_plain_task_downloads_its_report(sdk: SdkTarget) -> None:
    client = sdk.client
    dataset = client.create_dataset(name="report")
    task = dataset.create_data_rows([{"row_data": IMAGE, "global_key": "r-0"},
                                     {"row_data": IMAGE, "global_key": "r-0"}])  # the second key is taken
    task.wait_till_done()
    assert isinstance(task.result_url, str)
    read = labelbox.schema.task.Task.get_task(client, task.uid)  # a plain Task downloads result_url
    assert read.status == "COMPLETE" and read.is_creation_task()
    assert [(r["global_key"], r["row_data"]) for r in read.result] == [("r-0", IMAGE)]
    [refused] = read.errors
    assert refused["message"] and refused["failedDataRows"][0]["globalKey"] == "r-0"
    assert read.created_data_rows == [{"id": read.result[0]["id"], "externalId": None, "globalKey": "r-0",
                                       "rowData": IMAGE}]
    assert client.get_task_by_id(task.uid).result == read.result  # the paged listing says the same


def test_a_row_lists_its_labels(sdk: SdkTarget) -> None:
    created = sdk.seed({"ontologies": [{"name": "o", "tools": [{"tool": "rectangle", "name": "box"}]}],
                        "datasets": [{"name": "d", "data_rows": [{"row_data": IMAGE, "global_key": "lab-0"}]}],
                        "projects": [{"name": f"p{i}", "ontology": "o", "labels": [
                            {"data_row": "lab-0", "annotations": []}]} for i in range(2)]})
    row = sdk.client.get_data_row(created["datasets"][0]["data_rows"][0])
    assert [label.uid for label in row.labels()] == [p["labels"][0] for p in created["projects"]]
