"""One function from an HTTP request to a response; both transports call it.

Routes:
- POST .../graphql and .../_gql: the GraphQL API (JSON, or a GraphQL multipart upload)
- GET /_files/<token>: files behind signed URLs, no API key needed
- /_mock/...: the admin API (see admin.py)
- .../api/v1/...: the REST paths the SDK calls (see rest.py)
"""

from __future__ import annotations

import gc
import json
import logging
import math
import threading
import time
from typing import Any

from ..api import errors
from ..api.context import RequestContext
from ..api.service import PreparedDocument
from ..backend import Backend
from ..clock import tenant_scope
from ..control.faults import Fault
from ..control.journal import MAX_ENTRY_BYTES
from ..control.recorder import worth_recording
from ..engines.files import FILES_PREFIX, INERT_FILE_HEADERS, safe_content_type
from ..state.errors import QuotaExceeded
from ..state.organization import Organization
from . import admin, auth, rest, ui
from .jsonbody import JsonBodyError, JsonTooLarge, load_json
from .messages import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

GRAPHQL_PATHS = ("/graphql", "/_gql")
# admin routes that start, stop or replay a recording: never recorded themselves
_UNRECORDED_ADMIN_PATHS = frozenset({"/_mock/recording", "/_mock/replay"})
_JSON_TYPES = ("application/json", "application/graphql+json", "")

# Handler.inline, the standalone server's path for cheap requests on its event loop, where anything slow
# stalls every connection: a document whose latest answer cost at most this much CPU (ten times a
# trivial query's, and under the 5 ms a pool thread may hold the GIL before the loop gets it back)...
INLINE_MAX_NS = 2_000_000
# ...in a body this small (its variables bound what a query can ask for)...
INLINE_MAX_BODY_BYTES = 16 * 1024
# ...and an organisation whose request ran long on the loop anyway waits in the pool for this long.
INLINE_COOLDOWN_SECONDS = 10.0


class Handler:
    def __init__(self, backend: Backend, *, measures_cost: bool = True) -> None:
        self.backend = backend
        # whether answers are timed for `inline` (PreparedDocument.cost_ns): the standalone server's handler
        # is; an in-process mock's, which nothing calls `inline` on, need not pay two clock syscalls a call
        self.measures_cost = measures_cost
        self._inline_off_until: dict[str, float] = {}  # organisation id -> monotonic time (see inline)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.backend.control.recording_anything and (refused := self._unrecordable(request)) is not None:
            return refused
        with self.backend.store.ids.capture() as issued:  # the ids a recording keeps with the call
            response = self._route(request)
        self._record_call(request, response, issued)
        return response

    def inline(self, request: HttpRequest) -> HttpResponse | None:
        """The answer to `request` if it is known to be cheap and needs no waiting, else None, having
        done nothing: the standalone server calls this on its event loop, and the handler in its pool
        for anything else. Cheap means: a GraphQL query (never a mutation) in a small JSON body, whose
        document is cached and whose latest answer cost at most INLINE_MAX_NS of CPU, for an
        organisation whose lock is free this instant and that has no task in progress (a read could
        run a task's effect). One that costs more anyway sends its document to the pool next time, and
        keeps its organisation off this path for INLINE_COOLDOWN_SECONDS: a tenant that alternates cheap
        and costly variables stalls the loop at most once per cooldown."""
        if (request.method != "POST" or len(request.body) > INLINE_MAX_BODY_BYTES
                or _media_type(request) not in _JSON_TYPES or not request.path.endswith(GRAPHQL_PATHS)
                or self.backend.control.recording_anything):  # a recording's quota is checked in the pool
            return None
        org = auth.organization(self.backend, request)
        if org is None or self._inline_off_until.get(org.id, 0.0) > time.monotonic():
            return None
        parsed = _read_graphql_body(request)
        if isinstance(parsed, HttpResponse):
            return None
        prepared = self.backend.graphql.cached(parsed[0])
        if (prepared is None or not 0 <= prepared.cost_ns <= INLINE_MAX_NS
                or _operation_type(prepared, parsed[2]) != "query"):
            return None
        lock = self.backend.store.org_lock(org.id)
        if not lock.acquire(blocking=False):
            return None
        try:
            with tenant_scope(org.id):
                started = _arrival(self.backend)
                org = self.backend.store.org_by_id(org.id) or org
                if not self.backend.tasks.settled(org):
                    return None
                with self.backend.store.ids.capture() as issued:
                    response = self._answer_graphql(request, org, parsed, prepared, started)
        finally:
            lock.release()
        if prepared.cost_ns > INLINE_MAX_NS:
            logger.info("a query answered on the event loop cost %.1f ms: organisation %s is answered in the "
                        "pool for %g s", prepared.cost_ns / 1e6, org.id, INLINE_COOLDOWN_SECONDS)
            self._inline_off_until[org.id] = time.monotonic() + INLINE_COOLDOWN_SECONDS
        self._record_call(request, response, issued, org)
        return response

    def _record_call(self, request: HttpRequest, response: HttpResponse, issued: list[str],
                     org: Organization | None = None) -> None:
        """Adds the call to a recording of its organisation's (`org`, when the caller knows it), if one runs."""
        # refused requests (401, 413, ...) are not recorded: a replay would refuse them again, and their
        # bodies are exactly what an unauthenticated caller would like the mock to keep
        control = self.backend.control
        if org is None:
            if not control.recording_anything:
                return
            org = auth.organization(self.backend, request)
        if (org is not None and control.recording(org.id) and worth_recording(request.method, request.path)
                and response.status not in (401, 413) and response.status < 500):
            control.record_call(request.method, request.path, request.header("content-type"), request.body, org.id,
                                tuple(issued))

    def _unrecordable(self, request: HttpRequest) -> HttpResponse | None:
        """409 naming the quota for a call a recording would keep and has no room for, before it runs: a
        call run but not recorded would make the recording replay into a different state. API calls are
        recorded as they came; steering calls (/_mock/ but the recording's own routes) as their command,
        about as large."""
        method, path = request.method, request.path
        steering = path.startswith("/_mock/") and method != "GET" and path not in _UNRECORDED_ADMIN_PATHS
        if not (steering or worth_recording(method, path)):
            return None
        token = request.bearer_token()
        org = self.backend.store.org_for_key(token) if token else None
        if org is None and not (steering and self.backend.is_admin(token)):
            return None  # refused by its key further on, and never recorded
        tenant = org.id if org is not None else None
        try:
            self.backend.control.refuse_unrecordable(tenant, method, path, request.header("content-type"),
                                                     request.body)
        except QuotaExceeded as error:
            return _error(409, str(error), errors.OPERATION_NOT_ALLOWED)
        return None

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
            return rest.handle(self.backend, request)
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
        org = auth.organization(self.backend, request)
        if org is None:
            return _error(401, auth.refusal(request), errors.AUTHENTICATION_ERROR)
        with tenant_scope(org.id):
            return self._graphql_for(request, org)

    def _graphql_for(self, request: HttpRequest, org: Organization) -> HttpResponse:
        started = _arrival(self.backend)
        parsed = _read_graphql_body(request)
        if isinstance(parsed, HttpResponse):
            self._record(request, None, None, parsed.status, None, org.id, started)
            return parsed
        # parsing and validating a new document is CPU the organisation spends (a 30 KiB one takes
        # 0.2 s): under its own lock, as executing is, so one organisation's documents are prepared one
        # at a time and its concurrent requests cannot hold more of the GIL than one thread's share (a
        # cached one is taken without it)
        prepared = self.backend.graphql.cached(parsed[0])
        if prepared is None:
            with self.backend.store.org_lock(org.id):
                prepared = self.backend.graphql.prepare(parsed[0])
        return self._answer_graphql(request, org, parsed, prepared, started)

    def _answer_graphql(self, request: HttpRequest, org: Organization, parsed: tuple[str, dict[str, Any] | None,
                        str | None], prepared: PreparedDocument, started: tuple[float, int]) -> HttpResponse:
        query, variables, operation_name = parsed
        service = self.backend.graphql
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
            # what the document costs is measured only when no task work can run inside it (a read that
            # completes a task runs its effect), as on the event loop, where that is a condition
            measured = self.measures_cost and self.backend.tasks.settled(org)
            cpu = _cpu_ns() if measured else 0
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
            if measured:
                prepared.cost_ns = _cpu_ns() - cpu
        if fault is not None and fault.delay is not None:
            response.delay = fault.delay
        self._record(request, operation, variables, response.status, query, org.id, started)
        return response

    def _record(self, request: HttpRequest, operation: str | None, variables: Any, status: int, query: str | None,
                tenant: str, started: tuple[float, int]) -> None:
        """Journals an authenticated request for its organisation; a refused one is never journaled.
        `started` is (mock clock, perf counter ns) at arrival; a fault's delay is not part of the duration."""
        if len(request.body) > _WALK_LIMIT and not request.header("content-type").startswith("multipart/"):
            # far past what an entry keeps: noted by size without walking (and copying) what it holds
            kept: Any = f"<variables of a {len(request.body)}-byte body>" if variables else variables
            query = query if query is None or len(query) <= MAX_ENTRY_BYTES else f"<query of {len(query)} characters>"
        else:
            kept = _journal_variables(variables)
        self.backend.journal.add(request.method, request.path, operation, kept, status, query, tenant, started[0],
                                 round((time.perf_counter_ns() - started[1]) / 1e6, 3))


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


class _CollectorTime(threading.local):
    """CPU time the cyclic garbage collector took on this thread: it runs in whichever request happened to
    allocate past a threshold, and collects everyone's garbage, so it is no document's own cost."""

    ns = 0
    began = 0


_COLLECTOR = _CollectorTime()


def _time_collector(phase: str, _info: dict[str, Any]) -> None:
    if phase == "start":
        _COLLECTOR.began = time.thread_time_ns()
    else:
        _COLLECTOR.ns += time.thread_time_ns() - _COLLECTOR.began


gc.callbacks.append(_time_collector)


def _cpu_ns() -> int:
    """This thread's CPU time (ns) but the collector's: waiting for the GIL is not a request's cost either."""
    return time.thread_time_ns() - _COLLECTOR.ns


def _arrival(backend: Backend) -> tuple[float, int]:
    """(mock clock, perf counter ns) as a request arrives: called in its organisation's scope, whose clock it is."""
    return backend.clock.now(), time.perf_counter_ns()


def _media_type(request: HttpRequest) -> str:
    return request.header("content-type").split(";")[0].strip().lower()


def _operation_type(prepared: PreparedDocument, requested: str | None) -> str | None:
    """"query" or "mutation" (or "subscription") of the operation a request runs; None if it names none."""
    if requested is not None:
        return prepared.operations.get(requested)
    return next(iter(prepared.operations.values())) if len(prepared.operations) == 1 else None


def _read_graphql_body(request: HttpRequest) -> tuple[str, dict[str, Any] | None, str | None] | HttpResponse:
    content_type = _media_type(request)
    if content_type == "multipart/form-data":
        # python-multipart loads with the first upload: most sessions send none
        from .multipart import MultipartError, parse_graphql_multipart

        try:
            payload: Any = parse_graphql_multipart(request.header("content-type"), request.body)
        except JsonTooLarge as exc:
            return _error(exc.status, f"invalid GraphQL multipart request: {exc}", errors.MALFORMED_REQUEST)
        except MultipartError as exc:
            return _error(400, f"invalid GraphQL multipart request: {exc}", errors.MALFORMED_REQUEST)
    elif content_type in _JSON_TYPES:
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
