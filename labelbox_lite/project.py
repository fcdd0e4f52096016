"""Projects, as the model-run surface reads them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from attrs import define, field

from . import documents as docs
from .catalog_export import ProjectExports
from .entity import Entity
from .fields import parse_datetime
from .pagination import CursorCollection

if TYPE_CHECKING:
    from .batch import Batch
    from .client import Client
    from .data_row import DataRow
    from .task_queue import TaskQueue

PAGE_SIZE = 100


@define(eq=False)
class Project(ProjectExports, Entity):
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

    def create_batch(self, name: str, data_rows: Sequence[str | DataRow] | None = None, priority: int = 5,
                     consensus_settings: dict[str, Any] | None = None,
                     global_keys: Sequence[str] | None = None) -> Batch:
        """Sends data rows (by id or DataRow, or by global key) to the project as a batch named `name`.

        `name` must be unique in the project; priority runs from 1 (highest) to 5. Rows
        that cannot join (unknown, or already in the project) are listed in the
        batch's `failed_data_row_ids`. Up to 100,000 rows; from 1,000 on, the batch is
        filled by an asynchronous task, which this waits for.
        """
        from .batch import create_batch

        return create_batch(self.client, self.uid, name, data_rows, priority, consensus_settings, global_keys)

    def batches(self) -> CursorCollection[Batch]:
        """The project's batches, oldest first, a page at a time."""
        from .batch import Batch

        def fetch(cursor: str | None) -> tuple[list[Any], str | None]:
            data = self.client.execute(docs.GET_PROJECT_BATCHES,
                                       {"from": cursor, "first": PAGE_SIZE, "projectId": self.uid},
                                       experimental=True, raise_return_resource_not_found=True)
            page = data["project"]["batches"]
            return page["nodes"], page["pageInfo"]["endCursor"]

        return CursorCollection(fetch, lambda node: Batch.from_api(self.client, self.uid, node))

    def task_queues(self) -> list[TaskQueue]:
        """The workflow's task queues (Done is a step, not a queue, and is not listed)."""
        from .task_queue import TaskQueue

        data = self.client.execute(docs.GET_PROJECT_TASK_QUEUES, {"projectId": self.uid}, experimental=True,
                                   raise_return_resource_not_found=True)
        return [TaskQueue.from_api(self.client, node) for node in data["project"]["taskQueues"]]
