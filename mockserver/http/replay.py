"""Replaying a recording into a mock: reset, re-seed ids, send every call through the handler."""

from __future__ import annotations

from typing import Any

from ..backend import Backend
from .handler import Handler
from .messages import HttpRequest
from .recorder import parse_recording

REPLAY_ORIGIN = "http://replay.invalid"


def replay(backend: Backend, doc: Any) -> dict[str, int]:
    """Rebuilds the recorded state in `backend`; answers how many calls ran and how many failed."""
    seed, calls = parse_recording(doc)
    needed = max((call.tenant for call in calls), default=-1) + 1
    missing = [tenant for tenant in range(needed) if backend.key_for_tenant(tenant) is None]
    if missing:
        raise ValueError(f"the recording uses {needed} API keys; this mock has fewer (add keys with add_api_key)")
    handler = Handler(backend)
    backend.reset()
    backend.store.ids.reseed(seed)
    failed = 0
    for call in calls:
        key = backend.key_for_tenant(call.tenant)
        headers = {"Content-Type": call.content_type}
        if key is not None:
            headers["Authorization"] = f"Bearer {key}"
        response = handler(HttpRequest(method=call.method, url=REPLAY_ORIGIN + call.path, headers=headers,
                                       body=call.body_bytes()))
        failed += response.status >= 400
    return {"calls": len(calls), "failed": failed}
