"""Replaying a recording into a mock, or into one organisation of it.

Each call is sent through a handler with the ids it was issued when recorded
reissued (`IdFactory.reissuing`). Ids are global, so a recorded id may be live in
another organisation of a shared mock; then a fresh id stands in for it, and every
later call is sent with the recorded id replaced by the new one in its path and
body, so the replayed calls still name the objects the replay made.

The mock holds no API key to send a call with: each is sent as a tenant number
(`HttpRequest.tenant_number`), the recorded one in a whole-mock replay, the
replaying organisation's in an organisation's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..backend import Backend
from ..control.recorder import RecordedCall, parse_recording
from ..state.keys import ADMIN
from .messages import HttpRequest, HttpResponse

# The handler that answers each replayed call (passed in: the handler routes /_mock/replay here).
Send = Callable[[HttpRequest], HttpResponse]

REPLAY_ORIGIN = "http://replay.invalid"


def replay(backend: Backend, doc: Any, send: Send, tenant: str | None = None) -> dict[str, int]:
    """Rebuilds the recorded state in `backend`, or with `tenant` (an organisation id) in that organisation
    only; answers how many calls ran, how many failed, and how many ids were live elsewhere and replaced."""
    seed, calls = parse_recording(doc)
    backend.store.track_ids()  # each reissued id is checked against the live ones: in O(1), not a look everywhere
    if tenant is None:
        sent_as = _whole_mock_numbers(backend, calls)
        backend.reset()
        if seed is not None:
            # a recording without ids per call (version 1) rebuilds them by restarting the sequence
            backend.store.ids.reseed(seed)
    else:
        if doc["version"] == 1 and calls:
            raise ValueError("a version-1 recording keeps no ids per call, so it rebuilds its ids only by "
                             "restarting the id sequence of the whole mock: replay it with the admin token")
        sent_as = _one_tenant_numbers(calls, backend.store.tenant_number(tenant))
        backend.reset(tenant)
    mapping: dict[str, str] = {}
    failed = 0
    for call in calls:
        path, body = _renamed(call.path, call.body_bytes(), mapping)
        request = HttpRequest(method=call.method, url=REPLAY_ORIGIN + path, headers={"Content-Type": call.content_type},
                              body=body, tenant_number=sent_as(call))
        with backend.store.ids.reissuing(call.ids, mapping):
            response = send(request)
        failed += response.status >= 400
    return {"calls": len(calls), "failed": failed, "ids_replaced": len(mapping)}


def _whole_mock_numbers(backend: Backend, calls: list[RecordedCall]) -> Callable[[RecordedCall], int]:
    needed = max((call.tenant_number for call in calls), default=ADMIN) + 1
    if needed > len(backend.store.keys):
        raise ValueError(f"the recording uses {needed} API keys; this mock has fewer (add keys with add_api_key)")
    # a call of no organisation (ADMIN) was a server-wide one, a reset of all say: it runs as the admin
    return lambda call: call.tenant_number


def _one_tenant_numbers(calls: list[RecordedCall], number: int) -> Callable[[RecordedCall], int]:
    numbers = {call.tenant_number for call in calls}
    if len(numbers) > 1 or ADMIN in numbers:
        raise ValueError(f"the recording holds calls of {len(numbers - {ADMIN})} organisations"
                         f"{' and server-wide calls' if ADMIN in numbers else ''}; an API key replays one "
                         "organisation's calls into its own (the admin token replays a whole-mock recording)")
    return lambda _call: number


def _renamed(path: str, body: bytes, mapping: dict[str, str]) -> tuple[str, bytes]:
    """`path` and `body` naming the ids that stood in for recorded ones."""
    if not mapping:
        return path, body
    pattern = re.compile("|".join(re.escape(recorded) for recorded in mapping))
    return (pattern.sub(lambda match: mapping[match.group()], path),
            re.compile(pattern.pattern.encode()).sub(lambda match: mapping[match.group().decode()].encode(), body))
