"""The composition root: one mock's state, engines and GraphQL service, shared by both transports."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any

import attrs

from .api.service import GraphQLService
from .engines.export import Chunking, ExportEngine
from .engines.files import FileHost
from .engines.tasks import TaskEngine
from .http.faults import FaultBook
from .http.journal import Journal
from .state.seed import apply_seed
from .state.store import Store

DEFAULT_API_KEY = "test-key"
DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024

_service_lock = threading.Lock()
_shared_service: GraphQLService | None = None


def shared_graphql_service() -> GraphQLService:
    """The schema and document cache hold no state, so every mock in a process shares them."""
    global _shared_service
    with _service_lock:
        if _shared_service is None:
            _shared_service = GraphQLService()
        return _shared_service


class Backend:
    def __init__(
        self,
        api_keys: Iterable[str] = (DEFAULT_API_KEY,),
        id_seed: int | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        export_chunking: Chunking | None = None,
    ) -> None:
        keys = list(api_keys) or [DEFAULT_API_KEY]
        self.store = Store(id_seed=id_seed)
        self.clock = self.store.clock
        self.tasks = TaskEngine(self.clock, self.store.ids)
        self.files = FileHost(self.store, self.clock)
        self.exports = ExportEngine(self.tasks, export_chunking)
        self.graphql = shared_graphql_service()
        self.faults = FaultBook()
        self.journal = Journal()
        self.max_body_bytes = max_body_bytes
        self._default_key = keys[0]
        for key in keys:
            self.store.add_api_key(key)

    def __repr__(self) -> str:
        return f"<Backend {self.store!r}>"

    def add_api_key(self, api_key: str) -> None:
        self.store.add_api_key(api_key)

    def knows_key(self, api_key: str) -> bool:
        return self.store.org_for_key(api_key) is not None

    def seed(self, doc: Any, api_key: str | None = None) -> dict[str, Any]:
        with self.store.lock:
            org = self.store.add_api_key(api_key or self._default_key)
            return apply_seed(org, self.store.ids, self.clock, doc)

    def reset(self) -> None:
        """Empties state, transitions, exports, faults and the journal; keys stay valid."""
        with self.store.lock:
            self.store.reset()
            self.tasks.clear_transitions()
            self.exports.reset()
            self.faults.clear()
            self.journal.clear()

    def dump(self) -> dict[str, Any]:
        """All state as plain JSON-able data; API keys are never part of it."""

        def keep(attribute: attrs.Attribute, _value: Any) -> bool:  # type: ignore[type-arg]
            return attribute.name not in ("effect", "ordered_cache")

        with self.store.lock:
            return {
                "organizations": [attrs.asdict(org, filter=keep) for org in self.store.organizations()],
                "transitions": {kind: attrs.asdict(t) for kind, t in self.tasks.transitions().items()},
            }
