"""Ontologies: creation from normalized JSON, lookup, name search, and the normalized tree as the SDK reads it."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...state import ontologies as ops
from ...state.organization import Organization
from ...state.records import Classification, Ontology, Option, Tool
from . import shapes
from .common import ctx, cursor_page, page_size


def normalized(ontology: Ontology) -> dict[str, Any]:
    """The tree in Labelbox's normalized JSON: what OntologyBuilder.from_dict and Ontology.tools() read."""
    return {"tools": [_tool(t) for t in ontology.tools],
            "classifications": [_classification(c, top=True) for c in ontology.classifications]}


def _tool(tool: Tool) -> dict[str, Any]:
    return {
        "schemaNodeId": tool.schema_node_id, "featureSchemaId": tool.feature_schema_id, "tool": tool.tool,
        "name": tool.name, "color": tool.color, "required": tool.required,
        "classifications": [_classification(c) for c in tool.classifications],
    }


def _classification(node: Classification, top: bool = False) -> dict[str, Any]:
    shaped: dict[str, Any] = {
        "schemaNodeId": node.schema_node_id, "featureSchemaId": node.feature_schema_id, "type": node.type,
        "name": node.name, "instructions": node.instructions or node.name, "required": node.required,
        "options": [_option(o) for o in node.options],
    }
    if top:
        shaped["scope"] = "global"
    return shaped


def _option(option: Option) -> dict[str, Any]:
    return {
        "schemaNodeId": option.schema_node_id, "featureSchemaId": option.feature_schema_id,
        "value": option.value, "label": option.label if option.label is not None else option.value,
        "options": [_classification(c) for c in option.options],
    }


def ontology(org: Organization, o: Ontology) -> dict[str, Any]:
    return {
        "id": o.id, "name": o.name, "description": o.description, "createdAt": o.created_at,
        "updatedAt": o.updated_at or o.created_at, "normalized": lambda _info: normalized(o),
        "objectSchemaCount": len(o.tools), "classificationSchemaCount": len(o.classifications),
        "mediaType": o.media_type,
        "createdBy": lambda _info: shapes.member(org) if o.created_by_id == org.user.id else None,
        "projects": lambda _info: [shapes.project(org, p) for p in org.projects.values() if p.ontology_id == o.id],
    }


def resolve_ontology(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    org = ctx(info).org
    return ontology(org, org.ontology(where["id"]))


def resolve_ontologies(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None,
                       after: str | None = None, first: Any = None) -> dict[str, Any]:
    org = ctx(info).org
    size = page_size(first)
    found = ops.search(org, (where or {}).get("search"))
    chunk, page_info = cursor_page("ontologies", found, after, size)
    return {"nodes": [ontology(org, o) for o in chunk], "nextCursor": page_info["endCursor"]}


def upsert_ontology(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    created = ops.create_ontology(c.org, c.ids, c.clock, data["name"], data["normalized"], data.get("mediaType"))
    return ontology(c.org, created)


def project_ontology(parent: dict[str, Any], info: GraphQLResolveInfo) -> dict[str, Any] | None:
    org = ctx(info).org
    ontology_id = org.project(parent["id"]).ontology_id
    return None if ontology_id is None else ontology(org, org.ontology(ontology_id))


RESOLVERS = {
    "Query": {"ontology": resolve_ontology, "ontologies": resolve_ontologies},
    "Mutation": {"upsertOntology": upsert_ontology},
    "Project": {"ontology": project_ontology},
}
