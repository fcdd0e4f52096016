"""Replaying a recording into a mock: reset, re-seed ids, send every call through a handler."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..backend import Backend
from ..control.recorder import parse_recording
from .messages import HttpRequest, HttpResponse

# The handler that answers each replayed call (passed in: the handler routes /_mock/replay here).
Send = Callable[[HttpRequest], HttpResponse]

REPLAY_ORIGIN = "http://replay.invalid"


def replay(backend: Backend, doc: Any, send: Send) -> dict[str, int]:
    """Rebuilds the recorded state in `backend`; answers how many calls ran and how many failed."""
    seed, calls = parse_recording(doc)
    needed = max((call.tenant for call in calls), default=-1) + 1
    missing = [tenant for tenant in range(needed) if backend.key_for_tenant(tenant) is None]
    if missing:
        raise ValueError(f"the recording uses {needed} API keys; this mock has fewer (add keys with add_api_key)")
    backend.reset()
    backend.store.ids.reseed(seed)
    failed = 0
    for call in calls:
        # a call of no organisation was a server-wide one (a reset of all, say): it runs as the admin
        key = backend.key_for_tenant(call.tenant) if call.tenant >= 0 else backend.internal_admin_token
        headers = {"Content-Type": call.content_type}
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        response = send(HttpRequest(method=call.method, url=REPLAY_ORIGIN + call.path, headers=headers,
                                       body=call.body_bytes()))
        failed += response.status >= 400
    return {"calls": len(calls), "failed": failed}
