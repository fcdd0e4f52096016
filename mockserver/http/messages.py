"""Transport-neutral HTTP request and response values."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]
from typing import Any
from urllib.parse import urlsplit

from attrs import Factory, define, field


class LoweredHeaders(dict[str, str]):
    """Headers a server has already read as text with lowered names (HttpRequest takes them as they are)."""


def _lower_keys(headers: Mapping[str, str] | Mapping[str | bytes, str | bytes]) -> dict[str, str]:
    """Names lowered; names and values as text. requests lets a caller give bytes, which go on the
    wire as they are: read back as latin-1, as a server reads any header."""
    if type(headers) is LoweredHeaders:
        return headers
    # (the text check inline: this runs for every header of every request)
    return {(key if type(key) is str else _text(key)).lower(): value if type(value) is str else _text(value)
            for key, value in headers.items()}


def _text(value: str | bytes) -> str:
    return value if isinstance(value, str) else value.decode("latin-1")


def _headers_repr(headers: Mapping[str, str]) -> str:
    """The headers as repr() shows them: credentials masked, so a logged or failed request leaks no key."""
    secret = ("authorization", "proxy-authorization")
    return repr({key: "<redacted>" if key in secret else value for key, value in headers.items()})


@define(frozen=True)
class HttpRequest:
    method: str
    url: str
    headers: dict[str, str] = field(converter=_lower_keys, factory=dict, repr=_headers_repr)
    body: bytes = b""
    # Set in-process only, by a replay: the tenant number the call is sent as (-1: the whole mock), the
    # mock holding no key to send it with. Transports build requests from the wire without it.
    tenant_number: int | None = field(default=None, kw_only=True)
    # the URL's path, and scheme://host[:port]: split once, as a request's route and journal entry read them
    path: str = field(init=False, eq=False, repr=False)
    base_url: str = field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        # base_url: which transports build from the mock's own address (never from the Host header);
        # file URLs point back there
        parts = urlsplit(self.url)
        object.__setattr__(self, "path", parts.path)
        object.__setattr__(self, "base_url", f"{parts.scheme}://{parts.netloc}")

    def bearer_token(self) -> str | None:
        """The token of `Authorization: Bearer <token>`: None without such a header, "" for an empty token
        (which no key matches, so the API answers 401 and the admin API refuses it)."""
        value = self.header("authorization").strip()
        return value[7:].strip() if value.lower().startswith("bearer ") else None

    def header(self, name: str, default: str = "") -> str:
        return self.headers.get(name.lower(), default)


# allow_nan=False: a non-finite number is a bug to surface, never the non-JSON token `Infinity`.
# Built once: json.dumps with options builds an encoder on every call.
_ENCODER = json.JSONEncoder(separators=(",", ":"), allow_nan=False)


def _json_text(payload: Any) -> str:
    """_ENCODER.encode(payload), calling json's C encoder directly: encode() and iterencode() are two
    Python calls every answer would pay. The circular check (its `markers`) is kept."""
    if c_make_encoder is None:
        return _ENCODER.encode(payload)
    return "".join(c_make_encoder({}, _ENCODER.default, encode_basestring_ascii, None, ":", ",", False, False,
                                  False)(payload, 0))


@define
class HttpResponse:
    status: int
    body: bytes | Iterable[bytes] = b""
    headers: dict[str, str] = Factory(dict)
    # fault injection: close the connection without answering / wait first
    drop_connection: bool = False
    delay: float = 0.0
    truncate: bool = False

    @classmethod
    def json(cls, status: int, payload: Any, headers: Mapping[str, str] | None = None) -> HttpResponse:
        body = _json_text(payload).encode("utf-8")
        return cls(status, body, {"Content-Type": "application/json", **(headers or {})})

    @classmethod
    def text(cls, status: int, message: str) -> HttpResponse:
        return cls(status, message.encode("utf-8"), {"Content-Type": "text/plain; charset=utf-8"})

    def body_bytes(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        joined = b"".join(self.body)
        self.body = joined
        return joined
