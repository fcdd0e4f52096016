"""The composition root: one mock's state, engines and GraphQL service, shared by both transports."""

from __future__ import annotations

import gc
import random
import threading
from collections.abc import Iterable
from typing import Any

import attrs

from .api.service import GraphQLService
from .clock import tenant_scope
from .control.faults import Fault
from .control.plane import ControlPlane
from .engines.export import Chunking, ExportEngine
from .engines.files import FileHost
from .engines.tasks import TaskEngine, Transition
from .state.keys import ADMIN
from .state.organization import Organization
from .state.policies import Policies
from .state.seed import apply_seed
from .state.store import Store

DEFAULT_API_KEY = "test-key"
DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024

_service_lock = threading.Lock()
_shared_service: GraphQLService | None = None


def shared_graphql_service() -> GraphQLService:
    """The schema and document cache hold no state (what a document cost to answer is a hint for the
    standalone server, the same for every mock), so every mock in a process shares them."""
    global _shared_service
    with _service_lock:
        if _shared_service is None:
            _shared_service = GraphQLService()
        return _shared_service


# ids a seed must issue before it runs the collector's full collection itself (see Backend.seed)
SEED_COLLECT_IDS = 50_000


class Backend:
    def __init__(
        self,
        api_keys: Iterable[str] = (DEFAULT_API_KEY,),
        id_seed: int | None = None,
        max_body_bytes: int = DEFAULT_MAX_BODY_BYTES,
        export_chunking: Chunking | None = None,
        mea_imports: str = "accepted",
        admin_token: str | None = None,
        export_seconds: float = 0.0,
    ) -> None:
        """`export_seconds`: how long an export stays IN_PROGRESS on its organisation's clock when no
        transition says otherwise (0: it completes at its first status read, as in-process tests want).
        `admin_token` allows the server-wide admin actions over HTTP (reset all, dump all, recording,
        replay); without one they are only available in-process. Every other admin route acts on the
        organisation of the caller's API key."""
        keys = list(api_keys) or [DEFAULT_API_KEY]
        self.store = Store(id_seed=id_seed)
        # "deprecated": MEA prediction imports answer what Labelbox's service answers today
        self.store.policies = Policies(mea_imports=mea_imports)
        self.clock = self.store.clock
        self.tasks = TaskEngine(self.clock, self.store.ids)
        if export_seconds:
            self.tasks.defaults["export"] = Transition(progression="time", duration=export_seconds)
        self.files = FileHost(self.store, self.clock)
        self.exports = ExportEngine(self.tasks, export_chunking, locks=self.store.org_lock)
        self.graphql = shared_graphql_service()
        self.control = ControlPlane(self.tasks, self.clock, self.store.tenant_number, self.store.ids.new)
        self.faults = self.control.faults
        self.journal = self.control.journal
        self.recorder = self.control.recorder
        self.max_body_bytes = max_body_bytes
        for key in keys:
            self.add_api_key(key)
        if admin_token is not None:
            self.store.keys.add_admin_token(admin_token)  # refused if short, or one of `keys`

    def __repr__(self) -> str:
        return f"<Backend {self.store!r}>"

    def add_api_key(self, api_key: str) -> Organization:
        """The organisation of `api_key`, created on first use with the next tenant number."""
        return self.store.add_api_key(api_key)

    def start_recording(self, id_seed: int | None = None) -> int:
        """Records every call from now on; ids restart from `id_seed` (answered; live ids are skipped)."""
        seed = id_seed if id_seed is not None else random.randrange(2**31)
        self.store.track_ids()  # from now on every id is checked against the live ones: in O(1)
        self.store.ids.reseed(seed)
        self.recorder.start(seed)
        return seed

    def start_tenant_recording(self, tenant: str) -> None:
        """Records the calls of one organisation from now on, in a recording of its own. The id sequence,
        which every organisation shares, is left alone: each call keeps the ids it was issued, and a
        replay reissues those."""
        self.control.recorder_for(tenant).start(None)

    def stop_recording(self, tenant: str | None = None) -> None:
        self.control.recorder_for(tenant).stop()

    def recording(self, tenant: str | None = None) -> dict[str, Any]:
        """The recording so far, of the whole mock or of one organisation's own (JSON-able, no API keys)."""
        return self.control.recorder_for(tenant).to_json()

    def knows_key(self, api_key: str) -> bool:
        return self.store.org_for_key(api_key) is not None

    def is_admin(self, token: str | None) -> bool:
        """Whether `token` is the admin token given at start."""
        return self.store.keys.number(token) == ADMIN

    # -- steering: each is recorded (by the control plane) as the admin call that does the same
    def seed(self, doc: Any, api_key: str | None = None, tenant: str | None = None) -> dict[str, Any]:
        """Loads `doc` into the organisation `tenant` (its id), or else that of `api_key` (added if new),
        or else the first (tenant number 0); answers the ids created."""
        with self.store.lock:
            org = (self.store.org_by_id(tenant) if tenant is not None
                   else self.add_api_key(api_key) if api_key else self.store.organizations()[0])
            if org is None:
                raise ValueError(f"no organisation {tenant!r} in this mock")
        # locks: an organisation's before the store's, everywhere, so no two threads wait on each other
        with self.store.org_lock(org.id), tenant_scope(org.id):
            org = self.store.org_by_id(org.id) or org
            with self.store.ids.capture() as issued:
                created = apply_seed(org, self.store.ids, self.clock, doc)
            self.control.record_command("seed", {"doc": doc}, org.id, tuple(issued))
        if len(issued) >= SEED_COLLECT_IDS:
            # A large seed leaves CPython's collector owing a full collection over the new heap, which it
            # would run at some later allocation: inside whichever request came next (hundreds of ms at
            # 200k rows). Paid here, by the seed, once; exports add no tracked objects per row, so none
            # comes due again because of them.
            gc.collect()
        return created

    # Each steering call below acts on one organisation (`tenant`, its id) or, without one, on the
    # whole mock: that is what in-process code and the admin token do.
    def reset(self, tenant: str | None = None) -> None:
        """Empties state, transitions, exports, faults, files, the journal and the clock offset of
        `tenant`, or of every organisation; keys stay valid."""
        if tenant is None:
            for org in self.store.organizations():  # one organisation at a time: the others keep serving
                self._reset_org(org.id)
            self.store.reset()  # and what belongs to no organisation: files registered in-process
            self.exports.reset()
            self.clock.forget_all()
        else:
            self._reset_org(tenant)
        self.tasks.clear_transitions(tenant)
        self.control.clear(tenant)
        self.control.record_command("reset", tenant=tenant)

    def _reset_org(self, tenant: str) -> None:
        with self.store.org_lock(tenant):
            org = self.store.org_by_id(tenant)
            if org is not None:
                self.exports.forget(org)
                self.store.reset_org(org)
                self.tasks.forget_organization(tenant)
            self.clock.forget(tenant)

    def set_transition(self, kind: str, transition: Transition, tenant: str | None = None) -> None:
        self.control.set_transition(kind, transition, tenant)

    def clear_transitions(self, tenant: str | None = None) -> None:
        self.control.clear_transitions(tenant)

    def add_fault(self, fault: Fault, tenant: str | None = None) -> str:
        return self.control.add_fault(fault, tenant)

    def remove_fault(self, fault_id: str, tenant: str | None = None) -> None:
        self.control.remove_fault(fault_id, tenant)

    def clear_faults(self, tenant: str | None = None) -> None:
        self.control.clear_faults(tenant)

    def advance_clock(self, seconds: float, tenant: str | None = None) -> None:
        self.control.advance_clock(seconds, tenant)

    def host_file(self, url: str, content: bytes, content_type: str = "application/octet-stream",
                  tenant: str | None = None) -> None:
        self.files.host(url, content, content_type, tenant)
        self.control.record_command("host_file", {"url": url, "content": content, "content_type": content_type},
                                    tenant)

    def dump(self, tenant: str | None = None) -> dict[str, Any]:
        """State as plain JSON-able data, of one organisation or all; API keys are never part of it."""

        def keep(attribute: attrs.Attribute, _value: Any) -> bool:  # type: ignore[type-arg]
            return bool(attribute.metadata.get("dumped", True))

        dumped = []
        for org in self.store.organizations_of(tenant):
            with self.store.org_lock(org.id):  # one organisation at a time, never the whole mock
                current = self.store.org_by_id(org.id) or org
                dumped.append(attrs.asdict(current, filter=keep))
        return {
            "organizations": dumped,
            "transitions": {kind: attrs.asdict(t) for kind, t in self.tasks.transitions(tenant).items()},
        }
