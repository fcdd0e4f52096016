"""Ontologies and root feature schemas: creation from normalized JSON, lookup, name search, and the
normalized tree as the SDK reads it."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...state import feature_schemas
from ...state import ontologies as ops
from ...state.errors import InvalidInput
from ...state.organization import Organization
from ...state.project_admin import projects_of_ontology
from ...state.records import Classification, FeatureSchema, Ontology, Option, Tool
from . import shapes
from .common import ctx, cursor_page, decode_id_cursor, encode_id_cursor, listing, page_size


def normalized(ontology: Ontology) -> dict[str, Any]:
    """The tree in Labelbox's normalized JSON: what OntologyBuilder.from_dict and Ontology.tools() read,
    with the URL of the instructions a project of the ontology set (the key is absent until one does)."""
    tree: dict[str, Any] = {"tools": [_tool(t) for t in ontology.tools],
                            "classifications": [_classification(c, top=True) for c in ontology.classifications]}
    if ontology.project_instructions is not None:
        tree["projectInstructions"] = ontology.project_instructions
    return tree


def node(item: Tool | Classification) -> dict[str, Any]:
    """One root tool or classification in normalized JSON (a feature schema's, or an ontology's)."""
    return _tool(item) if isinstance(item, Tool) else _classification(item, top=True)


def _tool(tool: Tool) -> dict[str, Any]:
    shaped: dict[str, Any] = {
        "schemaNodeId": tool.schema_node_id, "featureSchemaId": tool.feature_schema_id, "tool": tool.tool,
        "name": tool.name, "color": tool.color, "required": tool.required,
        "classifications": [_classification(c) for c in tool.classifications],
    }
    if tool.attributes is not None:
        shaped["attributes"] = tool.attributes
    definition = ops.shown_definition(tool)
    if definition is not None:
        shaped["definition"] = definition
    return shaped


# optional classification keys: record attribute -> normalized key, shown when set
_CLASSIFICATION_EXTRAS = (("attributes", "attributes"), ("ui_mode", "uiMode"), ("is_likert_scale", "isLikertScale"),
                          ("min_characters", "minCharacters"), ("max_characters", "maxCharacters"))


def _classification(item: Classification, top: bool = False) -> dict[str, Any]:
    shaped: dict[str, Any] = {
        "schemaNodeId": item.schema_node_id, "featureSchemaId": item.feature_schema_id, "type": item.type,
        "name": item.name, "instructions": item.instructions or item.name, "required": item.required,
        "options": [_option(o) for o in item.options],
    }
    for attribute, key in _CLASSIFICATION_EXTRAS:
        value = getattr(item, attribute)
        if value is not None:
            shaped[key] = value
    if top:
        shaped["scope"] = item.scope or "global"
    return shaped


def _option(option: Option) -> dict[str, Any]:
    shaped: dict[str, Any] = {
        "schemaNodeId": option.schema_node_id, "featureSchemaId": option.feature_schema_id,
        "value": option.value, "label": option.label if option.label is not None else option.value,
        "options": [_classification(c) for c in option.options],
    }
    if option.position is not None:
        shaped["position"] = option.position
    return shaped


def ontology(org: Organization, o: Ontology) -> dict[str, Any]:
    return {
        "id": o.id, "name": o.name, "description": o.description, "createdAt": o.created_at,
        "updatedAt": o.updated_at or o.created_at,
        "objectSchemaCount": len(o.tools), "classificationSchemaCount": len(o.classifications),
        "mediaType": o.media_type,
    }


def _created_by(parent: dict[str, Any], info: GraphQLResolveInfo) -> dict[str, Any] | None:
    org = ctx(info).org
    return shapes.member(org) if org.ontology(parent["id"]).created_by_id == org.user.id else None


def _projects(parent: dict[str, Any], info: GraphQLResolveInfo, where: dict[str, Any] | None = None,
              skip: int | None = None, first: int | None = None) -> list[dict[str, Any]]:
    org = ctx(info).org
    connected = projects_of_ontology(org, org.ontology(parent["id"]).id)
    return listing(connected, lambda p: shapes.project(org, p), where, skip, first)


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
    created = ops.create_ontology(c.org, c.ids, c.clock, data["name"], data["normalized"], data.get("mediaType"),
                                  data.get("editorTaskType"))
    return ontology(c.org, created)


def root_schema_node(schema: FeatureSchema) -> dict[str, Any]:
    return {"id": schema.node.schema_node_id, "name": schema.node.name, "normalized": node(schema.node)}


def resolve_root_schema_node(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    return root_schema_node(feature_schemas.root(ctx(info).org, where["featureSchemaId"]))


_STATUSES = ("ALL", "ACTIVE")


def resolve_root_schema_nodes(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None,
                              after: str | None = None, first: Any = None) -> dict[str, Any]:
    where = where or {}
    status = (where.get("filter") or {}).get("status")
    if status is not None and status not in _STATUSES:
        raise InvalidInput(f"filter.status must be one of {', '.join(_STATUSES)}, got {status!r}")
    size = page_size(first)
    after_id = decode_id_cursor("rootSchemaNodes", after) if after else None
    found, last = feature_schemas.page(ctx(info).org, where.get("search"), after_id, size)
    return {"nodes": [root_schema_node(s) for s in found],
            "nextCursor": encode_id_cursor("rootSchemaNodes", last) if last is not None else None}


def upsert_root_schema_node(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return root_schema_node(feature_schemas.create(c.org, c.ids, c.clock, data["normalized"]))


def project_ontology(parent: dict[str, Any], info: GraphQLResolveInfo) -> dict[str, Any] | None:
    org = ctx(info).org
    ontology_id = org.project(parent["id"]).ontology_id
    return None if ontology_id is None else ontology(org, org.ontology(ontology_id))


RESOLVERS = {
    "Query": {"ontology": resolve_ontology, "ontologies": resolve_ontologies,
              "rootSchemaNode": resolve_root_schema_node, "rootSchemaNodes": resolve_root_schema_nodes},
    "Mutation": {"upsertOntology": upsert_ontology, "upsertRootSchemaNode": upsert_root_schema_node},
    "Project": {"ontology": project_ontology},
    "Ontology": {
        "normalized": lambda parent, info: normalized(ctx(info).org.ontology(parent["id"])),
        "createdBy": _created_by,
        "projects": _projects,
    },
}
