"""The REST paths under /api/v1 the SDK calls: feature schemas (upsert, title, delete, the unused
list) and ontologies (their archive view, placing, removing and unarchiving feature schemas,
deletion, the unused list).

Errors answer JSON with a `message`, which is what the SDK reads from a failed REST call.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote

from attrs import frozen

from ..backend import Backend
from ..clock import MockClock, tenant_scope
from ..ids import IdFactory
from ..state import feature_schemas, ontologies
from ..state.errors import Conflict, NotFound, QuotaExceeded, StateError
from ..state.organization import Organization
from ..state.records import Tool
from . import auth
from .jsonbody import JsonBodyError, load_json
from .messages import HttpRequest, HttpResponse

REST_PREFIX = "/api/v1"


@frozen
class Call:
    """What a REST operation gets: the caller's organisation, the path's ids and the JSON body."""

    org: Organization
    ids: IdFactory
    clock: MockClock
    params: tuple[str, ...]
    body: Any


Operation = Callable[[Call], HttpResponse]


def _json(status: int, payload: Any) -> HttpResponse:
    return HttpResponse.json(status, payload)


def _archive_view(call: Call) -> HttpResponse:
    """An ontology with its root nodes and whether each is archived, as is_feature_schema_archived reads it."""
    ontology = call.org.ontology(call.params[0])

    def entry(node: Any) -> dict[str, Any]:
        return {"featureSchemaId": node.feature_schema_id, "schemaNodeId": node.schema_node_id, "name": node.name,
                "archived": node.archived}

    tools = [t for t in ontology.tools if t.tool != ontologies.RELATIONSHIP]
    relationships = [t for t in ontology.tools if t.tool == ontologies.RELATIONSHIP]
    return _json(200, {"id": ontology.id, "name": ontology.name, "featureSchemaNodes": {
        "tools": [entry(t) for t in tools], "classifications": [entry(c) for c in ontology.classifications],
        "relationships": [entry(t) for t in relationships]}})


def _upsert(call: Call) -> HttpResponse:
    schema = feature_schemas.upsert(call.org, call.ids, call.clock, call.params[0], call.body)
    return _json(200, {"schemaId": schema.id, "schemaNodeId": schema.node.schema_node_id,
                       "kind": "tool" if isinstance(schema.node, Tool) else "classification"})


def _title(call: Call) -> HttpResponse:
    feature_schemas.update_title(call.org, call.clock, call.params[0], call.body)
    return _json(200, {"updated": True})


def _after(call: Call) -> Any:
    return call.body.get("after") if isinstance(call.body, dict) else None


def _unarchive(call: Call) -> HttpResponse:
    feature_schemas.unarchive(call.org, call.clock, call.params[0], call.params[1])
    return _json(200, {"unarchived": True})


def _insert(call: Call) -> HttpResponse:
    feature_schemas.insert_into_ontology(call.org, call.clock, call.params[0], call.params[1], call.body)
    return _json(201, {"inserted": True})


def _remove(call: Call) -> HttpResponse:
    return _json(200, feature_schemas.remove_from_ontology(call.org, call.clock, call.params[0], call.params[1]))


def _delete_ontology(call: Call) -> HttpResponse:
    ontologies.delete_unused_ontology(call.org, call.params[0])
    return HttpResponse(204)


def _delete_feature_schema(call: Call) -> HttpResponse:
    feature_schemas.delete_unused(call.org, call.params[0], call.clock)
    return HttpResponse(204)


_ROUTES: list[tuple[str, re.Pattern[str], Operation]] = [
    ("GET", re.compile(r"/ontologies/unused"),
     lambda c: _json(200, feature_schemas.unused_ontologies(c.org, _after(c)))),
    ("GET", re.compile(r"/feature-schemas/unused"),
     lambda c: _json(200, feature_schemas.unused_feature_schemas(c.org, _after(c)))),
    ("PATCH", re.compile(r"/ontologies/([^/]+)/feature-schemas/([^/]+)/unarchive"), _unarchive),
    ("POST", re.compile(r"/ontologies/([^/]+)/feature-schemas/([^/]+)"), _insert),
    ("DELETE", re.compile(r"/ontologies/([^/]+)/feature-schemas/([^/]+)"), _remove),
    ("GET", re.compile(r"/ontologies/([^/]+)"), _archive_view),
    ("DELETE", re.compile(r"/ontologies/([^/]+)"), _delete_ontology),
    ("PATCH", re.compile(r"/feature-schemas/([^/]+)/definition"), _title),
    ("PUT", re.compile(r"/feature-schemas/([^/]+)"), _upsert),
    ("DELETE", re.compile(r"/feature-schemas/([^/]+)"), _delete_feature_schema),
]


def message(status: int, text: str) -> HttpResponse:
    return HttpResponse.json(status, {"message": text, "statusCode": status})


def _match(method: str, rest: str) -> tuple[Operation, tuple[str, ...]] | HttpResponse:
    """The operation for the path and method, or the answer saying which methods the path takes."""
    methods = []
    for route_method, pattern, operation in _ROUTES:
        found = pattern.fullmatch(rest)
        if found is None:
            continue
        if route_method == method:
            return operation, tuple(unquote(group) for group in found.groups())
        methods.append(route_method)
    if methods:
        return message(405, f"{rest} takes {' or '.join(methods)}, not {method}")
    return message(404, f"no route for {method} {REST_PREFIX}{rest}")


def handle(backend: Backend, request: HttpRequest) -> HttpResponse:
    rest = request.path[request.path.index(REST_PREFIX) + len(REST_PREFIX):]
    matched = _match(request.method, rest)
    if isinstance(matched, HttpResponse):
        return matched
    operation, params = matched
    org = auth.organization(backend, request)
    if org is None:
        return message(401, auth.refusal(request))
    try:
        body = load_json(request.body) if request.body else None
    except JsonBodyError as error:
        return message(400, str(error))
    # the organisation's own lock, as for /graphql: other tenants never wait on it
    with backend.store.org_lock(org.id), tenant_scope(org.id):
        org = backend.store.org_by_id(org.id) or org
        try:
            return operation(Call(org, backend.store.ids, backend.clock, params, body))
        except NotFound as error:
            return message(404, str(error))
        except Conflict as error:
            return message(409, str(error))
        except QuotaExceeded as error:
            return message(403, str(error))
        except StateError as error:
            return message(400, str(error))
