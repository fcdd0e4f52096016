"""The one registry of a mock's credentials: each API key's tenant number, and the admin tokens.

A key's `tenant_number` is its slot: the order in which keys were added, from 0. It is
the one name for a key wherever the key itself may not be written down (a recording
names a call's organisation by it; the n-th organisation's ids are derived from it),
and the organisation id is derived from it in turn. `ADMIN` (-1) is the number of a
caller that acts on the whole mock: in-process code, the admin token.

Only a keyed digest (a MAC: BLAKE2b keyed) of each credential is held, under a secret
made here and kept nowhere else: a dump, a repr or a memory image of the mock holds
no key, nor a plain hash a short key could be guessed back from.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading

ADMIN = -1

# An admin token acts on every organisation: one short enough to guess would hand over the mock.
MIN_ADMIN_TOKEN_CHARS = 16


class KeySlots:
    """API keys by digest, each with its tenant number; admin tokens by digest. Thread-safe."""

    def __init__(self) -> None:
        # BLAKE2b in its keyed mode is a MAC (no HMAC construction needed), keyed once and copied per
        # digest: 0.7 µs, as a plain SHA-256 costs; HMAC-SHA256 cost 2-5 µs on every request
        self._keyed = hashlib.blake2b(key=secrets.token_bytes(32), digest_size=32)
        self._numbers: dict[bytes, int] = {}  # digest of a key -> its tenant number
        self._admin: list[bytes] = []  # digests of the admin tokens
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"<KeySlots keys={len(self._numbers)} admin_tokens={len(self._admin)}>"

    def __len__(self) -> int:
        """How many API keys there are: the tenant numbers in use are 0 up to this, less one."""
        return len(self._numbers)

    def _digest(self, token: str) -> bytes:
        mac = self._keyed.copy()
        mac.update(token.encode("utf-8"))
        return mac.digest()

    def add_key(self, api_key: str) -> int:
        """The tenant number of `api_key`, given the next one on first sight. ValueError for an admin token
        (whoever held that key would act on every organisation)."""
        digest = self._digest(api_key)
        with self._lock:
            if self._is_admin(digest):
                raise ValueError("an API key must differ from the admin token")
            return self._numbers.setdefault(digest, len(self._numbers))

    def add_admin_token(self, token: str) -> None:
        """Accepts `token` for the whole mock. ValueError, naming the rule, for a short or unprintable token
        or one that is an API key."""
        if len(token.strip()) < MIN_ADMIN_TOKEN_CHARS or not token.isprintable():
            raise ValueError(f"an admin token must be at least {MIN_ADMIN_TOKEN_CHARS} printable characters, "
                             "not counting spaces around them")
        digest = self._digest(token)
        with self._lock:
            if digest in self._numbers:
                raise ValueError("the admin token must differ from every API key")
            if not self._is_admin(digest):
                self._admin.append(digest)

    def number(self, token: str | None) -> int | None:
        """The tenant number `token` authenticates as: its key's, ADMIN for an admin token, None for neither
        (no token, an empty one, an unknown one)."""
        if not token:
            return None
        digest = self._digest(token)
        # A dict lookup's timing depends on the guess's digest, which no caller can steer without the
        # secret, so it tells nothing of the keys held; admin tokens are compared in constant time.
        found = self._numbers.get(digest)
        if found is not None:
            return found
        return ADMIN if self._is_admin(digest) else None

    def _is_admin(self, digest: bytes) -> bool:
        # every token is compared (no early exit), so the time taken says nothing of which one matched
        matches = [hmac.compare_digest(digest, known) for known in self._admin]
        return any(matches)
