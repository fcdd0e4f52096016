"""The caller: their user and organisation."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from attrs import define, field

from .entity import Entity
from .fields import parse_datetime

if TYPE_CHECKING:
    from .client import Client


@define(eq=False)
class User(Entity):
    client: Client = field(repr=False)
    uid: str
    email: str
    name: str
    nickname: str | None
    created_at: datetime | None
    updated_at: datetime | None
    is_viewer: bool = False
    is_external_user: bool = False

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> User:
        return cls(
            client=client, uid=data["id"], email=data["email"], name=data["name"], nickname=data.get("nickname"),
            created_at=parse_datetime(data.get("createdAt")), updated_at=parse_datetime(data.get("updatedAt")),
            is_viewer=bool(data.get("isViewer")), is_external_user=bool(data.get("isExternalUser")),
        )



@define(eq=False)
class Organization(Entity):
    client: Client = field(repr=False)
    uid: str
    name: str
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> Organization:
        return cls(client=client, uid=data["id"], name=data["name"], created_at=parse_datetime(data.get("createdAt")),
                   updated_at=parse_datetime(data.get("updatedAt")))
