"""Data-row metadata schemas: the organisation's metadata ontology, and the schemas it makes."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...state import metadata_schemas as ops
from ...state import row_metadata
from ...state.datasets import custom_metadata
from ...state.records import MetadataSchema
from .common import ctx


def _schema(schema: MetadataSchema) -> dict[str, Any]:
    return {"id": schema.id, "name": schema.name, "kind": schema.kind, "reserved": schema.reserved,
            "options": [_schema(option) for option in schema.options]}


def metadata_ontology(_root: Any, info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    return [_schema(schema) for schema in ops.metadata_ontology(ctx(info).org)]


def upsert_schema(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return _schema(ops.upsert_schema(c.org, c.ids, data))


def delete_schema(_root: Any, info: GraphQLResolveInfo, schema: dict[str, Any]) -> dict[str, Any]:
    ops.delete_schema(ctx(info).org, schema["id"])
    return {"success": True}


def _batch_result(result: row_metadata.BatchResult) -> dict[str, Any]:
    return {"dataRowId": result.data_row_id, "globalKey": result.global_key, "error": result.error,
            "fields": result.fields}


def upsert_values(_root: Any, info: GraphQLResolveInfo, data: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [_batch_result(r) for r in row_metadata.upsert_values(ctx(info).org, data)]


def delete_values(_root: Any, info: GraphQLResolveInfo, dataRowIdentifiers: list[dict[str, Any]] | None = None,
                  ) -> list[dict[str, Any]]:
    return [_batch_result(r) for r in row_metadata.delete_values(ctx(info).org, dataRowIdentifiers or [])]


def export_values(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> list[dict[str, Any]]:
    org = ctx(info).org
    identifiers = where.get("dataRowIdentifiers") or {"ids": [], "idType": "ID"}
    rows = row_metadata.export_values(org, identifiers["ids"], identifiers["idType"])
    return [{"dataRowId": row.id, "globalKey": row.global_key, "fields": custom_metadata(org, row)} for row in rows]


RESOLVERS = {
    "Query": {"customMetadataOntology": metadata_ontology, "dataRowCustomMetadata": export_values},
    "Mutation": {"upsertCustomMetadataSchema": upsert_schema, "deleteCustomMetadataSchema": delete_schema,
                 "upsertDataRowCustomMetadata": upsert_values, "deleteDataRowCustomMetadata": delete_values},
}
