"""The composition root: one mock's state, engines and GraphQL service, shared by both transports."""

from __future__ import annotations

import base64
import random
import threading
from collections.abc import Iterable
from typing import Any

import attrs

from .api.service import GraphQLService
from .control.faults import Fault
from .control.plane import ControlPlane
from .engines.export import Chunking, ExportEngine
from .engines.files import FileHost
from .engines.tasks import TaskEngine, Transition
from .state.organization import Organization
from .state.policies import Policies
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
        mea_imports: str = "accepted",
    ) -> None:
        keys = list(api_keys) or [DEFAULT_API_KEY]
        self.store = Store(id_seed=id_seed)
        # "deprecated": MEA prediction imports answer what Labelbox's service answers today
        self.store.policies = Policies(mea_imports=mea_imports)
        self.clock = self.store.clock
        self.tasks = TaskEngine(self.clock, self.store.ids)
        self.files = FileHost(self.store, self.clock)
        self.exports = ExportEngine(self.tasks, export_chunking)
        self.graphql = shared_graphql_service()
        self.control = ControlPlane(self.tasks, self.clock, self.store.tenant_index)
        self.faults = self.control.faults
        self.journal = self.control.journal
        self.recorder = self.control.recorder
        self.max_body_bytes = max_body_bytes
        self._keys: list[str] = []
        for key in keys:
            self.add_api_key(key)
        self._default_key = keys[0]

    def __repr__(self) -> str:
        return f"<Backend {self.store!r}>"

    def add_api_key(self, api_key: str) -> Organization:
        """The organisation of `api_key`, created on first use; its position is the tenant number recordings use."""
        org = self.store.add_api_key(api_key)
        if api_key not in self._keys:
            self._keys.append(api_key)
        return org

    def key_for_tenant(self, tenant: int) -> str | None:
        """The key of the organisation at position `tenant` (as recordings name them)."""
        return self._keys[tenant] if 0 <= tenant < len(self._keys) else None

    def start_recording(self, id_seed: int | None = None) -> int:
        """Records from now on; ids restart from `id_seed` so a replay rebuilds the same ones."""
        seed = id_seed if id_seed is not None else random.randrange(2**31)
        with self.store.lock:
            self.store.ids.reseed(seed)
            self.recorder.start(seed)
        return seed

    def knows_key(self, api_key: str) -> bool:
        return self.store.org_for_key(api_key) is not None

    # -- steering: each is recorded (by the control plane) as the admin call that does the same
    def seed(self, doc: Any, api_key: str | None = None) -> dict[str, Any]:
        key = api_key or self._default_key
        with self.store.lock:
            org = self.add_api_key(key)  # through the backend, so a new key gets its tenant number too
            created = apply_seed(org, self.store.ids, self.clock, doc)
            self.control.record_admin("POST", "/_mock/seed", doc, key)
            return created

    def reset(self) -> None:
        """Empties state, transitions, exports, faults and the journal; keys stay valid."""
        with self.store.lock:
            self.store.reset()
            self.tasks.clear_transitions()
            self.exports.reset()
            self.control.clear()
            self.control.record_admin("POST", "/_mock/reset")

    def set_transition(self, kind: str, transition: Transition) -> None:
        self.control.set_transition(kind, transition)

    def clear_transitions(self) -> None:
        self.control.clear_transitions()

    def add_fault(self, fault: Fault) -> None:
        self.control.add_fault(fault)

    def clear_faults(self) -> None:
        self.control.clear_faults()

    def advance_clock(self, seconds: float) -> None:
        self.control.advance_clock(seconds)

    def host_file(self, url: str, content: bytes, content_type: str = "application/octet-stream") -> None:
        self.files.host(url, content, content_type)
        self.control.record_admin("POST", "/_mock/files", {"url": url, "content_base64": base64.b64encode(content).decode(),
                                                           "content_type": content_type})

    def dump(self) -> dict[str, Any]:
        """All state as plain JSON-able data; API keys are never part of it."""

        def keep(attribute: attrs.Attribute, _value: Any) -> bool:  # type: ignore[type-arg]
            return bool(attribute.metadata.get("dumped", True))

        with self.store.lock:
            return {
                "organizations": [attrs.asdict(org, filter=keep) for org in self.store.organizations()],
                "transitions": {kind: attrs.asdict(t) for kind, t in self.tasks.transitions().items()},
            }
