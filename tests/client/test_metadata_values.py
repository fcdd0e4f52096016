"""Metadata values on data rows through labelbox_lite: bulk upsert, export and delete, by id or global key."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError, OperationNotAllowedException
from mockserver import MockLabelbox
from mockserver.state import row_metadata

TAG, SPLIT, CAPTURED = "cko8s9r5v0001h2dk9elqdidh", "cko8sbczn0002h2dkdaxb5kal", "cko8sdzv70006h2dk8jg64zvb"
TRAIN, TEST = "cko8sbscr0003h2dk04w86hof", "cko8scbz70005h2dkastwhgqt"
Field = lb.DataRowMetadataField


def _rows(client: lb.Client, count: int) -> list[lb.DataRow]:
    dataset = client.create_dataset(name="values")
    task = dataset.create_data_rows([{"row_data": f"https://example.com/{i}.jpg", "global_key": f"k{i}"}
                                     for i in range(count)])
    task.wait_till_done()
    return [client.get_data_row_by_global_key(f"k{i}") for i in range(count)]


def _values(exported: lb.DataRowMetadata) -> dict[str | None, Any]:
    return {field.schema_id: field.value for field in exported.fields}


def test_values_are_upserted_exported_and_deleted(client: lb.Client) -> None:
    [row] = _rows(client, 1)
    mdo = client.get_data_row_metadata_ontology()
    mdo.create_schema("camera", lb.DataRowMetadataKind.string)
    when = datetime(2011, 11, 4, 0, 5, 23, tzinfo=timezone.utc)
    errors = mdo.bulk_upsert([lb.DataRowMetadata(data_row_id=row.uid, fields=[
        Field(schema_id=TAG, value="a tag"), Field(schema_id=SPLIT, value=TEST), Field(schema_id=CAPTURED, value=when),
        Field(name="camera", value="front")])])
    assert errors == []
    [exported] = mdo.bulk_export([row.uid])
    camera = mdo.custom_by_name["camera"]
    assert isinstance(camera, lb.DataRowMetadataSchema)
    assert (exported.data_row_id, exported.global_key) == (row.uid, "k0")
    assert _values(exported) == {TAG: "a tag", SPLIT: TEST, CAPTURED: when, camera.uid: "front"}
    assert next(f.name for f in exported.fields if f.schema_id == SPLIT) == "test"  # an enum by its option's name
    # by global key; an upsert replaces the values it names and keeps the others
    assert mdo.bulk_upsert([lb.DataRowMetadata(global_key="k0", fields=[Field(name="split", value="train")])]) == []
    [by_key] = mdo.bulk_export(lb.GlobalKeys(["k0"]))
    assert _values(by_key)[SPLIT] == TRAIN and _values(by_key)[TAG] == "a tag"
    # a delete of a schema the row holds no value of is reported, the others are deleted
    failures = mdo.bulk_delete([lb.DeleteDataRowMetadata(data_row_id=row.uid, fields=[TAG, SPLIT]),
                                lb.DeleteDataRowMetadata(data_row_id=lb.GlobalKey("k0"), fields=[TAG])])
    assert [(f.data_row_id, f.error, f.fields) for f in failures] == [(row.uid, "Schema did not exist", [TAG])]
    assert set(_values(mdo.bulk_export([row.uid])[0])) == {CAPTURED, camera.uid}
    assert {f["schemaId"] for f in client.get_data_row(row.uid).metadata_fields} == {CAPTURED, camera.uid}


@given(plan=st.lists(st.tuples(st.integers(0, 2), st.sampled_from(["tag", "split", "delete-tag", "delete-split"]),
                               st.sampled_from(["train", "valid", "test"])), max_size=12))
def test_exported_values_follow_every_upsert_and_delete(mock: MockLabelbox, client: lb.Client,
                                                        plan: list[tuple[int, str, str]]) -> None:
    mock.reset()
    rows = _rows(client, 3)
    mdo = lb.DataRowMetadataOntology(client)
    model: list[dict[str, Any]] = [{}, {}, {}]
    for index, action, word in plan:
        row = rows[index]
        if action == "tag":
            mdo.bulk_upsert([lb.DataRowMetadata(data_row_id=row.uid, fields=[Field(schema_id=TAG, value=word)])])
            model[index][TAG] = word
        elif action == "split":
            mdo.bulk_upsert([lb.DataRowMetadata(data_row_id=row.uid, fields=[Field(name="split", value=word)])])
            model[index][SPLIT] = {"train": TRAIN, "valid": "cko8sc2yr0004h2dk69aj5x63", "test": TEST}[word]
        else:
            schema = TAG if action == "delete-tag" else SPLIT
            failures = mdo.bulk_delete([lb.DeleteDataRowMetadata(data_row_id=row.uid, fields=[schema])])
            assert [f.error for f in failures] == ([] if schema in model[index] else ["Schema did not exist"])
            model[index].pop(schema, None)
    exported = mdo.bulk_export([row.uid for row in rows])
    assert [_values(e) for e in exported] == model
    org = mock.backend.store.organizations()[0]
    assert row_metadata.usage(org)[0] == sum(len(values) for values in model)


def test_bad_values_are_refused_and_change_nothing(mock: MockLabelbox, client: lb.Client) -> None:
    [row] = _rows(client, 1)
    mdo = client.get_data_row_metadata_ontology()
    assert mdo.bulk_upsert([lb.DataRowMetadata(data_row_id=row.uid, fields=[Field(schema_id=TAG, value="kept")])]) == []
    with pytest.raises(ValueError, match="Empty list"):
        mdo.bulk_upsert([])
    with pytest.raises(ValueError, match="not found in ontology"):
        mdo.bulk_upsert([lb.DataRowMetadata(data_row_id=row.uid, fields=[Field(schema_id="c" * 25, value="x")])])
    with pytest.raises(ValueError, match="Expected a string"):
        mdo.bulk_upsert([lb.DataRowMetadata(data_row_id=row.uid, fields=[Field(schema_id=TAG, value=3)])])
    with pytest.raises(ValueError, match="No fields specified"):
        mdo.bulk_delete([lb.DeleteDataRowMetadata(data_row_id=row.uid, fields=[])])
    # a row that is not there is answered as that row's failure; the other rows are written
    failures = mdo.bulk_upsert([
        lb.DataRowMetadata(data_row_id="no-such-row", fields=[Field(schema_id=TAG, value="x")]),
        lb.DataRowMetadata(global_key="k0", fields=[Field(schema_id=TAG, value="changed")])])
    assert [(f.data_row_id, f.error) for f in failures] == [
        ("no-such-row", "Data row not found: no data row with id 'no-such-row'")]
    # a schema named twice in one row is refused with Labelbox's words
    failures = mdo.bulk_upsert([lb.DataRowMetadata(data_row_id=row.uid, fields=[
        Field(schema_id=TAG, value="a"), Field(schema_id=TAG, value="b")])])
    assert failures[0].error is not None and f"A schemaId can only be specified once per DataRow : [{TAG}]" in \
        failures[0].error
    assert _values(mdo.bulk_export([row.uid])[0]) == {TAG: "changed"}
    with pytest.raises(InvalidQueryError, match="no data row with id 'gone'"):
        mdo.bulk_export(["gone"])


def test_metadata_values_are_bounded_per_organisation(client: lb.Client, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = _rows(client, 2)
    mdo = client.get_data_row_metadata_ontology()
    monkeypatch.setattr(row_metadata, "METADATA_VALUES_PER_ORG", 1)
    assert mdo.bulk_upsert([lb.DataRowMetadata(data_row_id=rows[0].uid, fields=[Field(schema_id=TAG, value="a")])]) == []
    with pytest.raises(OperationNotAllowedException, match="at most 1 metadata values"):
        mdo.bulk_upsert([lb.DataRowMetadata(data_row_id=rows[1].uid, fields=[Field(schema_id=TAG, value="b")])])
    task = rows[1].dataset().create_data_rows([{"row_data": "https://example.com/x.jpg",
                                                "metadata_fields": [{"schema_id": TAG, "value": "c"}]}])
    task.wait_till_done()
    assert task.errors is not None and "at most 1 metadata values" in task.errors[0]["message"]
    assert [_values(e) for e in mdo.bulk_export([r.uid for r in rows])] == [{TAG: "a"}, {}]
