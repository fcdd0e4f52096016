"""The store: every organisation, by the tenant number of its API key, and the hosted files."""

from __future__ import annotations

import threading

from ..clock import MockClock
from ..ids import IdFactory, stable_id
from .keys import ADMIN, KeySlots
from .organization import Organization
from .policies import Policies
from .records import HostedFile, User
from .signed_files import SignedFiles, TenantFiles
from .tables import LiveIds


class Store:
    """All state of one mock. Each organisation's requests take its own lock (`org_lock`); `lock`
    guards the set of organisations (a new key, a reset)."""

    def __init__(self, clock: MockClock | None = None, id_seed: int | None = None) -> None:
        self.clock = clock or MockClock()
        self.ids = IdFactory(id_seed, in_use=self.id_in_use)
        self.lock = threading.RLock()
        self.keys = KeySlots()  # the only place keys are known, and by digest only
        self._orgs: list[Organization] = []  # at its key's tenant number
        self._numbers: dict[str, int] = {}  # organisation id -> tenant number
        self._org_locks: dict[str, threading.RLock] = {}  # organisation id -> the lock its requests take
        self.files = SignedFiles()  # signed-URL token -> file, with each organisation's uploaded bytes
        self.external_files: dict[str, HostedFile] = {}  # URL registered in-process -> file, for every tenant
        self.tenant_files = TenantFiles()  # (org id, URL) registered over HTTP -> file, by organisation
        self.policies = Policies()
        # every id the organisations' tables hold, kept once ids are checked (track_ids); until then None
        self._live: LiveIds | None = None
        self._tracking: LiveIds | None = None  # being built: organisations made meanwhile join it
        self._people: set[str] = set()  # organisation and user ids, which no table holds
        if id_seed is not None:
            self.track_ids()  # a seeded sequence checks every id it gives from the start

    def __repr__(self) -> str:
        return f"<Store organizations={len(self._orgs)}>"

    def add_api_key(self, api_key: str) -> Organization:
        """The organisation of `api_key`, created with its user on first use (ValueError for the admin token)."""
        with self.lock:
            number = self.keys.add_key(api_key)
            if number == len(self._orgs):
                org = self._new_org(number)
                self._orgs.append(org)
                self._numbers[org.id] = number
                self._people.update((org.id, org.user.id))
                org.track_ids(self._tracking)
            return self._orgs[number]

    def _new_org(self, number: int) -> Organization:
        # the n-th organisation and its user have the same ids in every mock, so recordings replay exactly
        now = self.clock.now()
        org_id = stable_id(f"organization-{number + 1}")
        user = User(
            id=stable_id(f"user-{number + 1}"),
            email=f"user{number + 1}@example.com",
            name=f"Mock User {number + 1}",
            organization_id=org_id,
            created_at=now,
            updated_at=now,
        )
        return Organization(id=org_id, name=f"Mock Organization {number + 1}", created_at=now, user=user)

    def track_ids(self) -> None:
        """Keeps an index of the ids every organisation's tables hold from now on, so `id_in_use` is O(1)
        however many organisations there are. Built once, an organisation at a time under its own lock:
        call it holding no organisation's lock (the id sequence's restart and a replay do). Until it is
        called nothing is kept: only a restarted sequence and a replay ask whether an id is live."""
        if self._live is not None or self._tracking is not None:
            return
        live = LiveIds()
        with self.lock:
            self._tracking = live
            orgs = list(self._orgs)
        for org in orgs:
            with self.org_lock(org.id):
                current = self.org_by_id(org.id) or org  # a reset may have replaced it (and tracked the new one)
                current.track_ids(live)
        self._live = live

    def id_in_use(self, candidate: str) -> bool:
        """Whether a record of any organisation has this id (a table key, an organisation or its user)."""
        live = self._live
        if live is not None:
            return candidate in live or candidate in self._people
        for org in list(self._orgs):  # not tracked yet: a look in every table; a copy, another thread may add a key
            if candidate in (org.id, org.user.id):
                return True
            for table in org.tables():
                if candidate in table:
                    return True
        return False

    def org_for_key(self, api_key: str | None) -> Organization | None:
        """The organisation `api_key` authenticates as; None for no key, an unknown one or the admin token."""
        return self.org_by_number(self.keys.number(api_key))

    def org_by_number(self, number: int | None) -> Organization | None:
        """The organisation at `number` (a tenant number); None for ADMIN, None or a number not in use."""
        return self._orgs[number] if number is not None and 0 <= number < len(self._orgs) else None

    def org_lock(self, org_id: str) -> threading.RLock:
        """The lock that serialises one organisation's requests; other organisations never wait on it."""
        lock = self._org_locks.get(org_id)
        if lock is None:
            with self.lock:
                lock = self._org_locks.setdefault(org_id, threading.RLock())
        return lock

    def org_by_id(self, org_id: str) -> Organization | None:
        return self.org_by_number(self._numbers.get(org_id))

    def tenant_number(self, org_id: str | None) -> int:
        """The tenant number of the organisation `org_id`; ADMIN (-1) for None, the whole mock."""
        return self._numbers[org_id] if org_id is not None else ADMIN

    def organizations(self) -> list[Organization]:
        return list(self._orgs)

    def organizations_of(self, tenant: str | None) -> list[Organization]:
        """The organisation `tenant` (its id), found by id; every organisation for None (the whole mock)."""
        if tenant is None:
            return self.organizations()
        org = self.org_by_id(tenant)
        return [org] if org is not None else []

    def reset_org(self, org: Organization) -> Organization:
        """Empties one organisation (keeping its key, id and user) and drops its files; answers the new one."""
        with self.lock:
            empty = Organization(id=org.id, name=org.name, created_at=org.created_at, user=org.user)
            self._orgs[self._numbers[org.id]].track_ids(None)  # its ids are no longer live: O(its own)
            self._orgs[self._numbers[org.id]] = empty
            empty.track_ids(self._tracking)
            # its own files only (each kept by organisation): a reset never walks another tenant's
            self.files.drop_tenant(org.id)
            self.tenant_files.drop_tenant(org.id)
            return empty

    def reset(self) -> None:
        """Empty every organisation but keep the keys, so clients stay authenticated; drop every file."""
        for org in self.organizations():
            with self.org_lock(org.id):  # an organisation's lock before the store's, as everywhere
                self.reset_org(org)
        with self.lock:
            self.files.clear()
            self.external_files.clear()
            self.tenant_files.clear()
