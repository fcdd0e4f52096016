"""Root feature schemas: a top-level tool or classification defined once and placed into
ontologies by id. The Client methods of the Labelbox SDK (create_feature_schema,
upsert_feature_schema, ...) call the functions here, over GraphQL and the REST paths under
`rest_endpoint`, with the SDK's messages when Labelbox refuses.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from attrs import define, field

from . import documents as docs
from . import exceptions as exc
from .comparison import Field, queryable
from .entity import Entity
from .pagination import CursorCollection

if TYPE_CHECKING:
    import requests

    from .client import Client
    from .media_type import MediaType
    from .ontology import Ontology, OntologyKind


# The SDK declares `color` on the GraphQL `name` (and never sets it on an instance): the class attribute
# compares names, as there; an instance reads the tool's or classification's colour from `normalized`.
@queryable(uid="id", name="name", color="name", deleted="deleted")
class FeatureSchema(Entity):
    """A root feature schema; `uid` is its feature schema id, `normalized` the tool or classification."""

    client: Client = field(repr=False)
    uid: Field[str]
    name: Field[str]
    normalized: dict[str, Any] = field(repr=False)
    color: Field[str | None] = field(default=None)
    deleted: Field[bool] = field(default=False)  # a feature schema read from the API is not deleted

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> FeatureSchema:
        return cls(client=client, uid=data["normalized"]["featureSchemaId"], name=data["name"],
                   normalized=data["normalized"], color=data["normalized"].get("color"))


@define
class DeleteFeatureFromOntologyResult:
    """What removing a feature schema from an ontology did: archived (labels use it) or deleted."""

    archived: bool
    deleted: bool


def _path(*parts: str) -> str:
    return "/".join(urllib.parse.quote(part) for part in parts)


def _message(response: requests.Response) -> str:
    try:
        return str(response.json()["message"])
    except (ValueError, KeyError, TypeError):
        return f"HTTP {response.status_code}"


def create(client: Client, normalized: dict[str, Any]) -> FeatureSchema:
    # the SDK leaves out every falsy value (an empty classification list, required=False, ...)
    payload = {key: value for key, value in normalized.items() if value}
    answer = client.execute(docs.CREATE_FEATURE_SCHEMA, {"data": {"normalized": json.dumps(payload)}})
    return FeatureSchema.from_api(client, answer["upsertRootSchemaNode"])


def get(client: Client, feature_schema_id: str) -> FeatureSchema:
    answer = client.execute(docs.GET_FEATURE_SCHEMA, {"rootSchemaNodeWhere": {"featureSchemaId": feature_schema_id}},
                            raise_return_resource_not_found=True)
    return FeatureSchema.from_api(client, answer["rootSchemaNode"])


def search(client: Client, name_contains: str | None) -> CursorCollection[FeatureSchema]:
    def fetch(cursor: str | None) -> tuple[list[Any], str | None]:
        params = {"search": name_contains, "filter": {"status": "ALL"}, "from": cursor, "first": 100}
        page = client.execute(docs.GET_FEATURE_SCHEMAS, params)["rootSchemaNodes"]
        return page["nodes"], page["nextCursor"]

    return CursorCollection(fetch, lambda node: FeatureSchema.from_api(client, node))


def upsert(client: Client, normalized: dict[str, Any]) -> FeatureSchema:
    feature_schema_id = normalized.get("featureSchemaId") or "new_feature_schema_id"
    response = client.rest("PUT", _path("feature-schemas", feature_schema_id),
                           {"normalized": json.dumps(normalized)}, idempotent=bool(normalized.get("featureSchemaId")))
    if response.status_code != 200:
        raise exc.LabelboxError(f"Failed to upsert the feature schema, message: {_message(response)}")
    return get(client, response.json()["schemaId"])


def update_title(client: Client, feature_schema_id: str, title: str) -> FeatureSchema:
    response = client.rest("PATCH", _path("feature-schemas", feature_schema_id, "definition"), {"title": title})
    if response.status_code != 200:
        raise exc.LabelboxError(f"Failed to update the feature schema, message: {_message(response)}")
    return get(client, feature_schema_id)


def insert_into_ontology(client: Client, feature_schema_id: str, ontology_id: str, position: int) -> None:
    response = client.rest("POST", _path("ontologies", ontology_id, "feature-schemas", feature_schema_id),
                           {"position": position})
    if response.status_code != 201:
        raise exc.LabelboxError("Failed to insert the feature schema into the ontology, message: "
                                f"{_message(response)}")


def delete_from_ontology(client: Client, ontology_id: str, feature_schema_id: str) -> DeleteFeatureFromOntologyResult:
    response = client.rest("DELETE", _path("ontologies", ontology_id, "feature-schemas", feature_schema_id))
    if response.status_code != 200:
        raise exc.LabelboxError(f"Failed to remove feature schema from ontology, message: {_message(response)}")
    answer = response.json()
    return DeleteFeatureFromOntologyResult(archived=bool(answer["archived"]), deleted=bool(answer["deleted"]))


def unarchive(client: Client, ontology_id: str, feature_schema_id: str) -> None:
    response = client.rest("PATCH", _path("ontologies", ontology_id, "feature-schemas", feature_schema_id,
                                          "unarchive"))
    if response.status_code != 200:
        raise exc.LabelboxError(f"Failed unarchive the feature schema node, message: {response.text}")
    if not response.json().get("unarchived"):
        raise exc.LabelboxError("Failed unarchive the feature schema.")


def is_archived(client: Client, ontology_id: str, feature_schema_id: str) -> bool:
    response = client.rest("GET", _path("ontologies", ontology_id))
    if response.status_code == 404:
        raise exc.ResourceNotFoundError(f"Resource 'Ontology' not found for params: '{ontology_id}'")
    if response.status_code != 200:
        raise exc.LabelboxError("Failed to get the feature schema archived status. "
                                f"The server answered {response.status_code}: {response.text}")
    nodes = response.json()["featureSchemaNodes"]
    for node in [*nodes["tools"], *nodes["classifications"], *nodes["relationships"]]:
        if node["featureSchemaId"] == feature_schema_id:
            return bool(node["archived"])
    raise exc.LabelboxError("The specified feature schema was not in the ontology.")


def unused(client: Client, collection: str, after: str | None) -> list[str]:
    response = client.rest("GET", f"{collection}/unused", {"after": after})
    if response.status_code != 200:
        what = "ontologies" if collection == "ontologies" else "feature schemas"
        raise exc.LabelboxError(f"Failed to get unused {what}, message: {_message(response)}")
    return list(response.json())


def create_ontology(client: Client, name: str, feature_schema_ids: Iterable[str], media_type: MediaType | None,
                    ontology_kind: OntologyKind | None) -> Ontology:
    """An ontology of existing root feature schemas, each placed as it is defined."""
    from .ontology import CLASSIFICATION_TYPES, TOOL_TYPES

    tools, classifications = [], []
    for feature_schema_id in feature_schema_ids:
        normalized = get(client, feature_schema_id).normalized
        if "tool" in normalized:
            if normalized["tool"] not in TOOL_TYPES:
                raise ValueError(f"Tool `{normalized['tool']}` not in list of supported tools.")
            tools.append(normalized)
        elif "type" in normalized:
            if normalized["type"] not in CLASSIFICATION_TYPES:
                raise ValueError(f"Classification `{normalized['type']}` not in list of supported classifications.")
            classifications.append(normalized)
        else:
            raise ValueError("Neither `tool` or `classification` found in the normalized feature schema")
    return client.create_ontology(name, {"tools": tools, "classifications": classifications}, media_type=media_type,
                                  ontology_kind=ontology_kind)
