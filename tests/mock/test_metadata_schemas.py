"""The mock's metadata schemas: upsert rules, deletion reaching rows, and uploads checked per row
against the organisation's schemas as the upsert task runs."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mockserver.backend import Backend
from mockserver.engines import data_row_upserts as upserts
from mockserver.state import metadata_schemas as schemas
from mockserver.state.datasets import UpsertOutcome, create_dataset, custom_metadata
from mockserver.state.errors import InvalidInput, NotFound
from mockserver.state.organization import Organization

TAG = schemas.RESERVED_METADATA[0]


def _world() -> tuple[Backend, Organization]:
    backend = Backend()
    return backend, backend.store.organizations()[0]


def _upload(backend: Backend, org: Organization, fields: list[list[dict[str, Any]]]) -> UpsertOutcome:
    dataset = create_dataset(org, backend.store.ids, backend.clock, "rows")
    outcome = UpsertOutcome([], [])
    specs = [{"id": {"type": "AUTO", "value": ""},
              "payload": {"row_data": f"https://x/{i}.jpg", "metadata_fields": row, "dataset_id": dataset.id}}
             for i, row in enumerate(fields)]
    upserts.run_upsert(org, backend.store.ids, backend.clock, specs, outcome)
    return outcome


def test_values_of_a_deleted_schema_fail_their_row_alone_and_leave_every_row() -> None:
    backend, org = _world()
    ids = backend.store.ids
    camera = schemas.upsert_schema(org, ids, {"name": "camera", "kind": "CustomMetadataString"})
    size = schemas.upsert_schema(org, ids, {"name": "size", "kind": "CustomMetadataNumber"})
    first = _upload(backend, org, [[{"schemaId": camera.id, "value": "front"}, {"schemaId": size.id, "value": 3}]])
    [row_id] = first.row_ids
    assert [f["schemaId"] for f in custom_metadata(org, org.data_rows[row_id])] == [camera.id, size.id]
    schemas.delete_schema(org, camera.id)
    assert [f["schemaId"] for f in org.data_rows[row_id].metadata_fields] == [size.id]
    outcome = _upload(backend, org, [[{"schemaId": camera.id, "value": "x"}], [{"schemaId": size.id, "value": 1}],
                                     [{"schemaId": size.id, "value": "big"}], [{"schemaId": size.id, "value": True}]])
    assert len(outcome.row_ids) == 1
    assert [f["message"].split(":")[0] for f in outcome.failures] == ["metadata_fields[0].schemaId",
                                                                      "metadata_fields[0].value",
                                                                      "metadata_fields[0].value"]


@pytest.mark.parametrize("change, named", [
    (lambda e: {"id": TAG.id, "name": "tags", "kind": TAG.kind}, "reserved by Labelbox"),
    (lambda e: {"id": "c" + "0" * 24, "name": "x", "kind": "CustomMetadataString"}, "CustomMetadataSchema"),
    (lambda e: {"id": e.id, "name": e.name, "kind": "CustomMetadataString"}, "cannot change"),
    (lambda e: {"id": e.id, "name": e.name, "kind": e.kind,
                "options": [{"id": e.options[0].id, "name": "a", "kind": "CustomMetadataEnumOption"}]},
     "keeps its options"),
    (lambda e: {"id": e.id, "name": e.name, "kind": e.kind,
                "options": [{"id": "elsewhere", "name": "a", "kind": "CustomMetadataEnumOption"}]},
     "not an option of this schema"),
    (lambda e: {"name": "n", "kind": "CustomMetadataEnum", "options": [{"name": "a", "kind": "CustomMetadataString"}]},
     "an enum option's kind"),
    (lambda e: {"name": "n", "kind": "CustomMetadataEnumOption"}, "a custom metadata schema is one of"),
])
def test_upserts_it_cannot_make_are_refused_and_change_nothing(change: Any, named: str) -> None:
    backend, org = _world()
    enum = schemas.upsert_schema(org, backend.store.ids, {"name": "e", "kind": "CustomMetadataEnum", "options": [
        {"name": "a", "kind": "CustomMetadataEnumOption"}, {"name": "b", "kind": "CustomMetadataEnumOption"}]})
    before = dict(org.metadata_schemas)
    with pytest.raises((InvalidInput, NotFound), match=named):
        schemas.upsert_schema(org, backend.store.ids, change(enum))
    assert org.metadata_schemas == before
    with pytest.raises(InvalidInput, match="reserved"):
        schemas.delete_schema(org, TAG.id)


@given(names=st.lists(st.sampled_from(["a", "b", "c", " a ", "tag", "split"]), max_size=6))
def test_schema_names_stay_unique_across_reserved_and_custom(names: list[str]) -> None:
    backend, org = _world()
    for name in names:
        try:
            schemas.upsert_schema(org, backend.store.ids, {"name": name, "kind": "CustomMetadataString"})
        except InvalidInput as error:
            assert "already exists" in str(error)
    listed = [schema.name for schema in schemas.metadata_ontology(org)]
    assert len(listed) == len(set(listed))
    assert set(listed) == {"tag", "split", "captureDateTime"} | {name.strip() for name in names}
