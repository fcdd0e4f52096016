"""Labels of a project, as Project.labels() lists them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from attrs import field

from . import documents as docs
from .comparison import Field, queryable
from .entity import Entity
from .exceptions import InvalidQueryError, ResourceNotFoundError
from .fields import parse_datetime

if TYPE_CHECKING:
    from .client import Client
    from .data_row import DataRow
    from .project import Project
    from .user import User


# `order_by=lb.Label.created_at.asc`, as in the SDK's Project.labels
@queryable(uid="id", label="label", created_at="createdAt", updated_at="updatedAt",
           seconds_to_label="secondsToLabel", agreement="agreement", benchmark_agreement="benchmarkAgreement",
           is_benchmark_reference="isBenchmarkReference", deleted="deleted")
class Label(Entity):
    client: Client = field(repr=False)
    uid: Field[str]
    label: Field[str] = field(repr=False)  # the annotations as JSON text: {objects, classifications, relationships}
    created_at: Field[datetime | None]
    updated_at: Field[datetime | None]
    seconds_to_label: Field[float | None] = field(default=None)
    agreement: Field[float | None] = field(default=None)
    benchmark_agreement: Field[float | None] = field(default=None)
    is_benchmark_reference: Field[bool] = field(default=False)
    # False as read (Labelbox lists no deleted label), True once deleted through this object
    deleted: Field[bool] = field(default=False, kw_only=True)

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> Label:
        return cls(client=client, uid=data["id"], label=data["label"], created_at=parse_datetime(data.get("createdAt")),
                   updated_at=parse_datetime(data.get("updatedAt")), seconds_to_label=data.get("secondsToLabel"),
                   agreement=data.get("agreement"), benchmark_agreement=data.get("benchmarkAgreement"),
                   is_benchmark_reference=bool(data.get("isBenchmarkReference")))

    def project(self) -> Project:
        return self.client._project(self._related(docs.GET_LABEL_PROJECT, "project"))

    def data_row(self) -> DataRow:
        return self.client._data_row(self._related(docs.GET_LABEL_DATA_ROW, "dataRow"))

    def _related(self, document: str, key: str) -> dict[str, Any]:
        data = self.client.execute(document, {"param_0": self.uid}, raise_return_resource_not_found=True)
        if not data or data.get("label") is None:
            raise ResourceNotFoundError(Label, {"id": self.uid})
        return data["label"][key]  # type: ignore[no-any-return]

    def created_by(self) -> User | None:
        """Who made the label; None when Labelbox names no one (an imported label may name none)."""
        from .user import related_user

        return related_user(self.client, docs.GET_LABEL_CREATED_BY, self.uid, "label")

    def delete(self) -> None:
        """Deletes the label; model runs that held it forget it."""
        Label.bulk_delete([self])

    @staticmethod
    def bulk_delete(labels: Sequence[Label]) -> None:
        """Deletes the labels, in one request; every one must be a Label (InvalidQueryError otherwise, as the
        SDK refuses objects of several types)."""
        if not labels:
            return
        kinds = {type(label) for label in labels}
        if kinds != {Label}:
            raise InvalidQueryError(f"Can't bulk-delete objects of different types: {kinds!r}")
        labels[0].client.execute(docs.DELETE_LABELS, {"labelIds": [label.uid for label in labels]},
                                 raise_return_resource_not_found=True)
        for label in labels:
            label.deleted = True
