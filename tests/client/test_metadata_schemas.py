"""Custom data-row metadata schemas through labelbox_lite: made, renamed, deleted, and carried by rows."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite.exceptions import InvalidQueryError, MalformedQueryException, ResourceNotFoundError
from mockserver import MockLabelbox

Kind = lb.DataRowMetadataKind
VALUES: dict[Kind, Any] = {Kind.string: "front", Kind.number: 0.5, Kind.datetime: "2024-05-01T10:00:00Z",
                           Kind.enum: "b"}
schema_sets = st.dictionaries(st.from_regex(r"[a-z][a-z0-9 ]{0,12}", fullmatch=True).map(str.strip).filter(bool),
                              st.sampled_from([Kind.string, Kind.number, Kind.datetime, Kind.enum]),
                              min_size=1, max_size=4).filter(
    lambda d: not {"tag", "split", "captureDateTime"} & set(d))


def _clear(mock: MockLabelbox) -> None:
    mock.backend.store.organizations()[0].metadata_schemas.clear()


@given(schemas=schema_sets)
def test_made_schemas_are_listed_and_their_values_land_on_rows(mock: MockLabelbox, client: lb.Client,
                                                              schemas: dict[str, Kind]) -> None:
    _clear(mock)
    mdo = lb.DataRowMetadataOntology(client)
    for name, kind in schemas.items():
        made = mdo.create_schema(name, kind, ["a", "b"] if kind is Kind.enum else None)
        assert (made.name, made.kind, made.reserved) == (name, kind, False)
    assert {f.name: f.kind for f in mdo.custom_fields} == schemas
    assert [f.name for f in mdo.reserved_fields] == ["tag", "split", "captureDateTime"]
    dataset = client.create_dataset(name="drawn")
    try:
        task = dataset.create_data_rows([{"row_data": "https://example.com/x.jpg", "metadata_fields": [
            {"name": name, "value": VALUES[kind]} for name, kind in schemas.items()]}])
        task.wait_till_done()
        assert task.errors is None
        result = task.result
        assert result is not None
        row = client.get_data_row(result[0]["id"])
        stored = {field["name"]: field["value"] for field in row.metadata_fields}
        for name, kind in schemas.items():
            expected = "b" if kind is Kind.enum else VALUES[kind]  # an enum's value by its option's name
            assert stored[name] == expected
    finally:
        dataset.delete()


def test_rename_option_rename_and_delete(mock: MockLabelbox, client: lb.Client) -> None:
    mdo = client.get_data_row_metadata_ontology()
    assert client.get_data_row_metadata_ontology() is mdo  # read once per client, as the SDK does
    mdo.create_schema("weather", Kind.enum, ["sun", "rain"])
    dataset = client.create_dataset(name="weather")
    task = dataset.create_data_rows([{"row_data": "https://example.com/w.jpg", "global_key": "w",
                                      "metadata_fields": [{"name": "weather", "value": "rain"}]}])
    task.wait_till_done()
    mdo.update_enum_option("weather", "rain", "drizzle")
    renamed = mdo.update_schema("weather", "sky")
    assert renamed.name == "sky" and sorted(o.name for o in renamed.options or []) == ["drizzle", "sun"]
    [field] = client.get_data_row_by_global_key("w").metadata_fields
    assert (field["name"], field["value"]) == ("sky", "drizzle")  # rows carry the new names
    assert mdo.delete_schema("sky") is True
    assert mdo.custom_fields == [] and client.get_data_row_by_global_key("w").metadata_fields == []


@pytest.mark.parametrize("call, error, named", [
    (lambda m: m.create_schema("x", "CustomMetadataString"), ValueError, "must be a `DataRowMetadataKind`"),
    (lambda m: m.create_schema("x", Kind.string, ["a"]), ValueError, "must be an Enum"),
    (lambda m: m.create_schema("   ", Kind.string), ValueError, "1 to 100 characters"),
    (lambda m: m.create_schema("x" * 101, Kind.string), ValueError, "1 to 100 characters"),
    (lambda m: m.create_schema("tag", Kind.string), MalformedQueryException, "named 'tag' already exists"),
    (lambda m: m.create_schema("camera", Kind.number), MalformedQueryException, "named 'camera' already exists"),
    (lambda m: m.create_schema("vec", Kind.embedding), InvalidQueryError, "kind: a custom metadata schema is one"),
    (lambda m: m.create_schema("e", Kind.enum, ["a", "a"]), InvalidQueryError, "'a' is given twice"),
    (lambda m: m.update_schema("nope", "x"), KeyError, "'nope' is not a valid custom metadata"),
    (lambda m: m.update_schema("tag", "x"), KeyError, "'tag' is not a valid custom metadata"),
    (lambda m: m.update_schema("camera", "split"), MalformedQueryException, "named 'split' already exists"),
    (lambda m: m.update_enum_option("camera", "a", "b"), ValueError, "only supported for Enum"),
    (lambda m: m.delete_schema("split"), KeyError, "'split' is not a valid custom metadata"),
])
def test_bad_schema_changes_are_refused_and_change_nothing(mock: MockLabelbox, client: lb.Client, call: Any,
                                                           error: type[Exception], named: str) -> None:
    mdo = client.get_data_row_metadata_ontology()
    mdo.create_schema("camera", Kind.string)
    before = mock.backend.dump()["organizations"][0]["metadata_schemas"]
    with pytest.raises(error, match=named):
        call(mdo)
    assert mock.backend.dump()["organizations"][0]["metadata_schemas"] == before


def test_a_schema_deleted_elsewhere_is_not_found(mock: MockLabelbox, client: lb.Client) -> None:
    mdo = client.get_data_row_metadata_ontology()
    mdo.create_schema("camera", Kind.string)
    lb.DataRowMetadataOntology(client).delete_schema("camera")
    with pytest.raises(ResourceNotFoundError):
        mdo.delete_schema("camera")  # this copy still lists it; the server no longer has it
