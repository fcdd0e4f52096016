"""Data rows, as the model-run surface reads them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from attrs import define, field

from .entity import Entity
from .fields import parse_datetime

if TYPE_CHECKING:
    from .client import Client


@define(eq=False)
class DataRow(Entity):
    client: Client = field(repr=False)
    uid: str
    row_data: str
    external_id: str | None
    global_key: str | None
    media_attributes: dict[str, Any] | None
    metadata_fields: list[dict[str, Any]]
    created_at: datetime | None
    updated_at: datetime | None

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> DataRow:
        return cls(
            client=client, uid=data["id"], row_data=data["rowData"], external_id=data.get("externalId"),
            global_key=data.get("globalKey"), media_attributes=data.get("mediaAttributes"),
            metadata_fields=list(data.get("metadataFields") or []),
            created_at=parse_datetime(data.get("createdAt")), updated_at=parse_datetime(data.get("updatedAt")),
        )
