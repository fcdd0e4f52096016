"""The store: every organisation, keyed by a digest of its API key, and the hosted files."""

from __future__ import annotations

import hashlib
import threading

from ..clock import MockClock
from ..ids import IdFactory, stable_id
from .organization import Organization
from .policies import Policies
from .records import HostedFile, User
from .signed_files import SignedFiles


def key_digest(api_key: str) -> str:
    """State never holds an API key itself, so a dump or a repr cannot leak one."""
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()


class Store:
    """All state of one mock. Each organisation's requests take its own lock (`org_lock`); `lock`
    guards the set of organisations (a new key, a reset)."""

    def __init__(self, clock: MockClock | None = None, id_seed: int | None = None) -> None:
        self.clock = clock or MockClock()
        self.ids = IdFactory(id_seed, in_use=self.id_in_use)
        self.lock = threading.RLock()
        self._orgs: dict[str, Organization] = {}  # insertion order = the order keys were added
        self._by_id: dict[str, Organization] = {}  # the same organisations by id: a request's look-up is O(1)
        self._org_locks: dict[str, threading.RLock] = {}  # organisation id -> the lock its requests take
        self.files = SignedFiles()  # signed-URL token -> file, with each organisation's uploaded bytes
        self.external_files: dict[str, HostedFile] = {}  # URL registered in-process -> file, for every tenant
        self.tenant_files: dict[tuple[str, str], HostedFile] = {}  # (org id, URL) registered over HTTP -> file
        self.policies = Policies()

    def __repr__(self) -> str:
        return f"<Store organizations={len(self._orgs)}>"

    def add_api_key(self, api_key: str) -> Organization:
        """The organisation of `api_key`, created with its user on first use."""
        digest = key_digest(api_key)
        with self.lock:
            org = self._orgs.get(digest)
            if org is None:
                now = self.clock.now()
                # the n-th organisation and its user have the same ids in every mock, so recordings replay exactly
                number = len(self._orgs) + 1
                org_id = stable_id(f"organization-{number}")
                user = User(
                    id=stable_id(f"user-{number}"),
                    email=f"user{number}@example.com",
                    name=f"Mock User {number}",
                    organization_id=org_id,
                    created_at=now,
                    updated_at=now,
                )
                org = Organization(id=org_id, name=f"Mock Organization {number}", created_at=now, user=user)
                self._orgs[digest] = org
                self._by_id[org_id] = org
            return org

    def id_in_use(self, candidate: str) -> bool:
        """Whether a record of any organisation has this id (a table key, an organisation or its user)."""
        for org in list(self._orgs.values()):  # a copy: another thread may add a key meanwhile
            if candidate in (org.id, org.user.id):
                return True
            for table in org.tables():
                if candidate in table:
                    return True
        return False

    def org_for_key(self, api_key: str) -> Organization | None:
        return self._orgs.get(key_digest(api_key))

    def tenant_index(self, api_key: str | None) -> int:
        """The position of `api_key` among the keys, so recordings can name a tenant without its key."""
        if api_key is None:
            return -1
        digest = key_digest(api_key)
        return next((i for i, known in enumerate(self._orgs) if known == digest), -1)

    def org_lock(self, org_id: str) -> threading.RLock:
        """The lock that serialises one organisation's requests; other organisations never wait on it."""
        lock = self._org_locks.get(org_id)
        if lock is None:
            with self.lock:
                lock = self._org_locks.setdefault(org_id, threading.RLock())
        return lock

    def org_by_id(self, org_id: str) -> Organization | None:
        return self._by_id.get(org_id)

    def tenant_number(self, org_id: str | None) -> int:
        """The position of the organisation `org_id` among the keys (-1 for none), as recordings name tenants."""
        return next((i for i, org in enumerate(self._orgs.values()) if org.id == org_id), -1)

    def organizations(self) -> list[Organization]:
        return list(self._orgs.values())

    def reset_org(self, org: Organization) -> Organization:
        """Empties one organisation (keeping its key, id and user) and drops its files; answers the new one."""
        with self.lock:
            empty = Organization(id=org.id, name=org.name, created_at=org.created_at, user=org.user)
            for digest, known in self._orgs.items():
                if known is org:
                    self._orgs[digest] = empty
                    self._by_id[empty.id] = empty
            # copies (list()): other organisations' requests sign files meanwhile, under their own locks
            for token, hosted in list(self.files.items()):
                if hosted.tenant == org.id:
                    self.files.pop(token, None)
            for key in list(self.tenant_files):
                if key[0] == org.id:
                    self.tenant_files.pop(key, None)
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
