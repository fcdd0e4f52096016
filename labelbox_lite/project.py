"""Projects, as the model-run surface reads them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from attrs import define, field

from .entity import Entity
from .fields import parse_datetime

if TYPE_CHECKING:
    from .client import Client


@define(eq=False)
class Project(Entity):
    client: Client = field(repr=False)
    uid: str
    name: str
    description: str | None
    media_type: str | None
    data_row_count: int
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> Project:
        return cls(
            client=client, uid=data["id"], name=data["name"], description=data.get("description"),
            media_type=data.get("allowedMediaType"), data_row_count=int(data.get("dataRowCount") or 0),
            created_at=parse_datetime(data.get("createdAt")), updated_at=parse_datetime(data.get("updatedAt")),
        )
