"""Files the mock serves: signed URLs it issues, and URLs a test registers.

A signed URL carries an unguessable token that expires, as cloud storage
signed URLs do; nothing but an issued token is reachable through the route.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..clock import MockClock, current_tenant, tenant_scope
from ..state.errors import InvalidInput
from ..state.records import ContentSource, HostedFile
from ..state.store import Store

FILES_PREFIX = "/_files/"
DEFAULT_TTL_SECONDS = 3600.0
# Bytes of uploaded content (not exports, which are made while read) one organisation may hold;
# an upload past it is refused, naming the cap. Files expire after their TTL on that clock.
MAX_UPLOAD_BYTES_PER_ORG = 64 * 1024 * 1024
# Files a test registers over HTTP (POST /_mock/files), per organisation: count, bytes, URL length.
MAX_HOSTED_FILES_PER_ORG = 1_000
MAX_HOSTED_BYTES_PER_ORG = 32 * 1024 * 1024
MAX_HOSTED_URL_CHARS = 2048
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")


class FileHost:
    def __init__(self, store: Store, clock: MockClock) -> None:
        self.store = store
        self.clock = clock
        self.max_upload_bytes = MAX_UPLOAD_BYTES_PER_ORG

    def sign(self, base_url: str, content: bytes | ContentSource, content_type: str = "application/octet-stream",
             ttl: float = DEFAULT_TTL_SECONDS) -> str:
        """A URL that serves `content` without an API key until `ttl` seconds pass on the mock's clock.

        `content` may be a ContentSource, made on each read, so signing a
        large file costs nothing until someone downloads it.
        """
        tenant = current_tenant()
        self.sweep(tenant)  # the signing organisation's expired files only: O(1) when none has expired
        if isinstance(content, bytes) and content:
            held = self.uploaded_bytes(tenant)
            if held + len(content) > self.max_upload_bytes:
                raise InvalidInput(f"this organisation's files already hold {held} bytes; the mock keeps at most "
                                   f"{self.max_upload_bytes} (files expire {ttl:.0f} s after upload on the "
                                   "organisation's clock, and a reset frees them)")
        token = self.store.ids.secret()  # a replayed upload maps the recorded token to this one
        self.store.files[token] = HostedFile(content=content, content_type=safe_content_type(content_type),
                                             expires_at=self.clock.now() + ttl, tenant=tenant)
        return f"{base_url}{FILES_PREFIX}{token}"

    def uploaded_bytes(self, tenant: str | None) -> int:
        return self.store.files.uploaded_bytes(tenant)  # a running total, not a scan of every file

    def sweep(self, tenant: str | None) -> int:
        """Drops the expired files of `tenant` (on its clock); answers how many. Each organisation's
        files are kept by expiry, so this visits only its expired ones, never another's files."""
        with tenant_scope(tenant):
            now = self.clock.now()
        return self.store.files.expire(tenant, now)

    def by_token(self, token: str) -> HostedFile | None:
        """The file behind `token`, or None if it was never issued or has expired."""
        if not _TOKEN.match(token):
            return None
        hosted = self.store.files.get(token)
        if hosted is None:
            return None
        with tenant_scope(hosted.tenant):  # expiry is on the clock of the organisation that signed it
            now = self.clock.now()
        expired = hosted.expires_at is not None and now >= hosted.expires_at
        if expired or getattr(hosted.content, "released", False):  # released: an export no longer kept
            self.store.files.pop(token, None)  # deleted on sight; another thread may get there first
            return None
        return hosted

    def is_live(self, url: str) -> bool:
        """Whether `url` is a signed URL of this host that still serves its file."""
        path = urlsplit(url).path
        return path.startswith(FILES_PREFIX) and self.by_token(path[len(FILES_PREFIX):]) is not None

    def host(self, url: str, content: bytes, content_type: str = "application/octet-stream",
             tenant: str | None = None) -> None:
        """Registers `url` so imports that name it read `content`; nothing is fetched from outside.

        With `tenant`, only that organisation's imports see it (a CI worker's file is its own).
        """
        content_type = safe_content_type(content_type)
        if tenant is None:
            self.store.external_files[url] = HostedFile(content=content, content_type=content_type)
        else:
            self._check_hosting_quota(tenant, url, len(content))
            self.store.tenant_files[(tenant, url)] = HostedFile(content=content, content_type=content_type,
                                                                tenant=tenant)

    def _check_hosting_quota(self, tenant: str, url: str, size: int) -> None:
        """InvalidInput naming the quota if `tenant` hosting `url` would pass it (a file it replaces is
        not counted)."""
        if len(url) > MAX_HOSTED_URL_CHARS:
            raise InvalidInput(f"a hosted file's url is at most {MAX_HOSTED_URL_CHARS} characters")
        count, held = self.store.tenant_files.held(tenant, leaving_out=url)  # kept as files come and go
        if count + 1 > MAX_HOSTED_FILES_PER_ORG:
            raise InvalidInput(f"quota exceeded: an organisation hosts at most {MAX_HOSTED_FILES_PER_ORG} files "
                               "(POST /_mock/reset frees them)")
        if held + size > MAX_HOSTED_BYTES_PER_ORG:
            raise InvalidInput(f"quota exceeded: an organisation's hosted files hold at most "
                               f"{MAX_HOSTED_BYTES_PER_ORG} bytes; these would hold {held + size}")

    def read(self, url: str) -> bytes:
        """Content behind a URL the mock can reach without a network, else InvalidInput saying why."""
        parts = urlsplit(url)
        if parts.path.startswith(FILES_PREFIX):
            hosted = self.by_token(parts.path[len(FILES_PREFIX):])
            if hosted is not None:  # a signed URL is a capability: whoever holds it may read it
                return content_bytes(hosted)
        tenant = current_tenant()
        hosted = self.store.tenant_files.get((tenant, url)) if tenant else None
        if hosted is None:
            hosted = self.store.external_files.get(url)
        if hosted is not None:
            return content_bytes(hosted)
        raise InvalidInput(
            f"cannot fetch {url!r}: the mock makes no network calls; upload the file or register it with host_file()"
        )


# type/subtype and name=value parameters, all of token characters (RFC 9110 8.3.1): a content type
# comes from a request (an upload's part header, an admin call), and nothing else may reach a response.
_RFC9110_TCHARS = r"[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}"
_MEDIA_TYPE = re.compile(rf"{_RFC9110_TCHARS}/{_RFC9110_TCHARS}(?:; ?{_RFC9110_TCHARS}={_RFC9110_TCHARS}){{0,4}}")


def safe_content_type(content_type: str) -> str:
    """`content_type` if it is a plain media type (with token parameters), else application/octet-stream."""
    stripped = content_type.strip()
    return stripped if _MEDIA_TYPE.fullmatch(stripped) else "application/octet-stream"


# How a file the mock hosts is served: as a download, never as a page of the mock's own origin (where
# the dashboard keeps an API key): an uploaded text/html file's script must not run there.
INERT_FILE_HEADERS = {
    "Content-Disposition": "attachment",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "sandbox; default-src 'none'",
}


def content_bytes(hosted: HostedFile) -> bytes:
    """All of a file's content at once; for callers that need it whole."""
    if isinstance(hosted.content, bytes):
        return hosted.content
    return b"".join(hosted.content.chunks())
