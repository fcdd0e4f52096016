"""The caller: their user and organisation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define, field

from .entity import Entity
from .exceptions import ResourceNotFoundError
from .fields import parse_datetime

if TYPE_CHECKING:
    from .client import Client

T = TypeVar("T")


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


def related_user(client: Client, document: str, entity_id: str, root: str, key: str = "createdBy") -> User | None:
    """A `created_by` relationship as the SDK reads it: `<root>(where: {id}) {<key> {...}}`; None when
    Labelbox names no creator; ResourceNotFoundError when the entity itself is gone."""
    return _related(client, document, entity_id, root, key, User.from_api)


def related_organization(client: Client, document: str, entity_id: str, root: str) -> Organization:
    found = _related(client, document, entity_id, root, "organization", Organization.from_api)
    assert found is not None  # the API's organization of an entity is never null
    return found


def _related(client: Client, document: str, entity_id: str, root: str, key: str,
             build: Callable[[Client, dict[str, Any]], T]) -> T | None:
    data = client.execute(document, {"param_0": entity_id}, raise_return_resource_not_found=True)
    holder = (data or {}).get(root)
    if holder is None:
        raise ResourceNotFoundError(message=f"no {root} with id {entity_id!r}")
    value = holder.get(key)
    return None if value is None else build(client, value)
