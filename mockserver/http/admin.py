"""The admin API under /_mock/: how tests steer a standalone mock over HTTP.

Every call carries `Authorization: Bearer <key>` and acts on that key's organisation
only (a missing or unknown key gets 401, as on /graphql), so CI workers sharing one
mock cannot see or change each other's state. The admin token given at start
(`--admin-token`) acts on the whole mock instead: reset all, dump all, every
journal entry, server-wide faults, transitions, clock and files, a recording of
every organisation. Export chunking is server-wide by nature and needs the token.

Per organisation (its API key), or the whole mock (the admin token):
POST   /_mock/seed          a seed document; answers the ids created
POST   /_mock/reset         empty state, transitions, faults, files, journal and clock offset
GET    /_mock/state         dump state (never API keys)
POST   /_mock/transitions   {"kind", "progression", "times", "duration", "outcome", "error"}
DELETE /_mock/transitions   back to the default (immediate, COMPLETE)
POST   /_mock/faults        {"operation", "times", and one of status/graphql_error/delay/reset/truncate}
GET    /_mock/faults        the faults still pending, each with its id
DELETE /_mock/faults        clear them
DELETE /_mock/faults/<id>   clear that one (404 if the caller cannot see it)
GET    /_mock/requests      the request journal; ?after=<seq>&limit=<n> pages it (see _requests)
POST   /_mock/clock         {"advance": seconds}: move the mock's clock forward
POST   /_mock/files         {"url", "content" | "content_base64"}: serve it to imports that name `url`
POST   /_mock/recording     start recording the caller's calls (the admin: every call; {"id_seed": n}
                            restarts the id sequence, admin only); answers the id seed
GET    /_mock/recording     the recording so far
DELETE /_mock/recording     stop recording
POST   /_mock/replay        a recording: empty the organisation (the admin: the mock) and rebuild the
                            recorded state; ids live elsewhere are replaced, and the answer counts them
The whole mock only (the admin token):
POST   /_mock/export-chunking  {"chunk_bytes", "align_to_lines"}: how export streams are cut into files
GET    /_mock/tasks, /_mock/imports, /_mock/transitions, /_mock/clock: read-only views (views.py)
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

import attrs

from ..backend import Backend
from ..clock import tenant_scope
from ..control.faults import Fault
from ..engines.export import Chunking
from ..engines.tasks import Transition
from ..state.seed import SeedError
from . import views
from .jsonbody import JsonBodyError, load_json
from .messages import HttpRequest, HttpResponse
from .replay import Send, replay

# A journal page holds at most this many entries (the journal's default size: one page for a full journal).
MAX_JOURNAL_PAGE = 10_000


class AdminError(ValueError):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@attrs.frozen
class Caller:
    """Who is calling: one organisation (by id), or the admin (tenant None: the whole mock)."""

    tenant: str | None
    api_key: str | None = attrs.field(default=None, repr=False)

    @property
    def is_admin(self) -> bool:
        return self.tenant is None


def handle(backend: Backend, request: HttpRequest, send: Send) -> HttpResponse:
    """Answers an admin request; `send` is the handler a replay sends the recorded calls through."""
    route = (request.method, request.path.rstrip("/"))
    item_route = (request.method, route[1].rpartition("/")[0] + "/")  # DELETE /_mock/faults/<id>
    if route == REPLAY_ROUTE:
        action: Action = functools.partial(_replay, send=send)
    elif route in ROUTES:
        action = ROUTES[route]
    elif item_route in ITEM_ROUTES:
        action = ITEM_ROUTES[item_route]
    else:
        known = sorted({path for _, path in (*ROUTES, REPLAY_ROUTE)} | {path + "<id>" for _, path in ITEM_ROUTES})
        return HttpResponse.json(404, {"error": f"no admin route {request.method} {request.path}", "routes": known})
    # who is calling, before the body is read at all
    token = request.bearer_token()
    if backend.is_admin(token):
        caller = Caller(None)
    else:
        org = backend.store.org_for_key(token) if token else None
        if org is None:
            reason = "no API key was sent" if not token else "the API key is not valid for this mock"
            return HttpResponse.json(401, {"error": f"Authentication failed: {reason}"})
        if route in ADMIN_ONLY:
            return HttpResponse.json(403, {"error": f"{request.method} {route[1]} acts on the whole mock and "
                                                    "needs the admin token (labelbox-mock serve --admin-token)"})
        caller = Caller(org.id, token)
    try:
        with tenant_scope(caller.tenant):
            status, payload = action(backend, request, caller)
    except AdminError as exc:
        return HttpResponse.json(exc.status, {"error": str(exc)})
    except SeedError as exc:
        return HttpResponse.json(400, {"error": str(exc), "problems": [list(p) for p in exc.problems]})
    except ValueError as exc:
        return HttpResponse.json(400, {"error": str(exc)})
    return HttpResponse.json(status, payload)


def _json_body(request: HttpRequest) -> Any:
    try:
        return load_json(request.body, "body") if request.body else {}
    except JsonBodyError as exc:  # 413 for a body of too many values
        raise AdminError(exc.status, str(exc)) from None


def _seed(backend: Backend, request: HttpRequest, caller: Caller) -> tuple[int, Any]:
    # the admin seeds the first key's organisation, as in-process code does
    return 200, backend.seed(_json_body(request), api_key=caller.api_key)


def _reset(backend: Backend, _request: HttpRequest, caller: Caller) -> tuple[int, Any]:
    backend.reset(caller.tenant)
    return 200, {"reset": True}


def _state(backend: Backend, _request: HttpRequest, caller: Caller) -> tuple[int, Any]:
    return 200, backend.dump(caller.tenant)


def _set_transition(backend: Backend, request: HttpRequest, caller: Caller) -> tuple[int, Any]:
    body = _json_body(request)
    if not isinstance(body, dict):
        raise AdminError(400, "a transition is a JSON object")
    kind, transition = Transition.from_json(body)
    backend.set_transition(kind, transition, caller.tenant)
    return 200, {"kind": kind, **attrs.asdict(transition)}


def _clear_transitions(backend: Backend, _request: HttpRequest, caller: Caller) -> tuple[int, Any]:
    backend.clear_transitions(caller.tenant)
    return 200, {"cleared": True}


def _add_fault(backend: Backend, request: HttpRequest, caller: Caller) -> tuple[int, Any]:
    fault = Fault.from_json(_json_body(request))
    fault_id = backend.add_fault(fault, caller.tenant)
    return 200, {"id": fault_id, **attrs.asdict(fault)}


def _list_faults(backend: Backend, _request: HttpRequest, caller: Caller) -> tuple[int, Any]:
    return 200, [{"id": armed.id, **attrs.asdict(armed.fault), "server_wide": armed.owner is None}
                 for armed in backend.faults.armed(caller.tenant)]


def _remove_fault(backend: Backend, request: HttpRequest, caller: Caller) -> tuple[int, Any]:
    fault_id = unquote(request.path.rstrip("/").rpartition("/")[2])
    try:
        backend.remove_fault(fault_id, caller.tenant)
    except KeyError:  # another organisation's fault is not named: it answers as one that never was
        raise AdminError(404, f"no pending fault {fault_id!r}") from None
    except PermissionError:
        raise AdminError(403, f"fault {fault_id!r} is server-wide (set without an API key): "
                              "clearing it needs the admin token") from None
    return 200, {"removed": fault_id}


def _clear_faults(backend: Backend, _request: HttpRequest, caller: Caller) -> tuple[int, Any]:
    backend.clear_faults(caller.tenant)
    return 200, {"cleared": True}


def _count(query: dict[str, list[str]], name: str, default: int, low: int, high: int) -> int:
    values = query.get(name, [])
    if not values:
        return default
    if len(values) > 1 or not (values[0].isascii() and values[0].isdigit()) or not low <= int(values[0]) <= high:
        raise AdminError(400, f"{name} must be one integer between {low} and {high}, got {', '.join(values)!r}")
    return int(values[0])


def _requests(backend: Backend, request: HttpRequest, caller: Caller) -> tuple[int, Any]:
    """Without a query, the whole journal as a list (oldest first). With `after` (a seq; 0 for the start)
    and/or `limit`, one page: {"entries", "last_seq" (the next `after`), "more", "reset" (the caller's
    entries were cleared since its cursor, so this page starts over from the oldest)}."""
    query = parse_qs(urlsplit(request.url).query, keep_blank_values=True)
    if not query:
        return 200, [entry.to_json() for entry in backend.journal.entries(caller.tenant)]
    unknown = sorted(set(query) - {"after", "limit"})
    if unknown:
        raise AdminError(400, f"unknown query parameters {', '.join(unknown)}: GET /_mock/requests takes after and limit")
    page = backend.journal.page(caller.tenant, _count(query, "after", 0, 0, 2**63),
                                _count(query, "limit", MAX_JOURNAL_PAGE, 1, MAX_JOURNAL_PAGE))
    return 200, {"entries": [entry.to_json() for entry in page.entries], "last_seq": page.last_seq,
                 "more": page.more, "reset": page.reset}


def _clock(backend: Backend, request: HttpRequest, caller: Caller) -> tuple[int, Any]:
    body = _json_body(request)
    seconds = body.get("advance") if isinstance(body, dict) else None
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or seconds < 0:
        raise AdminError(400, "expected {\"advance\": <non-negative seconds>}")
    backend.advance_clock(float(seconds), caller.tenant)
    return 200, {"now": backend.clock.now()}


def _host_file(backend: Backend, request: HttpRequest, caller: Caller) -> tuple[int, Any]:
    body = _json_body(request)
    if not isinstance(body, dict) or not isinstance(body.get("url"), str):
        raise AdminError(400, "expected {\"url\": <string>, \"content\": <string>} (or \"content_base64\")")
    if isinstance(body.get("content"), str):
        content = body["content"].encode("utf-8")
    elif isinstance(body.get("content_base64"), str):
        try:
            content = base64.b64decode(body["content_base64"], validate=True)
        except ValueError:
            raise AdminError(400, "content_base64 is not valid base64") from None
    else:
        raise AdminError(400, "expected \"content\" (text) or \"content_base64\"")
    backend.host_file(body["url"], content, str(body.get("content_type", "application/octet-stream")), caller.tenant)
    return 200, {"url": body["url"]}


def _start_recording(backend: Backend, request: HttpRequest, caller: Caller) -> tuple[int, Any]:
    body = _json_body(request)
    seed = body.get("id_seed") if isinstance(body, dict) else None
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise AdminError(400, "id_seed must be an integer")
    if caller.tenant is None:  # the admin: every call
        return 200, {"recording": True, "id_seed": backend.start_recording(seed)}
    if seed is not None:
        raise AdminError(400, "id_seed restarts the id sequence of the whole mock, so it needs the admin token; "
                              "an organisation's recording keeps the ids its calls were issued instead")
    backend.start_tenant_recording(caller.tenant)
    return 200, {"recording": True, "id_seed": None}


def _get_recording(backend: Backend, _request: HttpRequest, caller: Caller) -> tuple[int, Any]:
    return 200, backend.recording(caller.tenant)


def _stop_recording(backend: Backend, _request: HttpRequest, caller: Caller) -> tuple[int, Any]:
    backend.stop_recording(caller.tenant)
    return 200, {"recording": False}


def _replay(backend: Backend, request: HttpRequest, caller: Caller, send: Send) -> tuple[int, Any]:
    return 200, replay(backend, _json_body(request), send, caller.tenant, caller.api_key)


def _export_chunking(backend: Backend, request: HttpRequest, _caller: Caller) -> tuple[int, Any]:
    body = _json_body(request)
    size = body.get("chunk_bytes") if isinstance(body, dict) else None
    align = body.get("align_to_lines", True) if isinstance(body, dict) else None
    if not isinstance(size, int) or isinstance(size, bool) or size < 1 or not isinstance(align, bool):
        raise AdminError(400, "expected {\"chunk_bytes\": <positive integer>, \"align_to_lines\": <boolean>}")
    backend.exports.set_chunking(Chunking(size, align))
    return 200, attrs.asdict(backend.exports.chunking)


Action = Callable[[Backend, HttpRequest, Caller], tuple[int, Any]]

REPLAY_ROUTE = ("POST", "/_mock/replay")  # needs the handler, so bound per request in handle()
ROUTES: dict[tuple[str, str], Action] = {
    ("POST", "/_mock/seed"): _seed,
    ("POST", "/_mock/reset"): _reset,
    ("GET", "/_mock/state"): _state,
    ("POST", "/_mock/transitions"): _set_transition,
    ("DELETE", "/_mock/transitions"): _clear_transitions,
    ("POST", "/_mock/faults"): _add_fault,
    ("GET", "/_mock/faults"): _list_faults,
    ("DELETE", "/_mock/faults"): _clear_faults,
    ("GET", "/_mock/requests"): _requests,
    ("POST", "/_mock/clock"): _clock,
    ("POST", "/_mock/files"): _host_file,
    ("POST", "/_mock/recording"): _start_recording,
    ("GET", "/_mock/recording"): _get_recording,
    ("DELETE", "/_mock/recording"): _stop_recording,
    ("POST", "/_mock/export-chunking"): _export_chunking,
}
# routes that end in an id: (method, path up to the id)
ITEM_ROUTES: dict[tuple[str, str], Action] = {
    ("DELETE", "/_mock/faults/"): _remove_fault,
}
# server-wide by nature (one chunking of export streams): the admin token only
ADMIN_ONLY = frozenset({("POST", "/_mock/export-chunking")})


def _view(view: views.View) -> Action:
    """A read-only view (views.py) as an admin action: the caller's organisation, or all for the admin."""
    def action(backend: Backend, _request: HttpRequest, caller: Caller) -> tuple[int, Any]:
        return 200, view(backend, caller.tenant)

    return action


ROUTES.update({route: _view(view) for route, view in views.VIEWS.items()})
