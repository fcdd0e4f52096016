"""The REST paths under /api/v1 the SDK calls: deleting an unused ontology or feature schema.

Errors answer JSON with a `message`, which is what the SDK reads from a failed REST call.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import unquote

from ..backend import Backend
from ..clock import tenant_scope
from ..state import ontologies
from ..state.errors import Conflict, NotFound, StateError
from ..state.organization import Organization
from .messages import HttpRequest, HttpResponse

REST_PREFIX = "/api/v1"

_ROUTES: list[tuple[str, re.Pattern[str], Callable[[Organization, str], None]]] = [
    ("DELETE", re.compile(r"/ontologies/([^/]+)"), ontologies.delete_unused_ontology),
    ("DELETE", re.compile(r"/feature-schemas/([^/]+)"), ontologies.delete_unused_feature_schema),
]


def message(status: int, text: str) -> HttpResponse:
    return HttpResponse.json(status, {"message": text, "statusCode": status})


def handle(backend: Backend, request: HttpRequest, api_key: str | None) -> HttpResponse:
    rest = request.path[request.path.index(REST_PREFIX) + len(REST_PREFIX):]
    for method, pattern, operation in _ROUTES:
        found = pattern.fullmatch(rest)
        if found is None:
            continue
        if request.method != method:
            return message(405, f"{rest} takes {method}, not {request.method}")
        org = backend.store.org_for_key(api_key) if api_key else None
        if org is None:
            return message(401, "Authentication failed: " + ("no API key was sent" if not api_key
                                                               else "the API key is not valid"))
        # the organisation's own lock, as for /graphql: other tenants never wait on it
        with backend.store.org_lock(org.id), tenant_scope(org.id):
            org = backend.store.org_by_id(org.id) or org
            try:
                operation(org, unquote(found.group(1)))
            except NotFound as error:
                return message(404, str(error))
            except Conflict as error:
                return message(409, str(error))
            except StateError as error:
                return message(400, str(error))
        return HttpResponse(204)
    return message(404, f"no route for {request.method} {request.path}")
