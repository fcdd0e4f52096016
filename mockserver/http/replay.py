"""Replaying a recording into a mock, or into one organisation of it.

Each call is sent through a handler with the ids it was issued when recorded
reissued (`IdFactory.reissuing`). Ids are global, so a recorded id may be live in
another organisation of a shared mock; then a fresh id stands in for it, and every
later call is sent with the recorded id replaced by the new one in its path and
body, so the replayed calls still name the objects the replay made.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ..backend import Backend
from ..control.recorder import RecordedCall, parse_recording
from .messages import HttpRequest, HttpResponse

# The handler that answers each replayed call (passed in: the handler routes /_mock/replay here).
Send = Callable[[HttpRequest], HttpResponse]

REPLAY_ORIGIN = "http://replay.invalid"


def replay(backend: Backend, doc: Any, send: Send, tenant: str | None = None,
           api_key: str | None = None) -> dict[str, int]:
    """Rebuilds the recorded state in `backend`, or with `tenant` (and its `api_key`) in that organisation
    only; answers how many calls ran, how many failed, and how many ids were live elsewhere and replaced."""
    seed, calls = parse_recording(doc)
    if tenant is None:
        keys = _whole_mock_keys(backend, calls)
        backend.reset()
        if seed is not None:
            # a recording without ids per call (version 1) rebuilds them by restarting the sequence
            backend.store.ids.reseed(seed)
    else:
        if doc["version"] == 1 and calls:
            raise ValueError("a version-1 recording keeps no ids per call, so it rebuilds its ids only by "
                             "restarting the id sequence of the whole mock: replay it with the admin token")
        keys = _one_tenant_keys(calls, api_key)
        backend.reset(tenant)
    mapping: dict[str, str] = {}
    failed = 0
    for call in calls:
        headers = {"Content-Type": call.content_type}
        key = keys(call)
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        path, body = _renamed(call.path, call.body_bytes(), mapping)
        with backend.store.ids.reissuing(call.ids, mapping):
            response = send(HttpRequest(method=call.method, url=REPLAY_ORIGIN + path, headers=headers, body=body))
        failed += response.status >= 400
    return {"calls": len(calls), "failed": failed, "ids_replaced": len(mapping)}


def _whole_mock_keys(backend: Backend, calls: list[RecordedCall]) -> Callable[[RecordedCall], str | None]:
    needed = max((call.tenant for call in calls), default=-1) + 1
    if any(backend.key_for_tenant(tenant) is None for tenant in range(needed)):
        raise ValueError(f"the recording uses {needed} API keys; this mock has fewer (add keys with add_api_key)")
    # a call of no organisation was a server-wide one (a reset of all, say): it runs as the admin
    return lambda call: backend.key_for_tenant(call.tenant) if call.tenant >= 0 else backend.internal_admin_token


def _one_tenant_keys(calls: list[RecordedCall], api_key: str | None) -> Callable[[RecordedCall], str | None]:
    tenants = {call.tenant for call in calls}
    if len(tenants) > 1 or -1 in tenants:
        raise ValueError(f"the recording holds calls of {len(tenants - {-1})} organisations"
                         f"{' and server-wide calls' if -1 in tenants else ''}; an API key replays one "
                         "organisation's calls into its own (the admin token replays a whole-mock recording)")
    return lambda _call: api_key


def _renamed(path: str, body: bytes, mapping: dict[str, str]) -> tuple[str, bytes]:
    """`path` and `body` naming the ids that stood in for recorded ones."""
    if not mapping:
        return path, body
    pattern = re.compile("|".join(re.escape(recorded) for recorded in mapping))
    return (pattern.sub(lambda match: mapping[match.group()], path),
            re.compile(pattern.pattern.encode()).sub(lambda match: mapping[match.group().decode()].encode(), body))
