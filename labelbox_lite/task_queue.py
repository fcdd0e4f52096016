"""Task queues: the steps of a project's workflow that hold data rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attrs import define, field

from .entity import Entity

if TYPE_CHECKING:
    from .client import Client


@define(eq=False)
class TaskQueue(Entity):
    client: Client = field(repr=False)
    uid: str
    name: str
    description: str | None
    queue_type: str | None
    data_row_count: int

    @classmethod
    def from_api(cls, client: Client, node: dict[str, Any]) -> TaskQueue:
        return cls(client=client, uid=node["id"], name=node["name"], description=node.get("description"),
                   queue_type=node.get("queueType"), data_row_count=int(node.get("dataRowCount") or 0))
