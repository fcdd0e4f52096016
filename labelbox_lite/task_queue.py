"""Task queues: the steps of a project's workflow that hold data rows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from attrs import field

from .comparison import Field, queryable
from .entity import Entity

if TYPE_CHECKING:
    from .client import Client


@queryable(uid="id", deleted="deleted")
class TaskQueue(Entity):
    client: Client = field(repr=False)
    uid: Field[str]
    name: str
    description: str | None
    queue_type: str | None
    data_row_count: int
    deleted: Field[bool] = field(default=False)  # a queue read from the API is not deleted

    @classmethod
    def from_api(cls, client: Client, node: dict[str, Any]) -> TaskQueue:
        return cls(client=client, uid=node["id"], name=node["name"], description=node.get("description"),
                   queue_type=node.get("queueType"), data_row_count=int(node.get("dataRowCount") or 0))
