"""Files the mock serves: signed URLs it issues, and URLs a test registers.

A signed URL carries an unguessable token that expires, as cloud storage
signed URLs do; nothing but an issued token is reachable through the route.
"""

from __future__ import annotations

import re
import secrets
from urllib.parse import urlsplit

from ..clock import MockClock
from ..state.errors import InvalidInput
from ..state.records import ContentSource, HostedFile
from ..state.store import Store

FILES_PREFIX = "/_files/"
DEFAULT_TTL_SECONDS = 3600.0
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class FileHost:
    def __init__(self, store: Store, clock: MockClock) -> None:
        self.store = store
        self.clock = clock

    def sign(self, base_url: str, content: bytes | ContentSource, content_type: str = "application/octet-stream",
             ttl: float = DEFAULT_TTL_SECONDS) -> str:
        """A URL that serves `content` without an API key until `ttl` seconds pass on the mock's clock.

        `content` may be a ContentSource, made on each read, so signing a
        large file costs nothing until someone downloads it.
        """
        token = secrets.token_urlsafe(32)
        self.store.files[token] = HostedFile(content=content, content_type=content_type, expires_at=self.clock.now() + ttl)
        return f"{base_url}{FILES_PREFIX}{token}"

    def by_token(self, token: str) -> HostedFile | None:
        """The file behind `token`, or None if it was never issued or has expired."""
        if not _TOKEN.match(token):
            return None
        hosted = self.store.files.get(token)
        if hosted is None:
            return None
        if hosted.expires_at is not None and self.clock.now() >= hosted.expires_at:
            self.store.files.pop(token, None)  # deleted on sight; another thread may get there first
            return None
        return hosted

    def is_live(self, url: str) -> bool:
        """Whether `url` is a signed URL of this host that still serves its file."""
        path = urlsplit(url).path
        return path.startswith(FILES_PREFIX) and self.by_token(path[len(FILES_PREFIX):]) is not None

    def host(self, url: str, content: bytes, content_type: str = "application/octet-stream") -> None:
        """Registers `url` so imports that name it read `content`; nothing is fetched from outside."""
        self.store.external_files[url] = HostedFile(content=content, content_type=content_type)

    def read(self, url: str) -> bytes:
        """Content behind a URL the mock can reach without a network, else InvalidInput saying why."""
        parts = urlsplit(url)
        if parts.path.startswith(FILES_PREFIX):
            hosted = self.by_token(parts.path[len(FILES_PREFIX):])
            if hosted is not None:
                return content_bytes(hosted)
        hosted = self.store.external_files.get(url)
        if hosted is not None:
            return content_bytes(hosted)
        raise InvalidInput(
            f"cannot fetch {url!r}: the mock makes no network calls; upload the file or register it with host_file()"
        )


def content_bytes(hosted: HostedFile) -> bytes:
    """All of a file's content at once; for callers that need it whole."""
    if isinstance(hosted.content, bytes):
        return hosted.content
    return b"".join(hosted.content.chunks())
