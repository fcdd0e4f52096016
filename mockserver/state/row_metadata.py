"""Metadata values on data rows: checked against the metadata ontology, upserted, deleted and read per row.

A row stores one field per schema: `{"schemaId", "name", "kind", "value"}`, an enum's value being
its chosen option `{"schemaId", "name"}`. The wire names an enum as two entries, the schema with
`{}` and the option with `{}` (the SDK's `_parse_upsert` sends it so); either entry alone is
enough to place it. A field may name its schema by `name` instead of `schemaId`, and an enum its
option by name, as Labelbox's import format allows.

Values are bounded per organisation in count and bytes (METADATA_VALUES_PER_ORG,
METADATA_BYTES_PER_ORG): a write that would pass either is refused whole.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from attrs import define

from . import quotas
from .errors import InvalidInput
from .metadata_schemas import DATETIME, ENUM, NUMBER, OPTION, STRING, schema_index
from .organization import Organization
from .records import DataRow, MetadataSchema

METADATA_VALUES_PER_ORG = 1_000_000
METADATA_BYTES_PER_ORG = 256 * 1024 * 1024
STRING_VALUE_LIMIT = 4096  # characters of a string value: the mock's bound (docs/porting.md)
DUPLICATE_SCHEMA = "A schemaId can only be specified once per DataRow"
SCHEMA_NOT_ON_ROW = "Schema did not exist"


class Schemas:
    """The organisation's metadata ontology indexed for checking values: by id, by name, options' enums."""

    def __init__(self, org: Organization) -> None:
        self.by_id, self.parent = schema_index(org)
        self.by_name = {schema.name: schema for schema in self.by_id.values() if schema.kind != OPTION}

    def lookup(self, item: dict[str, Any]) -> MetadataSchema | None:
        schema_id = item.get("schemaId", item.get("schema_id"))
        if isinstance(schema_id, str):
            return self.by_id.get(schema_id)
        name = item.get("name")
        return self.by_name.get(name) if isinstance(name, str) else None


def parse_fields(value: Any, schemas: Schemas, where: str) -> tuple[list[dict[str, Any]], str | None]:
    """Wire metadata (the input field `where`) as stored fields, or why it is refused, naming the entry.
    A schema named twice is refused in Labelbox's words, which begin the message (the SDK's tests read them)."""
    if not isinstance(value, list):
        return [], f"{where}: must be a list, got {type(value).__name__}"
    fields: dict[str, dict[str, Any]] = {}
    given: list[str] = []  # schema ids as named, to find one named twice
    for index, item in enumerate(value):
        if not isinstance(item, dict):
            return [], f"{where}[{index}]: a metadata field is an object with schemaId (or name) and value"
        schema = schemas.lookup(item)
        if schema is None:
            named = item.get("schemaId", item.get("schema_id", item.get("name")))
            return [], f"{where}[{index}].schemaId: metadata schema {named!r} not found in the metadata ontology"
        raw = item.get("value")
        if schema.kind == OPTION:
            parent = schemas.parent[schema.id]
            given.append(schema.id)
            field = fields.setdefault(parent.id, _field(parent, None))
            field["value"] = {"schemaId": schema.id, "name": schema.name}
            continue
        given.append(schema.id)
        if schema.kind == ENUM:
            field = fields.setdefault(schema.id, _field(schema, None))
            option = _option_named(schema, raw)
            if option is not None:
                field["value"] = {"schemaId": option.id, "name": option.name}
            elif raw not in (None, {}):
                return [], f"{where}[{index}].value: {raw!r} is not an option of enum {schema.name!r}"
            continue
        message = _check_value(schema, raw)
        if message is not None:
            return [], f"{where}[{index}].value: {message}"
        fields[schema.id] = _field(schema, raw)
    repeated = _repeated(given, schemas)
    if repeated:
        return [], f"{DUPLICATE_SCHEMA} : [{', '.join(repeated)}]"
    for field in fields.values():
        if field["value"] is None:
            return [], f"{where}: enum {field['name']!r} is given without one of its options"
    return list(fields.values()), None


def _field(schema: MetadataSchema, value: Any) -> dict[str, Any]:
    return {"schemaId": schema.id, "name": schema.name, "kind": schema.kind, "value": value}


def _option_named(schema: MetadataSchema, raw: Any) -> MetadataSchema | None:
    """An enum's option given as the value: by id, or by name."""
    if not isinstance(raw, str):
        return None
    return next((o for o in schema.options if raw in (o.id, o.name)), None)


def _repeated(given: list[str], schemas: Schemas) -> list[str]:
    """Schema ids named more than once; an enum and its own option are one field, not two."""
    seen: dict[str, int] = {}
    for schema_id in given:
        seen[schema_id] = seen.get(schema_id, 0) + 1
    options_of: dict[str, list[str]] = {}
    for schema_id in seen:
        if schema_id in schemas.parent:
            options_of.setdefault(schemas.parent[schema_id].id, []).append(schema_id)
    repeated = [schema_id for schema_id, count in seen.items() if count > 1]
    repeated += [enum for enum, options in options_of.items() if len(options) > 1 and enum not in repeated]
    return repeated


def _check_value(schema: MetadataSchema, raw: Any) -> str | None:
    if schema.kind in (STRING, DATETIME) and not isinstance(raw, str):
        return f"{schema.name} takes a string, got {raw!r}"
    if schema.kind == STRING and len(raw) > STRING_VALUE_LIMIT:
        return f"{schema.name}: a string value is at most {STRING_VALUE_LIMIT} characters, got {len(raw)}"
    if schema.kind == NUMBER and (isinstance(raw, bool) or not isinstance(raw, (int, float))):
        return f"{schema.name} takes a number, got {raw!r}"
    return None


def field_bytes(fields: Iterable[dict[str, Any]]) -> int:
    return sum(len(json.dumps(field.get("value"), separators=(",", ":"))) for field in fields)


def usage(org: Organization) -> tuple[int, int]:
    """(values, bytes) of metadata the organisation's rows hold: a running total, counted again from the
    rows only after a change that dropped it (deleting rows or a schema, a seed)."""
    if org.metadata_usage is None:
        fields = [field for row in org.data_rows.values() for field in row.metadata_fields]
        org.metadata_usage = (len(fields), field_bytes(fields))
    return org.metadata_usage


def check_quota(org: Organization, removed: Sequence[dict[str, Any]], added: Sequence[dict[str, Any]]) -> None:
    """Refuses a write that would take the organisation's metadata past its count or byte bound."""
    count, size = usage(org)
    quotas.refuse_past("metadata values", count + len(added) - len(removed),
                       size + field_bytes(added) - field_bytes(removed), METADATA_VALUES_PER_ORG, METADATA_BYTES_PER_ORG)


def replace_fields(org: Organization, row: DataRow, fields: list[dict[str, Any]]) -> None:
    """Sets a row's metadata, keeping the organisation's usage count (check_quota first)."""
    count, size = usage(org)
    org.metadata_usage = (count + len(fields) - len(row.metadata_fields),
                          size + field_bytes(fields) - field_bytes(row.metadata_fields))
    row.metadata_fields = fields


def merged(current: list[dict[str, Any]], given: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A row's fields with `given` upserted: a schema given replaces its value, the others stay."""
    by_schema = {field["schemaId"]: field for field in current}
    for field in given:
        by_schema[field["schemaId"]] = field
    return list(by_schema.values())


@define
class BatchResult:
    """One row's answer to a batch metadata change: refused (error) or partly applied."""

    data_row_id: str | None
    global_key: str | None
    error: str | None
    fields: list[dict[str, Any]]  # {schemaId, value} as the wire has them


def _row_for(org: Organization, data_row_id: Any, global_key: Any) -> tuple[DataRow | None, str | None]:
    if isinstance(data_row_id, str) and data_row_id:
        row = org.data_rows.get(data_row_id)
        return row, None if row else f"Data row not found: no data row with id {data_row_id!r}"
    if isinstance(global_key, str) and global_key:
        row_id = org.data_rows_by_global_key.get(global_key)
        row = org.data_rows.get(row_id) if row_id else None
        return row, None if row else f"Data row not found: no data row with global key {global_key!r}"
    return None, "give dataRowId or globalKey"


def upsert_values(org: Organization, items: Sequence[dict[str, Any]]) -> list[BatchResult]:
    """Upserts each item's fields on its row; answers the items refused (a row not found, a bad value).

    Each item is applied or refused whole; the quota is checked over the whole batch first.
    """
    schemas = Schemas(org)
    failures: list[BatchResult] = []
    planned: list[tuple[DataRow, list[dict[str, Any]]]] = []
    for item in items:
        wire = [{"schemaId": f.get("schemaId"), "value": f.get("value")} for f in item.get("fields") or []]
        row, error = _row_for(org, item.get("dataRowId"), item.get("globalKey"))
        if row is not None:
            fields, error = parse_fields(item.get("fields") or [], schemas, "fields")
        if row is None or error is not None:
            failures.append(BatchResult(item.get("dataRowId"), item.get("globalKey"), error, wire))
            continue
        planned.append((row, fields))
    rows = {row.id: row for row, _ in planned}
    after = {row.id: row.metadata_fields for row in rows.values()}
    for row, fields in planned:
        after[row.id] = merged(after[row.id], fields)
    check_quota(org, [f for row in rows.values() for f in row.metadata_fields],
                [f for fields in after.values() for f in fields])
    for row in rows.values():
        replace_fields(org, row, after[row.id])
    return failures


def delete_values(org: Organization, items: Sequence[dict[str, Any]]) -> list[BatchResult]:
    """Deletes the named schemas' values from each row; answers, per row, the schemas it did not hold
    ("Schema did not exist") or why the row was refused. An enum is named by its schema id."""
    checked: list[tuple[DataRow, list[str]]] = []
    failures: list[BatchResult] = []
    for item in items:
        identifier = item.get("dataRowIdentifier") or {}
        key, kind = identifier.get("id"), identifier.get("idType")
        schema_ids = list(item.get("schemaIds") or [])
        row, error = _row_for(org, key if kind == "ID" else None, key if kind == "GKEY" else None)
        if row is None:
            failures.append(BatchResult(key if kind == "ID" else None, key if kind == "GKEY" else None, error,
                                        [{"schemaId": s, "value": None} for s in schema_ids]))
            continue
        checked.append((row, schema_ids))
    for row, schema_ids in checked:
        held = {field["schemaId"] for field in row.metadata_fields}
        missing = [schema_id for schema_id in schema_ids if schema_id not in held]
        if missing:
            failures.append(BatchResult(row.id, row.global_key, SCHEMA_NOT_ON_ROW,
                                        [{"schemaId": s, "value": None} for s in missing]))
        doomed = set(schema_ids)
        kept = [field for field in row.metadata_fields if field["schemaId"] not in doomed]
        if len(kept) != len(row.metadata_fields):
            replace_fields(org, row, kept)
    return failures


def export_values(org: Organization, ids: Sequence[str], id_type: str) -> list[DataRow]:
    """The rows `ids` name (data row ids, or global keys when id_type is GKEY), in order; all or nothing."""
    rows: list[DataRow] = []
    for key in ids:
        row_id = org.data_rows_by_global_key.get(key) if id_type == "GKEY" else key
        row = org.data_rows.get(row_id) if row_id else None
        if row is None:
            what = "global key" if id_type == "GKEY" else "id"
            raise InvalidInput(f"dataRowIdentifiers: no data row with {what} {key!r}")
        rows.append(row)
    return rows
