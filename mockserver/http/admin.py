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
GET    /_mock/tasks, /_mock/imports, /_mock/datasets, /_mock/organization, /_mock/models, /_mock/projects,
       /_mock/ontologies, /_mock/transitions, /_mock/clock: read-only views (views.py), each a page
The whole mock only (the admin token):
POST   /_mock/export-chunking  {"chunk_bytes", "align_to_lines"}: how export streams are cut into files

The routes, their bodies and what they do are control/commands.py's table; this module
authenticates the caller, reads the body and turns a command's answer or refusal into HTTP.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlsplit

import attrs

from ..backend import Backend
from ..clock import tenant_scope
from ..control.commands import Caller, CommandError, Inputs, find, known_paths
from ..state.errors import QuotaExceeded
from ..state.seed import SeedError
from . import auth, views
from .jsonbody import JsonBodyError, load_json
from .messages import HttpRequest, HttpResponse
from .replay import Send, replay


@attrs.frozen
class Steering:
    """What the commands act on (control/commands.py's Target): a Backend, and the handler a replay
    sends its calls through."""

    backend: Backend
    send: Send

    def replay(self, doc: Any, caller: Caller) -> dict[str, int]:
        return replay(self.backend, doc, self.send, caller.tenant)

    def view(self, name: str, tenant: str | None) -> Any:
        return views.VIEWS[name](self.backend, tenant)


def handle(backend: Backend, request: HttpRequest, send: Send) -> HttpResponse:
    """Answers an admin request; `send` is the handler a replay sends the recorded calls through."""
    found = find(request.method, request.path)
    if found is None:
        return HttpResponse.json(404, {"error": f"no admin route {request.method} {request.path}",
                                       "routes": known_paths()})
    command, item = found
    # who is calling, before the body is read at all
    if auth.is_admin(backend, request):
        caller = Caller(None)
    else:
        org = auth.organization(backend, request)
        if org is None:
            return HttpResponse.json(401, {"error": auth.refusal(request)})
        if command.admin_only:
            return HttpResponse.json(403, {"error": f"{request.method} {command.full_path} acts on the whole mock "
                                                    "and needs the admin token (labelbox-mock serve --admin-token)"})
        caller = Caller(org.id)
    try:
        inputs = Inputs(body=_json_body(request), query=parse_qs(urlsplit(request.url).query, keep_blank_values=True),
                        item=item)
        with tenant_scope(caller.tenant):
            payload = command.apply(Steering(backend, send), caller, command.parse(inputs))
    except CommandError as exc:
        return HttpResponse.json(exc.status, {"error": str(exc)})
    except QuotaExceeded as exc:  # what the organisation holds stays as it was
        return HttpResponse.json(409, {"error": str(exc)})
    except SeedError as exc:
        return HttpResponse.json(400, {"error": str(exc), "problems": [list(p) for p in exc.problems]})
    except ValueError as exc:
        return HttpResponse.json(400, {"error": str(exc)})
    return HttpResponse.json(200, payload)


def _json_body(request: HttpRequest) -> Any:
    try:
        return load_json(request.body, "body") if request.body else {}
    except JsonBodyError as exc:  # 413 for a body of too many values
        raise CommandError(exc.status, str(exc)) from None
