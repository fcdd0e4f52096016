"""The SDK's data-side names labelbox_lite ports: rows' creator, organisation, labels, metadata and edits;
datasets' and labels' creators; attachment constants; global keys and external ids; cancelling a task;
removing a batch's queued rows; and `deleted` on what the client reads."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.data_row_metadata import DataRowMetadataField
from labelbox_lite.exceptions import InvalidAttributeError, InvalidQueryError, LabelboxError, ResourceNotFoundError
from mockserver import MockLabelbox
from mockserver.engines.tasks import Transition

from ..support import ONTOLOGY, World, standard_seed, world_from

IMAGE = "https://example.com/image.jpg"
SPLIT, TEST, TAG = "cko8sbczn0002h2dkdaxb5kal", "cko8scbz70005h2dkastwhgqt", "cko8s9r5v0001h2dk9elqdidh"
KEY = st.text("abcdefghijklmnopqrstuvwxyz0123456789-_", min_size=1, max_size=12)


def test_a_row_knows_its_creator_organisation_labels_and_metadata(client: lb.Client, world: World) -> None:
    row = client.get_data_row(world.data_row_ids[0])
    assert row.created_by() == client.get_user()
    assert row.organization() == client.get_organization()
    assert [label.uid for label in row.labels()] == [world.label_ids[0]]
    assert [label.uid for label in row.labels(where=lb.Label.uid == world.label_ids[0])] == [world.label_ids[0]]
    assert list(client.get_data_row(world.data_row_ids[-1]).labels()) == []  # the seed labels half the rows
    client.get_data_row_metadata_ontology().create_schema("note", lb.DataRowMetadataKind.string)
    made = client.get_dataset(world.dataset_id).create_data_row(row_data=IMAGE, metadata_fields=[
        {"schema_id": SPLIT, "value": TEST}, {"name": "note", "value": "hello"}])
    assert [(f.name, f.value) for f in made.metadata] == [("test", TEST), ("note", "hello")]


def test_labels_of_a_row_across_projects_sort_and_leave_deleted_ones_out(mock: MockLabelbox,
                                                                          client: lb.Client) -> None:
    created = mock.seed({"ontologies": [{"name": "o", "tools": [{"tool": "rectangle", "name": "box"}]}],
                         "datasets": [{"name": "d", "data_rows": [{"row_data": IMAGE, "global_key": "r"}]}],
                         "projects": [{"name": f"p{i}", "ontology": "o",
                                       "labels": [{"data_row": "r", "annotations": []}]} for i in range(3)]})
    row = client.get_data_row(created["datasets"][0]["data_rows"][0])
    made = [p["labels"][0] for p in created["projects"]]
    assert [label.uid for label in row.labels()] == made
    assert [label.uid for label in row.labels(order_by=lb.Label.uid.desc)] == sorted(made, reverse=True)
    first = next(iter(row.labels()))
    first.delete()
    assert first.deleted and [label.uid for label in row.labels()] == made[1:]


def test_row_updates_change_what_is_read(client: lb.Client, world: World) -> None:
    row = client.get_data_row(world.data_row_ids[0])
    row.update(external_id="renamed", global_key="edited")
    assert (row.external_id, row.global_key) == ("renamed", "edited")
    row.update(row_data={"pdfUrl": "https://example.com/d.pdf", "textLayerUrl": "https://example.com/t.json"})
    read = client.get_data_row(row.uid)
    assert (read.external_id, read.global_key, read.row_data) == ("renamed", "edited", "https://example.com/d.pdf")
    row.update(external_id="again", metadata_fields=[DataRowMetadataField(schema_id=SPLIT, value=TEST)])
    assert [(f.schema_id, f.value) for f in client.get_data_row(row.uid).metadata] == [(SPLIT, TEST)]
    with pytest.raises(InvalidQueryError, match="Duplicate global key"):
        client.get_data_row(world.data_row_ids[1]).update(global_key="edited")


@pytest.mark.parametrize(("kwargs", "error"), [
    ({}, ValueError), ({"external_id": ""}, ValueError), ({"row_data": {}}, ValueError),
    ({"metadata_fields": []}, ValueError),  # none of the three: the SDK's rule
    ({"external_id": "x", "name": "y"}, InvalidAttributeError),
])
def test_row_updates_the_sdk_refuses_send_nothing(mock: MockLabelbox, client: lb.Client, world: World,
                                                  kwargs: dict[str, Any], error: type[Exception]) -> None:
    row = client.get_data_row(world.data_row_ids[0])
    sent = len(mock.requests)
    with pytest.raises(error):
        row.update(**kwargs)
    assert len(mock.requests) == sent
    assert client.get_data_row(row.uid).external_id == "ext-0"


@settings(max_examples=15, deadline=None)
@given(external_id=KEY, global_key=KEY)
def test_an_update_is_read_back_as_given(mock: MockLabelbox, client: lb.Client, external_id: str,
                                          global_key: str) -> None:
    mock.reset()
    row = client.create_dataset(name="d").create_data_row(row_data=IMAGE)
    row.update(external_id=external_id, global_key=global_key)
    read = client.get_data_row(row.uid)
    assert (read.external_id, read.global_key) == (external_id, global_key) == (row.external_id, row.global_key)


def test_attachment_constants_and_types_are_the_sdks() -> None:
    assert [lb.AssetAttachment.AUDIO, lb.AssetAttachment.PDF_URL, lb.AssetAttachment.CAMERA_IMAGE] == [
        "AUDIO", "PDF_URL", "CAMERA_IMAGE"]
    assert lb.AssetAttachment.topic is lb.AttachmentType.CAMERA_IMAGE
    assert lb.DataRow.supported_attachment_types == lb.DataRow.supported_meta_types == set(
        lb.AttachmentType.__members__)


def test_deleted_reads_false_until_deleted_through_the_object(client: lb.Client, world: World) -> None:
    dataset = client.create_dataset(name="doomed")
    row = dataset.create_data_row(row_data=IMAGE)
    attachment = row.create_attachment("RAW_TEXT", "note")
    model = client.get_model(world.model_id)
    run = model.create_model_run("run")
    export = dataset.export()
    everything: list[Any] = [dataset, row, attachment, model, run]
    assert not any(thing.deleted for thing in [*everything, export, client.get_task_by_id(export.uid)])
    attachment.delete()
    row.delete()
    dataset.delete()
    run.delete()
    model.delete()
    assert all(thing.deleted for thing in everything)


def test_where_clauses_take_deleted_as_the_sdk_writes_them(client: lb.Client, world: World) -> None:
    assert [m.uid for m in client.get_models(where=lb.Model.deleted == False)] == [world.model_id]  # noqa: E712
    assert [d.uid for d in client.get_datasets(where=lb.Dataset.deleted == False)] == [world.dataset_id]  # noqa: E712
    assert list(client.get_models(where=lb.Model.deleted == True)) == []  # noqa: E712


def test_a_dataset_and_a_label_know_their_creator(client: lb.Client, world: World) -> None:
    dataset = client.get_dataset(world.dataset_id)
    assert dataset.created_by() == client.get_user() and dataset.organization() == client.get_organization()
    label = client.get_data_row(world.data_row_ids[0]).labels().get_one()
    assert label is not None and label.created_by() == client.get_user()
    dataset.delete()
    with pytest.raises(ResourceNotFoundError):
        dataset.created_by()


def test_labels_are_deleted_in_bulk(client: lb.Client, world: World) -> None:
    project = client.get_project(world.project_id)
    labels = list(project.labels())
    lb.Label.bulk_delete(labels[:3])
    assert [label.deleted for label in labels] == [True] * 3 + [False] * (len(labels) - 3)
    assert [label.uid for label in project.labels()] == world.label_ids[3:]
    lb.Label.bulk_delete([])  # nothing to delete: nothing sent
    with pytest.raises(InvalidQueryError, match="different types"):
        lb.Label.bulk_delete([labels[3], client.get_data_row(world.data_row_ids[0])])  # type: ignore[list-item]


def test_external_ids_name_every_row_that_has_them(client: lb.Client, world: World) -> None:
    dataset = client.get_dataset(world.dataset_id)
    twin = dataset.create_data_row(row_data=IMAGE, external_id="ext-1")
    found = client.get_data_row_ids_for_external_ids(["ext-1", "ext-0", "none"])
    assert dict(found) == {"ext-1": [world.data_row_ids[1], twin.uid], "ext-0": [world.data_row_ids[0]]}
    assert found["none"] == []  # a defaultdict, as the SDK answers


@settings(max_examples=10, deadline=None)
@given(count=st.integers(0, 230))
def test_external_ids_are_asked_for_a_hundred_at_a_time(mock: MockLabelbox, client: lb.Client, count: int) -> None:
    mock.reset()
    dataset = client.create_dataset(name="many")
    if count:
        dataset.create_data_rows([{"row_data": IMAGE, "external_id": f"e{i}"} for i in range(min(count, 5))]
                                 ).wait_till_done()
    sent = len(mock.requests)
    found = client.get_data_row_ids_for_external_ids([f"e{i}" for i in range(count)])
    assert sorted(found) == sorted(f"e{i}" for i in range(min(count, 5)))
    assert len(mock.requests) - sent == -(-count // 100)


def test_global_keys_are_assigned_with_labelboxs_answers(client: lb.Client, world: World) -> None:
    rows = world.data_row_ids
    links = [{"data_row_id": rows[0], "global_key": "new-0"}, {"data_row_id": rows[1], "global_key": "new-1"}]
    assert client.assign_global_keys_to_data_rows(links) == {
        "status": "SUCCESS", "errors": [], "results": [{**link, "sanitized": False} for link in links]}
    assert client.get_data_row_by_global_key("new-1").uid == rows[1]
    answer = client.assign_global_keys_to_data_rows([{"data_row_id": rows[2], "global_key": "new-0"},
                                                     {"data_row_id": rows[2], "global_key": "new-2"}])
    assert answer["status"] == "PARTIAL SUCCESS" and [e["global_key"] for e in answer["errors"]] == ["new-0"]
    with pytest.raises(ValueError, match="data_row_id"):
        client.assign_global_keys_to_data_rows([{"global_key": "k"}])


@settings(max_examples=10, deadline=None)
@given(keys=st.lists(KEY, min_size=1, max_size=4, unique=True))
def test_assigned_keys_find_their_rows(mock: MockLabelbox, client: lb.Client, keys: list[str]) -> None:
    mock.reset()
    dataset = client.create_dataset(name="keys")
    rows = [dataset.create_data_row(row_data=IMAGE) for _ in keys]
    answer = client.assign_global_keys_to_data_rows([{"data_row_id": r.uid, "global_key": k}
                                                     for r, k in zip(rows, keys, strict=True)])
    assert answer["status"] == "SUCCESS"
    assert client.get_data_row_ids_for_global_keys(keys)["results"] == [r.uid for r in rows]


def test_a_running_export_is_cancelled_once(mock: MockLabelbox, client: lb.Client, world: World) -> None:
    mock.backend.tasks.set_transition("export", Transition(progression="reads", times=10))
    export = lb.DataRow.export(client, data_rows=world.data_row_ids[:1], task_name="cancel me")
    assert "export-data-rows" in client._get_cancelable_task_types()
    assert client.cancel_task(export.uid) is True
    assert client.get_task_by_id(export.uid).status == "CANCELED"
    with pytest.raises(LabelboxError, match="not in progress"):
        client.cancel_task(export.uid)
    with pytest.raises(ResourceNotFoundError):
        client.cancel_task("cnosuchtask00000000000000")


def test_a_task_of_a_type_that_cannot_be_cancelled_is_refused(client: lb.Client, world: World) -> None:
    task = client.get_dataset(world.dataset_id).create_data_rows([{"row_data": IMAGE}])
    with pytest.raises(LabelboxError, match="cannot be cancelled"):
        client.cancel_task(task.uid)


def test_a_batch_gives_back_its_queued_rows(mock: MockLabelbox, client: lb.Client) -> None:
    seeded = mock.seed({"ontologies": [ONTOLOGY], "projects": [{"name": "p", "ontology": "everything"}],
                        "datasets": [{"name": "d", "data_rows": [{"row_data": IMAGE, "global_key": f"k-{i}"}
                                                                 for i in range(3)]}]})
    project = client.get_project(seeded["projects"][0]["id"])
    batch = project.create_batch("b", seeded["datasets"][0]["data_rows"])
    batch.remove_queued_data_rows()
    assert client.get_batch(project.uid, batch.uid).size == 0
    batch.delete()
    assert batch.deleted
    with pytest.raises(ResourceNotFoundError):
        batch.remove_queued_data_rows()


def test_parse_upsert_metadata_flattens_as_an_upsert_sends(client: lb.Client) -> None:
    ontology = client.get_data_row_metadata_ontology()
    ontology.create_schema("count", lb.DataRowMetadataKind.number)
    assert ontology.parse_upsert_metadata([
        DataRowMetadataField(schema_id=TAG, value="a tag"), {"name": "count", "value": 3},
        {"schema_id": SPLIT, "value": TEST}]) == [
        {"schemaId": TAG, "value": "a tag"}, {"schemaId": _uid(ontology.custom_by_name["count"]), "value": 3.0},
        {"schemaId": SPLIT, "value": {}}, {"schemaId": TEST, "value": {}}]
    for bad in ({"schema_id": TAG}, {"value": 1}, {"schema_id": TEST, "value": "x"}):
        with pytest.raises(ValueError):
            ontology.parse_upsert_metadata([bad])


@settings(max_examples=20, deadline=None)
@given(text=st.text(max_size=40))
def test_string_metadata_is_sent_as_given(client: lb.Client, text: str) -> None:
    assert client.get_data_row_metadata_ontology().parse_upsert_metadata([{"schema_id": TAG, "value": text}]) == [
        {"schemaId": TAG, "value": text}]


def test_a_model_run_import_names_its_run_as_parent(client: lb.Client, world: World) -> None:
    run = client.get_model(world.model_id).create_model_run("r")
    run.upsert_data_rows(global_keys=world.global_keys[:1])
    predictions = [{"uuid": "9b1e3f7c-0000-4000-8000-000000000001", "dataRow": {"globalKey": "gk-0"},
                    "name": "box", "bbox": {"top": 1, "left": 1, "height": 2, "width": 2}}]
    imported = run.add_predictions("p", predictions)
    assert imported.parent_id == run.uid and not imported.deleted


def test_global_keys_are_cleared_from_their_rows(mock: MockLabelbox, client: lb.Client, world: World) -> None:
    assert client.clear_global_keys(["gk-0", "gk-1"]) == {"status": "SUCCESS", "results": ["gk-0", "gk-1"],
                                                          "errors": []}
    assert client.get_data_row(world.data_row_ids[0]).global_key is None
    answer = client.clear_global_keys(["gk-2", "gk-0", "gk-2"])  # gk-0 is free now; the second gk-2 too
    assert (answer["status"], answer["results"]) == ("PARTIAL SUCCESS", ["gk-2"])
    assert answer["errors"] == [{"global_key": key, "error": "Failed to find data row matching provided global key"}
                                for key in ("gk-0", "gk-2")]
    assert client.clear_global_keys(["none"])["status"] == "FAILURE"
    row = client.get_data_row(world.data_row_ids[0])
    row.update(global_key="gk-0")  # a cleared key can be given again
    assert client.get_data_row_by_global_key("gk-0").uid == row.uid
    mock.set_transition("global-key-clearing", outcome="FAILED", error="boom")
    with pytest.raises(LabelboxError, match="clearGlobalKeys failed"):
        client.clear_global_keys(["gk-3"])


@settings(max_examples=10, deadline=None)
@given(keys=st.lists(KEY, min_size=1, max_size=5, unique=True), cleared=st.sets(st.integers(0, 4)))
def test_cleared_keys_name_no_row_and_the_rest_still_do(mock: MockLabelbox, client: lb.Client, keys: list[str],
                                                       cleared: set[int]) -> None:
    mock.reset()
    dataset = client.create_dataset(name="keys")
    rows = [dataset.create_data_row(row_data=IMAGE, global_key=key) for key in keys]
    doomed = [key for i, key in enumerate(keys) if i in cleared]
    answer = client.clear_global_keys(doomed)
    assert answer["results"] == doomed and answer["errors"] == []
    kept = [(row.uid, key) for row, key in zip(rows, keys, strict=True) if key not in doomed]
    assert [(client.get_data_row(uid).global_key) for uid, _ in kept] == [key for _, key in kept]
    assert all(client.get_data_row(row.uid).global_key is None for row, key in zip(rows, keys, strict=True)
               if key in doomed)


def test_the_winning_label_is_the_rows_latest_in_the_project(mock: MockLabelbox, client: lb.Client) -> None:
    created = mock.seed({"ontologies": [{"name": "o", "tools": [{"tool": "rectangle", "name": "box"}]}],
                         "datasets": [{"name": "d", "data_rows": [{"row_data": IMAGE, "global_key": k}
                                                                 for k in ("a", "b")]}],
                         "projects": [{"name": "p", "ontology": "o", "labels": [
                             {"data_row": "a", "annotations": []}, {"data_row": "a", "annotations": []}]},
                                      {"name": "q", "ontology": "o"}]})
    first, second = (client.get_data_row(row_id) for row_id in created["datasets"][0]["data_rows"])
    labelled, empty = (p["id"] for p in created["projects"])
    assert first.get_winning_label_id(labelled) == created["projects"][0]["labels"][1]
    assert second.get_winning_label_id(labelled) is None and first.get_winning_label_id(empty) is None
    with pytest.raises(ResourceNotFoundError):
        first.get_winning_label_id("cnosuchproject00000000000")
    lb.Label.bulk_delete(list(first.labels())[1:])
    assert first.get_winning_label_id(labelled) == created["projects"][0]["labels"][0]


@settings(max_examples=10, deadline=None)
@given(labels=st.lists(st.sampled_from(["a", "b", "c"]), max_size=6))
def test_each_row_wins_with_its_last_label(mock: MockLabelbox, client: lb.Client, labels: list[str]) -> None:
    mock.reset()
    created = mock.seed({"ontologies": [{"name": "o"}],
                         "datasets": [{"name": "d", "data_rows": [{"row_data": IMAGE, "global_key": k}
                                                                 for k in ("a", "b", "c")]}],
                         "projects": [{"name": "p", "ontology": "o", "labels": [
                             {"data_row": key, "annotations": []} for key in labels]}]})
    made = created["projects"][0]["labels"]
    for key, row_id in zip(("a", "b", "c"), created["datasets"][0]["data_rows"], strict=True):
        expected = [label_id for label_id, of in zip(made, labels, strict=True) if of == key]
        winner = client.get_data_row(row_id).get_winning_label_id(created["projects"][0]["id"])
        assert winner == (expected[-1] if expected else None)


def _labelled_batch(mock: MockLabelbox, client: lb.Client, rows: int = 3) -> tuple[lb.Project, lb.Batch, list[str]]:
    seeded = mock.seed({"ontologies": [ONTOLOGY], "projects": [{"name": "p", "ontology": "everything"}],
                        "datasets": [{"name": "d", "data_rows": [{"row_data": IMAGE, "global_key": f"k-{i}"}
                                                                 for i in range(rows)]}]})
    project = client.get_project(seeded["projects"][0]["id"])
    batch = project.create_batch("b", seeded["datasets"][0]["data_rows"])
    return project, batch, seeded["datasets"][0]["data_rows"]


def _label(client: lb.Client, project: lb.Project, global_key: str) -> None:
    imported = lb.LabelImport.create_from_objects(client, project.uid, f"label {global_key}", [
        {"uuid": f"9b1e3f7c-0000-4000-8000-{abs(hash(global_key)) % 10**12:012d}", "dataRow": {"globalKey": global_key},
         "name": "box", "bbox": {"top": 1, "left": 1, "height": 2, "width": 2}}])
    imported.wait_till_done()


def test_a_batchs_labels_are_deleted_and_its_rows_requeued(mock: MockLabelbox, client: lb.Client) -> None:
    project, batch, rows = _labelled_batch(mock, client)
    for key in ("k-0", "k-1"):
        _label(client, project, key)
    made = [label.uid for label in project.labels()]
    assert len(made) == 2
    answer = batch.delete_labels()
    assert sorted(answer["project"]["deleteBatchLabels"]["deletedLabelIds"]) == sorted(made)
    assert list(project.labels()) == []
    batch.remove_queued_data_rows()  # every row is queued again, so every row leaves
    assert client.get_batch(project.uid, batch.uid).size == 0
    assert batch.delete_labels(set_labels_as_template=True) == {"project": {"deleteBatchLabels": {
        "deletedLabelIds": []}}}
    batch.delete()  # no labels left: the batch may go
    with pytest.raises(ResourceNotFoundError):
        batch.delete_labels()
    assert rows


@settings(max_examples=5, deadline=None)
@given(labelled=st.sets(st.sampled_from(["k-0", "k-1", "k-2"])))
def test_deleting_a_batchs_labels_leaves_none_on_its_rows(mock: MockLabelbox, client: lb.Client,
                                                         labelled: set[str]) -> None:
    mock.reset()
    project, batch, _rows = _labelled_batch(mock, client)
    for key in sorted(labelled):
        _label(client, project, key)
    deleted = batch.delete_labels()["project"]["deleteBatchLabels"]["deletedLabelIds"]
    assert len(deleted) == len(labelled) and list(project.labels()) == []


def test_a_batch_knows_its_creator(mock: MockLabelbox, client: lb.Client) -> None:
    project, batch, _rows = _labelled_batch(mock, client)
    assert batch.created_by() == client.get_user()
    batch.delete()
    with pytest.raises(ResourceNotFoundError):
        batch.created_by()
    assert project.uid


@settings(max_examples=10, deadline=None)
@given(doomed=st.sets(st.integers(0, 4)))
def test_bulk_deleted_labels_leave_the_others(mock: MockLabelbox, client: lb.Client, doomed: set[int]) -> None:
    mock.reset()
    world = _fresh_world(mock)
    labels = list(client.get_project(world.project_id).labels())
    lb.Label.bulk_delete([label for i, label in enumerate(labels) if i in doomed])
    assert [label.uid for label in client.get_project(world.project_id).labels()] == [
        label.uid for i, label in enumerate(labels) if i not in doomed]
    assert [label.deleted for label in labels] == [i in doomed for i in range(len(labels))]


def test_a_rows_labels_refuse_a_clause_on_another_entity(client: lb.Client, world: World) -> None:
    row = client.get_data_row(world.data_row_ids[0])
    with pytest.raises(TypeError, match="not of Label"):
        list(row.labels(where=lb.Model.name == "a"))
    with pytest.raises(InvalidAttributeError):
        list(row.labels(order_by=lb.Model.name.asc))


def _fresh_world(mock: MockLabelbox) -> World:
    return world_from(mock.seed(standard_seed(10)), 10)


def _uid(schema: Any) -> str:
    """A custom schema's id (custom_by_name maps an enum's name to its options instead, as the SDK's does)."""
    assert not isinstance(schema, dict)
    return str(schema.uid)
