"""Root feature schemas as records of their own: made, updated, renamed, placed into ontologies,
removed or archived there, deleted when unused, and listed a page at a time.

An ontology holds its own copy of each root node (its archived flag is the ontology's); a change
to a feature schema's definition or title reaches every ontology that places it.
"""

from __future__ import annotations

import copy
from typing import Any

from ..clock import MockClock
from ..ids import IdFactory
from .creation_order import CreationOrder, synced
from .errors import Conflict, InvalidInput, NotFound
from .ontologies import (
    CHAT_TOOLS,
    add_feature_schema,
    check_quota,
    node_bytes,
    read_feature_schema,
    schema_users,
    track,
    untrack,
    used_ontology_ids,
)
from .organization import Organization
from .records import Classification, FeatureSchema, Ontology, Tool

NEW_ID = "new_feature_schema_id"  # the id the SDK's upsert puts in the path when it makes a new one
MAX_REMEMBERED_DELETIONS = 10_000  # deleted ids kept to say "already deleted"; older ones are forgotten
UNUSED_PAGE = 100  # ids per page of the unused lists, as the SDK documents


class AlreadyDeleted(Conflict):
    """The feature schema was deleted before."""


def missing(feature_schema_id: str) -> NotFound:
    error = NotFound("FeatureSchema", feature_schema_id)
    error.args = (f"Cannot find root schema node with feature schema id {feature_schema_id}",)
    return error


def root(org: Organization, feature_schema_id: str) -> FeatureSchema:
    schema = org.feature_schemas.get(feature_schema_id)
    if schema is None:
        raise missing(feature_schema_id)
    return schema


def _order(org: Organization) -> CreationOrder:
    org.feature_schema_order = synced(org.feature_schema_order, org.feature_schemas)
    return org.feature_schema_order


def create(org: Organization, ids: IdFactory, clock: MockClock, normalized: Any) -> FeatureSchema:
    """upsertRootSchemaNode: a new root feature schema, or the one the payload names, updated."""
    node = read_feature_schema(org, ids, normalized)
    existing = org.feature_schemas.get(node.feature_schema_id)
    if existing is not None:
        return _replace(org, clock, existing, node)
    check_quota(org, [node])
    return add_feature_schema(org, clock, node)


def upsert(org: Organization, ids: IdFactory, clock: MockClock, feature_schema_id: str, body: Any) -> FeatureSchema:
    """PUT /feature-schemas/{id} with {"normalized": JSON text}: makes one (id `new_feature_schema_id`)
    or replaces the definition of the one named."""
    normalized = body.get("normalized") if isinstance(body, dict) else None
    if not isinstance(normalized, str):
        raise InvalidInput("the body must be {\"normalized\": the tool or classification as JSON text}")
    if feature_schema_id == NEW_ID:
        return create(org, ids, clock, normalized)
    existing = root(org, feature_schema_id)
    node = read_feature_schema(org, ids, normalized, keep_id=existing.id)
    return _replace(org, clock, existing, node)


def _replace(org: Organization, clock: MockClock, schema: FeatureSchema, node: Tool | Classification) -> FeatureSchema:
    old = schema.node
    if _kind(node) != _kind(old):
        raise InvalidInput(f"feature schema {schema.id} is a {_kind(old)}; an update cannot make it a {_kind(node)}")
    node.feature_schema_id = schema.id
    node.schema_node_id = old.schema_node_id
    node.archived = False
    delta = node_bytes(node) - node_bytes(old)
    if delta > 0:
        check_quota(org, [], grown_by=delta)
    org.feature_schema_bytes += delta
    schema.node = node
    schema.updated_at = clock.now()
    _propagate(org, clock, schema)
    return schema


def _kind(node: Tool | Classification) -> str:
    return f"{node.tool} tool" if isinstance(node, Tool) else f"{node.type} classification"


def _propagate(org: Organization, clock: MockClock, schema: FeatureSchema) -> None:
    """Every ontology placing the feature schema shows its new definition (keeping its own archived flag)."""
    for ontology_id in sorted(schema_users(org).get(schema.id, ())):
        ontology = org.ontologies[ontology_id]
        features: list[Any] = ontology.tools if isinstance(schema.node, Tool) else ontology.classifications
        for index, node in enumerate(features):
            if node.feature_schema_id == schema.id:
                untrack(org, ontology)
                placed = copy.deepcopy(schema.node)
                placed.archived = node.archived
                features[index] = placed
                ontology.updated_at = clock.now()
                track(org, ontology)


def update_title(org: Organization, clock: MockClock, feature_schema_id: str, body: Any) -> FeatureSchema:
    """PATCH /feature-schemas/{id}/definition with {"title": ...}: renames it everywhere it is placed."""
    schema = root(org, feature_schema_id)
    title = body.get("title") if isinstance(body, dict) else None
    if not isinstance(title, str) or not title.strip():
        raise InvalidInput(f"title must be a non-empty string, got {title!r}")
    node = copy.deepcopy(schema.node)
    if isinstance(node, Classification) and node.instructions == node.name:
        node.instructions = title
    node.name = title
    return _replace(org, clock, schema, node)


def delete_unused(org: Organization, feature_schema_id: str, clock: MockClock) -> None:
    if feature_schema_id in org.deleted_feature_schemas:
        raise AlreadyDeleted("Feature schema is already deleted")
    schema = root(org, feature_schema_id)
    if schema_users(org).get(feature_schema_id):
        raise Conflict("Feature schema cannot be deleted because it is used in ontologies")
    del org.feature_schemas[feature_schema_id]
    _order(org).remove(feature_schema_id)
    org.feature_schema_bytes -= node_bytes(schema.node)
    deleted = org.deleted_feature_schemas
    deleted[feature_schema_id] = clock.now()
    while len(deleted) > MAX_REMEMBERED_DELETIONS:
        del deleted[next(iter(deleted))]


def page(org: Organization, search: str | None, after: str | None,
         size: int) -> tuple[list[FeatureSchema], str | None]:
    """Up to `size` root feature schemas whose name contains `search` (any case), oldest first, after
    the one with id `after`; and the id to go on from (None at the end)."""
    needle = (search or "").casefold()
    order = _order(org)
    found: list[FeatureSchema] = []
    ids = order.after(_cursor(order, after, "feature schema"))
    for key in ids:
        schema = org.feature_schemas[key]
        if needle in schema.node.name.casefold():
            found.append(schema)
            if len(found) == size:
                break
    more = len(found) == size and any(needle in org.feature_schemas[key].node.name.casefold() for key in ids)
    return found, found[-1].id if more else None


def unused_feature_schemas(org: Organization, after: Any) -> list[str]:
    """GET /feature-schemas/unused: up to 100 ids of root feature schemas no ontology places, after id `after`."""
    order = _order(org)
    start = _cursor(order, after, "feature schema")
    users = schema_users(org)
    out = []
    for key in order.after(start):
        if not users.get(key):
            out.append(key)
            if len(out) == UNUSED_PAGE:
                break
    return out


def unused_ontologies(org: Organization, after: Any) -> list[str]:
    """GET /ontologies/unused: up to 100 ids of ontologies no project or model uses, after id `after`."""
    org.ontology_order = order = synced(org.ontology_order, org.ontologies)
    start = _cursor(order, after, "ontology")
    used = used_ontology_ids(org)
    out = []
    for key in order.after(start):
        if key not in used:
            out.append(key)
            if len(out) == UNUSED_PAGE:
                break
    return out


def _cursor(order: CreationOrder, after: Any, what: str) -> str | None:
    if after is None:
        return None
    if not isinstance(after, str) or after not in order:
        raise InvalidInput(f"after must be the id of a {what} of the previous page, got {after!r}")
    return after


def _placed(ontology: Ontology, schema: FeatureSchema) -> list[Any]:
    return ontology.tools if isinstance(schema.node, Tool) else ontology.classifications


def insert_into_ontology(org: Organization, clock: MockClock, ontology_id: str, feature_schema_id: str,
                         body: Any) -> None:
    """POST /ontologies/{id}/feature-schemas/{id} with {"position": n}: places the root feature schema
    at that position among the ontology's tools (or classifications), moving it if already there."""
    ontology = org.ontology(ontology_id)
    schema = root(org, feature_schema_id)
    position = body.get("position") if isinstance(body, dict) else None
    features = _placed(ontology, schema)
    current = next((i for i, node in enumerate(features) if node.feature_schema_id == schema.id), None)
    length = len(features) - (current is not None)
    if isinstance(position, bool) or not isinstance(position, int) or not 0 <= position <= length:
        raise InvalidInput(f"position must be an integer from 0 to {length}, got {position!r}")
    chat = ontology.editor_task_type is not None
    if isinstance(schema.node, Tool) and (schema.node.tool in CHAT_TOOLS) != chat:
        raise InvalidInput(f"a {schema.node.tool} tool cannot be placed in "
                           f"{'a chat-evaluation' if chat else 'this'} ontology")
    clash = [n.name for n in ontology.features() if n.name == schema.node.name and n.feature_schema_id != schema.id]
    if clash:
        raise Conflict(f"ontology {ontology_id} already has a feature named {schema.node.name!r}")
    untrack(org, ontology)
    node = features.pop(current) if current is not None else copy.deepcopy(schema.node)
    features.insert(position, node)
    ontology.updated_at = clock.now()
    track(org, ontology)


def _labelled_ids(org: Organization, ontology_id: str) -> set[str]:
    """The feature schema ids the labels of projects using the ontology name, at any depth."""
    found: set[str] = set()

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            schema_id = value.get("schemaId")
            if isinstance(schema_id, str):
                found.add(schema_id)
            for nested in value.values():
                if isinstance(nested, (dict, list)):
                    visit(nested)
        elif isinstance(value, list):
            for nested in value:
                visit(nested)

    for project in org.projects.values():
        if project.ontology_id == ontology_id:
            for label_id in project.label_ids:
                label = org.labels.get(label_id)
                if label is not None:
                    visit(label.annotations)
    return found


def _find(nodes: list[Any], feature_schema_id: str) -> tuple[list[Any], int] | None:
    """The list holding the node with that id and its index, searching the tree under `nodes`."""
    for index, node in enumerate(nodes):
        if node.feature_schema_id == feature_schema_id:
            return nodes, index
        children = node.classifications if isinstance(node, Tool) else node.options  # an option's: classifications
        found = _find(children, feature_schema_id) if children else None
        if found is not None:
            return found
    return None


def remove_from_ontology(org: Organization, clock: MockClock, ontology_id: str,
                         feature_schema_id: str) -> dict[str, bool]:
    """DELETE /ontologies/{id}/feature-schemas/{id}: removes the node, unless labels use it: a root node
    is then archived, a nested one kept. Answers {archived, deleted}."""
    ontology = org.ontology(ontology_id)
    top = next((n for n in ontology.features() if n.feature_schema_id == feature_schema_id), None)
    found = _find(list(ontology.features()), feature_schema_id) if top is None else None
    if top is None and found is None:
        raise NotFound("FeatureSchema", feature_schema_id)
    labelled = feature_schema_id in _labelled_ids(org, ontology_id)
    if labelled and top is not None:
        top.archived = True
        ontology.updated_at = clock.now()
        return {"archived": True, "deleted": False}
    if labelled:
        return {"archived": False, "deleted": False}
    untrack(org, ontology)
    if top is not None:
        features: list[Any] = ontology.tools if isinstance(top, Tool) else ontology.classifications
        features.remove(top)
    else:
        holder, index = found  # type: ignore[misc]
        del holder[index]
    ontology.updated_at = clock.now()
    track(org, ontology)
    return {"archived": False, "deleted": True}


def unarchive(org: Organization, clock: MockClock, ontology_id: str, feature_schema_id: str) -> None:
    """PATCH /ontologies/{id}/feature-schemas/{id}/unarchive: a root node is in use again."""
    ontology = org.ontologies.get(ontology_id)
    if ontology is None:
        error = NotFound("Ontology", ontology_id)
        error.args = (f"Failed to find ontology by id: {ontology_id}",)
        raise error
    top = next((n for n in ontology.features() if n.feature_schema_id == feature_schema_id), None)
    if top is None:
        error = NotFound("FeatureSchema", feature_schema_id)
        error.args = (f"Failed to find feature schema node by id: {feature_schema_id}",)
        raise error
    if top.archived:
        top.archived = False
        ontology.updated_at = clock.now()
