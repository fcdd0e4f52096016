"""Data-row metadata schemas: the organisation's metadata ontology, and the schemas it makes."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...state import metadata_schemas as ops
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


RESOLVERS = {
    "Query": {"customMetadataOntology": metadata_ontology},
    "Mutation": {"upsertCustomMetadataSchema": upsert_schema, "deleteCustomMetadataSchema": delete_schema},
}
