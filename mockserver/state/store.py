"""The store: every organisation, keyed by a digest of its API key, and the hosted files."""

from __future__ import annotations

import hashlib
import threading

from ..clock import MockClock
from ..ids import IdFactory, stable_id
from .organization import Organization
from .policies import Policies
from .records import HostedFile, User


def key_digest(api_key: str) -> str:
    """State never holds an API key itself, so a dump or a repr cannot leak one."""
    return hashlib.sha256(api_key.encode("utf-8")).hexdigest()


class Store:
    """All state of one mock. `lock` serialises every request that reads or writes it."""

    def __init__(self, clock: MockClock | None = None, id_seed: int | None = None) -> None:
        self.clock = clock or MockClock()
        self.ids = IdFactory(id_seed)
        self.lock = threading.RLock()
        self._orgs: dict[str, Organization] = {}  # insertion order = the order keys were added
        self.files: dict[str, HostedFile] = {}  # signed-URL token -> file
        self.external_files: dict[str, HostedFile] = {}  # URL registered by a test -> file
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
            return org

    def org_for_key(self, api_key: str) -> Organization | None:
        return self._orgs.get(key_digest(api_key))

    def tenant_index(self, api_key: str | None) -> int:
        """The position of `api_key` among the keys, so recordings can name a tenant without its key."""
        if api_key is None:
            return -1
        digest = key_digest(api_key)
        return next((i for i, known in enumerate(self._orgs) if known == digest), -1)

    def organizations(self) -> list[Organization]:
        return list(self._orgs.values())

    def reset(self) -> None:
        """Empty every organisation but keep the keys, so clients stay authenticated."""
        with self.lock:
            for digest, org in list(self._orgs.items()):
                self._orgs[digest] = Organization(id=org.id, name=org.name, created_at=org.created_at, user=org.user)
            self.files.clear()
            self.external_files.clear()
