"""Model slices: saved queries over a model's data rows, read by the data rows they select in a run."""

from __future__ import annotations

import warnings
from datetime import datetime
from typing import TYPE_CHECKING, Any

from attrs import field, frozen

from . import documents as docs
from .comparison import Field, queryable
from .entity import Entity
from .fields import parse_datetime
from .identifiables import GlobalKey, UniqueId
from .pagination import CursorCollection

if TYPE_CHECKING:
    from .client import Client


@frozen
class DataRowIdAndGlobalKey:
    """One row a slice selects: its id and, when it has one, its global key (the SDK's single forms)."""

    id: UniqueId
    global_key: GlobalKey | None

    @classmethod
    def from_node(cls, node: dict[str, Any]) -> DataRowIdAndGlobalKey:
        key = node.get("globalKey")
        return cls(UniqueId(node["id"]), GlobalKey(key) if key else None)

    def to_hash(self) -> dict[str, str | None]:
        return {"id": self.id.key, "global_key": self.global_key.key if self.global_key else None}


_RowIdentifier = DataRowIdAndGlobalKey  # for annotations inside ModelSlice, whose attribute shadows the name


@queryable(uid="id", deleted="deleted")
class ModelSlice(Entity):
    client: Client = field(repr=False)
    uid: Field[str]
    name: str
    description: str | None
    filter: Any
    created_at: datetime | None
    updated_at: datetime | None
    deleted: Field[bool] = field(default=False)  # a slice read from the API is not deleted

    DataRowIdAndGlobalKey = DataRowIdAndGlobalKey  # where the SDK has it (Slice.DataRowIdAndGlobalKey)

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> ModelSlice:
        return cls(client=client, uid=data["id"], name=data["name"], description=data.get("description"),
                   filter=data.get("filter"), created_at=parse_datetime(data.get("createdAt")),
                   updated_at=parse_datetime(data.get("updatedAt")))

    @classmethod
    def query_str(cls) -> str:
        """The document that pages a slice's rows in a model run (the SDK's classmethod)."""
        return docs.GET_MODEL_SLICE_ROWS

    def get_data_row_identifiers(self, model_run_id: str) -> CursorCollection[_RowIdentifier]:
        """The rows of model run `model_run_id` this slice selects, ids and global keys, a page at a time."""
        return CursorCollection(self._fetch(model_run_id), _RowIdentifier.from_node)

    def get_data_row_ids(self, model_run_id: str) -> CursorCollection[str]:
        """Deprecated (in the SDK too): the ids alone; use get_data_row_identifiers."""
        warnings.warn("The method get_data_row_ids for ModelSlice is deprecated; use get_data_row_identifiers",
                      DeprecationWarning, stacklevel=2)
        return CursorCollection(self._fetch(model_run_id), lambda node: str(node["id"]))

    def _fetch(self, model_run_id: str) -> Any:
        cursors: dict[str, dict[str, Any]] = {}  # the connection's cursor is an object; pages pass its row id

        def fetch(after: str | None) -> tuple[list[Any], str | None]:
            data = self.client.execute(docs.GET_MODEL_SLICE_ROWS, {
                "id": self.uid, "modelRunId": model_run_id, "from": cursors.get(after or ""), "first": PAGE_SIZE},
                raise_return_resource_not_found=True)
            connection = data["getDataRowIdentifiersBySavedModelQuery"]
            end = connection["pageInfo"]["endCursor"]
            if end is None:
                return connection["nodes"], None
            cursors[end["dataRowId"]] = end
            return connection["nodes"], end["dataRowId"]

        return fetch


PAGE_SIZE = 100


def get_model_slice(client: Client, slice_id: str) -> ModelSlice:
    data = client.execute(docs.GET_MODEL_SLICE, {"id": slice_id})
    found = (data or {}).get("getSavedQuery")
    if found is None:
        from .exceptions import ResourceNotFoundError

        raise ResourceNotFoundError(ModelSlice, {"id": slice_id}, message=f"The model slice {slice_id} does not exist.")
    return ModelSlice.from_api(client, found)
