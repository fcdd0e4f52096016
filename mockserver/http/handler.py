"""One function from an HTTP request to a response; both transports call it.

Routes:
- POST .../graphql and .../_gql: the GraphQL API (JSON, or a GraphQL multipart upload)
- GET /_files/<token>: files behind signed URLs, no API key needed
- /_mock/...: the admin API (see admin.py)
- .../api/v1/...: the REST paths the SDK calls (see rest.py)
"""

from __future__ import annotations

import json
import logging
import math
import time
from typing import Any

from ..api import errors
from ..api.context import RequestContext
from ..backend import Backend
from ..clock import tenant_scope
from ..control.faults import Fault
from ..control.journal import MAX_ENTRY_BYTES
from ..control.recorder import worth_recording
from ..engines.files import FILES_PREFIX, INERT_FILE_HEADERS, safe_content_type
from ..state.organization import Organization
from . import admin, rest, ui
from .jsonbody import JsonBodyError, JsonTooLarge, load_json
from .messages import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

GRAPHQL_PATHS = ("/graphql", "/_gql")


class Handler:
    def __init__(self, backend: Backend) -> None:
        self.backend = backend

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with self.backend.store.ids.capture() as issued:  # the ids a recording keeps with the call
            response = self._route(request)
        # refused requests (401, 413, ...) are not recorded: a replay would refuse them again, and their
        # bodies are exactly what an unauthenticated caller would like the mock to keep
        if (self.backend.control.recording_anything and worth_recording(request.method, request.path)
                and response.status not in (401, 413) and response.status < 500):
            token = request.bearer_token()
            org = self.backend.store.org_for_key(token) if token else None
            if org is not None and self.backend.control.recording(org.id):
                self.backend.control.record_call(request.method, request.path, request.header("content-type"),
                                                 request.body, org.id, tuple(issued))
        return response

    def _route(self, request: HttpRequest) -> HttpResponse:
        path = request.path
        if len(request.body) > self.backend.max_body_bytes:
            return _error(413, f"request body of {len(request.body)} bytes exceeds the limit of "
                               f"{self.backend.max_body_bytes} bytes", errors.MALFORMED_REQUEST)
        if ui.is_ui_path(path):
            return ui.serve(request)
        if path.startswith("/_mock/"):
            return admin.handle(self.backend, request, self)
        if path.startswith(FILES_PREFIX):
            return self._file(request)
        if path.endswith(GRAPHQL_PATHS):
            if request.method != "POST":
                return _error(405, "the GraphQL endpoint takes POST", errors.MALFORMED_REQUEST)
            return self._graphql(request)
        if rest.REST_PREFIX + "/" in path:
            return rest.handle(self.backend, request, request.bearer_token())
        return _error(404, f"no route for {request.method} {path}", errors.RESOURCE_NOT_FOUND)

    def _file(self, request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return HttpResponse.text(405, "files are read with GET")
        hosted = self.backend.files.by_token(request.path[len(FILES_PREFIX):])
        if hosted is None:
            return HttpResponse.text(403, "invalid or expired file token")
        headers = {"Content-Type": safe_content_type(hosted.content_type), **INERT_FILE_HEADERS}
        if request.method == "HEAD":  # a HEAD answer carries no body, and the length a GET's would have
            size = len(hosted.content) if isinstance(hosted.content, bytes) else hosted.content.size
            return HttpResponse(200, b"", {**headers, "Content-Length": str(size)})
        if isinstance(hosted.content, bytes):
            return HttpResponse(200, hosted.content, headers)
        # made while it is sent, so a large file is never held whole
        return HttpResponse(200, hosted.content.chunks(), {**headers, "Content-Length": str(hosted.content.size)})

    def _graphql(self, request: HttpRequest) -> HttpResponse:
        # authentication first, before any parsing: a caller without a key costs a digest, nothing more
        api_key = request.bearer_token()
        org = self.backend.store.org_for_key(api_key) if api_key else None
        if org is None:
            reason = "no API key was sent" if not api_key else "the API key is not valid"
            return _error(401, f"Authentication failed: {reason}", errors.AUTHENTICATION_ERROR)
        with tenant_scope(org.id):
            return self._graphql_for(request, org)

    def _graphql_for(self, request: HttpRequest, org: Organization) -> HttpResponse:
        started = (self.backend.clock.now(), time.perf_counter())  # the organisation's clock: in its scope
        parsed = _read_graphql_body(request)
        if isinstance(parsed, HttpResponse):
            self._record(request, None, None, parsed.status, None, org.id, started)
            return parsed
        query, variables, operation_name = parsed
        service = self.backend.graphql
        prepared = service.prepare(query)
        operation = service.operation_name(prepared, operation_name)

        fault = self.backend.faults.take(operation, org.id)
        if fault is not None and fault.delay is None:
            response = _fault_response(fault)
            self._record(request, operation, variables, response.status, query, org.id, started)
            return response

        # one organisation's lock: another tenant's heavy request never waits on this one
        with self.backend.store.org_lock(org.id):
            org = self.backend.store.org_by_id(org.id) or org  # the current one, should a reset have replaced it
            self.backend.tasks.tick(org)
            context = RequestContext(
                org=org,
                store=self.backend.store,
                tasks=self.backend.tasks,
                files=self.backend.files,
                exports=self.backend.exports,
                base_url=request.base_url,
            )
            body = service.execute(context, prepared, variables, operation_name)
            response = HttpResponse.json(200, body)
        if fault is not None and fault.delay is not None:
            response.delay = fault.delay
        self._record(request, operation, variables, response.status, query, org.id, started)
        return response

    def _record(self, request: HttpRequest, operation: str | None, variables: Any, status: int, query: str | None,
                tenant: str, started: tuple[float, float]) -> None:
        """Journals an authenticated request for its organisation; a refused one is never journaled.
        `started` is (mock clock, perf counter) at arrival; a fault's delay is not part of the duration."""
        if len(request.body) > _WALK_LIMIT and not request.header("content-type").startswith("multipart/"):
            # far past what an entry keeps: noted by size without walking (and copying) what it holds
            kept: Any = f"<variables of a {len(request.body)}-byte body>" if variables else variables
            query = query if query is None or len(query) <= MAX_ENTRY_BYTES else f"<query of {len(query)} characters>"
        else:
            kept = _journal_variables(variables)
        self.backend.journal.add(request.method, request.path, operation, kept, status, query, tenant, started[0],
                                 round((time.perf_counter() - started[1]) * 1000.0, 3))


# A JSON body this long cannot hold variables an entry keeps whole (MAX_ENTRY_BYTES as JSON, even
# with every character escaped), so the journal notes them by size instead.
_WALK_LIMIT = 8 * MAX_ENTRY_BYTES


def _journal_variables(variables: Any) -> Any:
    """Uploaded file contents are replaced by their size, so the journal stays small."""
    if isinstance(variables, dict):
        return {key: _journal_variables(value) for key, value in variables.items()}
    if isinstance(variables, list):
        return [_journal_variables(value) for value in variables]
    if isinstance(variables, (bytes, bytearray)):
        return f"<{len(variables)} bytes>"
    if hasattr(variables, "content") and hasattr(variables, "filename"):
        return f"<upload {variables.filename}: {len(variables.content)} bytes>"
    return variables


def _error(status: int, message: str, code: str) -> HttpResponse:
    return HttpResponse.json(status, {"errors": [errors.error_body(message, code)]})


def _read_graphql_body(request: HttpRequest) -> tuple[str, dict[str, Any] | None, str | None] | HttpResponse:
    content_type = request.header("content-type").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        # python-multipart loads with the first upload: most sessions send none
        from .multipart import MultipartError, parse_graphql_multipart

        try:
            payload: Any = parse_graphql_multipart(request.header("content-type"), request.body)
        except JsonTooLarge as exc:
            return _error(exc.status, f"invalid GraphQL multipart request: {exc}", errors.MALFORMED_REQUEST)
        except MultipartError as exc:
            return _error(400, f"invalid GraphQL multipart request: {exc}", errors.MALFORMED_REQUEST)
    elif content_type in ("application/json", "application/graphql+json", ""):
        try:
            payload = load_json(request.body)
        except JsonBodyError as exc:  # 413 for a body of too many values
            return _error(exc.status, str(exc), errors.MALFORMED_REQUEST)
    else:
        return _error(415, f"unsupported content type {content_type!r}; send application/json "
                           "or multipart/form-data", errors.MALFORMED_REQUEST)
    if not isinstance(payload, dict):
        return _error(400, "request body must be a JSON object with a query", errors.MALFORMED_REQUEST)
    query = payload.get("query")
    if not isinstance(query, str) or not query.strip():
        return _error(400, "request has no query string", errors.MALFORMED_REQUEST)
    variables = payload.get("variables")
    if variables is not None and not isinstance(variables, dict):
        return _error(400, "variables must be a JSON object", errors.MALFORMED_REQUEST)
    operation_name = payload.get("operationName")
    if operation_name is not None and not isinstance(operation_name, str):
        return _error(400, "operationName must be a string", errors.MALFORMED_REQUEST)
    return query, variables, operation_name


def _fault_response(fault: Fault) -> HttpResponse:
    if fault.status is not None:
        headers = {"Retry-After": _retry_after(fault.retry_after)} if fault.retry_after is not None else {}
        if fault.status == 429:
            return HttpResponse.json(429, {"message": "You have exceeded the rate limit (injected fault)"}, headers)
        return HttpResponse.json(fault.status, {"errors": [errors.error_body(
            f"injected fault: HTTP {fault.status}", errors.INTERNAL_SERVER_ERROR, status=fault.status)]}, headers)
    if fault.graphql_error is not None:
        status = 401 if fault.graphql_error == errors.AUTHENTICATION_ERROR else 200
        return HttpResponse.json(status, {"errors": [errors.error_body(
            f"injected fault: {fault.graphql_error}", fault.graphql_error)]})
    if fault.reset:
        return HttpResponse(0, b"", drop_connection=True)
    # truncate: a body cut short mid-JSON
    body = json.dumps({"data": None, "errors": [{"message": "injected truncation"}]}).encode()
    return HttpResponse(200, body[: len(body) // 2], {"Content-Type": "application/json"}, truncate=True)


def _retry_after(seconds: float) -> str:
    # HTTP's delay-seconds is a whole number; round up so a client never comes back early
    return str(math.ceil(seconds))
