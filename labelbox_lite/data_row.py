"""Data rows: reads, their dataset and attachments (made, changed, deleted), deletion, and catalog exports of
listed rows."""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

from attrs import define, field

from .comparison import Field, queryable
from .data_row_metadata import DataRowMetadataField
from .entity import Entity
from .fields import parse_datetime
from .not_ported import members

if TYPE_CHECKING:
    from .catalog_export import CatalogExportParams
    from .client import Client
    from .dataset import Dataset
    from .export_task import ExportTask
    from .label import Label
    from .pagination import PaginatedCollection
    from .task import Task
    from .user import Organization, User

logger = logging.getLogger(__name__)


class AttachmentType(str, Enum):
    AUDIO = "AUDIO"
    VIDEO = "VIDEO"
    IMAGE = "IMAGE"
    IMAGE_OVERLAY = "IMAGE_OVERLAY"
    HTML = "HTML"
    RAW_TEXT = "RAW_TEXT"
    TEXT_URL = "TEXT_URL"
    PDF_URL = "PDF_URL"
    CAMERA_IMAGE = "CAMERA_IMAGE"


# `lb.DataRow.external_id == "a"` builds Dataset.data_rows' where clause, as in the SDK
@queryable(uid="id", external_id="externalId", global_key="globalKey", row_data="rowData", deleted="deleted")
class DataRow(Entity):
    client: Client = field(repr=False)
    uid: Field[str]
    row_data: Field[str]
    external_id: Field[str | None]
    global_key: Field[str | None]
    media_attributes: dict[str, Any] | None
    metadata_fields: list[dict[str, Any]]
    created_at: datetime | None
    updated_at: datetime | None
    # the row's values as the API lists them ({schemaId, value}); `metadata` reads them as fields
    custom_metadata: list[dict[str, Any]] = field(factory=list, repr=False, kw_only=True)
    # False as read (Labelbox lists no deleted row), True once deleted through this object
    deleted: Field[bool] = field(default=False, kw_only=True)

    # what create_attachment takes (the SDK's two names for one set)
    supported_meta_types = supported_attachment_types = frozenset(AttachmentType.__members__)

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> DataRow:
        return cls(
            client=client, uid=data["id"], row_data=data["rowData"], external_id=data.get("externalId"),
            global_key=data.get("globalKey"), media_attributes=data.get("mediaAttributes"),
            metadata_fields=list(data.get("metadataFields") or []),
            created_at=parse_datetime(data.get("createdAt")), updated_at=parse_datetime(data.get("updatedAt")),
            custom_metadata=list(data.get("customMetadata") or []),
        )

    @property
    def metadata(self) -> list[DataRowMetadataField]:
        """The row's metadata values as DataRowMetadataFields (named, an enum as its option), read through the
        organisation's metadata ontology (one request per client, on first use)."""
        ontology = self.client.get_data_row_metadata_ontology()
        try:
            return ontology.parse_metadata_fields(self.custom_metadata)
        except ValueError:  # a schema the ontology does not know: the SDK keeps the values unparsed
            logger.warning("Failed to convert value '%s' to metadata for field DataRow.metadata", self.custom_metadata)
            return [DataRowMetadataField(schema_id=v["schemaId"], value=v.get("value")) for v in self.custom_metadata]

    # -- relationships ---------------------------------------------------------------------------
    def created_by(self) -> User | None:
        """Who created the row; None when Labelbox names no one."""
        from . import documents as docs
        from .user import related_user

        return related_user(self.client, docs.GET_DATA_ROW_CREATED_BY, self.uid, "dataRow")

    def organization(self) -> Organization:
        from . import documents as docs
        from .user import related_organization

        return related_organization(self.client, docs.GET_DATA_ROW_ORGANIZATION, self.uid, "dataRow")

    def labels(self, where: object = None, order_by: tuple[Any, Any] | None = None) -> PaginatedCollection[Label]:
        """The row's labels in every project, oldest first (deleted labels left out, as the SDK leaves them out);
        `where` is the SDK's clause on Label, sent as the SDK sends it (the mock filters by `lb.Label.uid ==`),
        `order_by` sorts them (`lb.Label.created_at.desc`)."""
        from . import documents as docs
        from .comparison import Op, order_by_input, where_input
        from .label import Label
        from .pagination import PaginatedCollection

        clause = where_input(Label, where, frozenset(Op))
        not_deleted = {"deleted": False}
        combined = {"AND": [clause, not_deleted]} if clause else not_deleted
        order = None if order_by is None else order_by_input(Label, order_by)

        def fetch(skip: int, first: int) -> list[Any]:
            data = self.client.execute(docs.GET_DATA_ROW_LABELS, {
                "param_1": self.uid, "where": combined, "skip": skip, "first": first, "orderBy": order},
                raise_return_resource_not_found=True)
            return list(data["dataRow"]["labels"])

        return PaginatedCollection(fetch, lambda item: Label.from_api(self.client, item))

    # -- catalog -----------------------------------------------------------------------------------
    def dataset(self) -> Dataset:
        from . import documents as docs

        data = self.client.execute(docs.DATA_ROW_DATASET, {"id": self.uid}, raise_return_resource_not_found=True)
        return self.client._dataset(data["dataRow"]["dataset"])

    def attachments(self) -> list[AssetAttachment]:
        from . import documents as docs

        data = self.client.execute(docs.DATA_ROW_ATTACHMENTS, {"id": self.uid}, raise_return_resource_not_found=True)
        return [AssetAttachment.from_api(self.client, a) for a in data["dataRow"]["attachments"]]

    def create_attachment(self, attachment_type: str, attachment_value: str,
                          attachment_name: str | None = None) -> AssetAttachment:
        """Attaches something labelers see beside the asset: an image, a text, an HTML page, a video..."""
        from . import documents as docs

        AssetAttachment.validate_attachment_json({"type": attachment_type, "value": attachment_value})
        data = self.client.execute(docs.CREATE_DATA_ROW_ATTACHMENT, {
            "type": _type_name(attachment_type), "value": attachment_value, "name": attachment_name,
            "dataRowId": self.uid}, raise_return_resource_not_found=True)
        return AssetAttachment.from_api(self.client, data["createDataRowAttachment"])

    def get_winning_label_id(self, project_id: str) -> str | None:
        """The id of the row's winning label in the project (the one exports carry), or None while it has no
        label there; ResourceNotFoundError for a project that does not exist."""
        from . import documents as docs

        data = self.client.execute(docs.GET_WINNING_LABEL_ID, {"dataRowId": self.uid, "projectId": project_id},
                                   raise_return_resource_not_found=True)
        return data["dataRow"]["labelingActivity"]["selectedLabelId"]  # type: ignore[no-any-return]

    def update(self, **kwargs: Any) -> None:
        """Changes the row's external_id, global_key, row_data (a dict is sent as its JSON text) or
        metadata_fields, as the SDK's DataRow.update; at least one of the first three must be given, and none
        empty. Labelbox refuses a global key another row holds (InvalidQueryError)."""
        from . import documents as docs
        from .exceptions import InvalidAttributeError

        primary = ["external_id", "global_key", "row_data"]
        for name in primary:
            if kwargs.get(name) in ("", {}):
                raise ValueError(f"{name} cannot be empty if it is set")
        if not any(kwargs.get(name) for name in primary):
            raise ValueError(f"At least one of these fields needs to be present: {primary}")
        unknown = set(kwargs) - set(_UPDATABLE)
        if unknown:
            raise InvalidAttributeError(f"DataRow has no field(s) {sorted(unknown)} to update; it updates "
                                        f"{sorted(_UPDATABLE)}")
        changes = dict(kwargs)
        if isinstance(changes.get("row_data"), dict):
            changes["row_data"] = json.dumps(changes["row_data"])
        if changes.get("metadata_fields") is not None:
            changes["metadata_fields"] = self._metadata_input(changes["metadata_fields"])
        data = self.client.execute(docs.UPDATE_DATA_ROW, {
            "DataRowId": self.uid, "data": {_UPDATABLE[name]: value for name, value in changes.items()}},
            raise_return_resource_not_found=True)["updateDataRow"]
        self._set(DataRow.from_api(self.client, data))

    def _metadata_input(self, fields: Sequence[Any]) -> list[Any]:
        """metadata_fields as the API takes them: a DataRowMetadataField is resolved through the ontology
        (by name, an enum as its schema and option); a dict is sent as given, as the SDK sends it."""
        ontology = self.client.get_data_row_metadata_ontology()
        out: list[Any] = []
        for value in fields:
            out.extend(ontology.parse_upsert_metadata([value]) if isinstance(value, DataRowMetadataField) else [value])
        return out

    def _set(self, read: DataRow) -> None:
        for name in ("row_data", "external_id", "global_key", "media_attributes", "metadata_fields", "created_at",
                     "updated_at", "custom_metadata"):
            setattr(self, name, getattr(read, name))

    def delete(self) -> None:
        """Deletes the row, and its labels; batches and queues drop it."""
        DataRow.bulk_delete([self])

    @staticmethod
    def bulk_delete(data_rows: Sequence[DataRow]) -> None:
        from . import documents as docs

        if not data_rows:
            return
        data_rows[0].client.execute(docs.DELETE_DATA_ROWS, {"ids": [row.uid for row in data_rows]})
        for row in data_rows:
            row.deleted = True

    @staticmethod
    def export(client: Client, data_rows: Sequence[DataRow | str] | None = None,
               global_keys: Sequence[str] | None = None, task_name: str | None = None,
               params: CatalogExportParams | None = None) -> ExportTask:
        """A catalog export of the rows listed (by DataRow, id, or global key)."""
        from .export_task import ExportTask

        exported = _export_rows(client, data_rows, global_keys, task_name, params, None)
        assert isinstance(exported, ExportTask)
        return exported

    @staticmethod
    def export_v2(client: Client, data_rows: Sequence[DataRow | str] | None = None,
                  global_keys: Sequence[str] | None = None, task_name: str | None = None,
                  params: CatalogExportParams | None = None) -> Task | ExportTask:
        return _export_rows(client, data_rows, global_keys, task_name, params, "DataRow")


# DataRow.update's keywords, and the DataRowUpdateInput field each sets
_UPDATABLE = {"external_id": "externalId", "global_key": "globalKey", "row_data": "rowData",
              "metadata_fields": "metadataFields"}


def _type_name(kind: Any) -> str:
    return str(getattr(kind, "value", kind))


@define(eq=False)
class AssetAttachment:
    """An attachment of a data row; `update` and `delete` change it where it is stored."""
    __getattr__ = members()  # an SDK member not ported names itself (docs/porting.md)

    client: Client = field(repr=False)
    uid: str
    attachment_type: str
    attachment_value: str
    attachment_name: str | None = None
    deleted: bool = field(default=False, kw_only=True)  # True once deleted through this object

    # the SDK's class constants, one per AttachmentType, and `topic`: the loop variable that made them,
    # which stays on its class as the last type
    AUDIO, VIDEO, IMAGE, IMAGE_OVERLAY, HTML, RAW_TEXT, TEXT_URL, PDF_URL, CAMERA_IMAGE = (
        kind.value for kind in AttachmentType)
    topic = AttachmentType.CAMERA_IMAGE

    @classmethod
    def from_api(cls, client: Client, data: dict[str, Any]) -> AssetAttachment:
        return cls(client=client, uid=data["id"], attachment_type=data["type"], attachment_value=data["value"],
                   attachment_name=data.get("name"))

    @classmethod
    def validate_attachment_json(cls, attachment_json: dict[str, Any]) -> None:
        """The SDK's check before anything is sent: a `type` and a `value`, both good."""
        for key in ("type", "value"):
            if key not in attachment_json:
                raise ValueError(f"Must provide a `{key}` key for each attachment. Found {attachment_json}.")
        cls.validate_attachment_value(attachment_json["value"])
        cls.validate_attachment_type(attachment_json["type"])

    @classmethod
    def validate_attachment_value(cls, attachment_value: Any) -> None:
        if not isinstance(attachment_value, str) or attachment_value == "":
            raise ValueError(f"Attachment value must be a non-empty string, got: '{attachment_value}'")

    @classmethod
    def validate_attachment_type(cls, attachment_type: Any) -> None:
        valid = set(AttachmentType.__members__)
        if _type_name(attachment_type) not in valid:
            raise ValueError(f"attachment_type must be one of {sorted(valid)}. Found {attachment_type}")

    def update(self, name: str | None = None, type: str | None = None,  # noqa: A002 - the SDK's keyword
               value: str | None = None) -> None:
        """Changes the fields given; the others keep their values."""
        from . import documents as docs

        if not name and not type and value is None:
            raise ValueError("At least one of the following must be provided: name, type, value")
        params: dict[str, Any] = {"attachment_id": self.uid}
        if type:
            self.validate_attachment_type(type)
            params["type"] = _type_name(type)
        if value is not None:
            self.validate_attachment_value(value)
            params["value"] = value
        if name:
            params["name"] = name
        data = self.client.execute(docs.UPDATE_DATA_ROW_ATTACHMENT, params,
                                   raise_return_resource_not_found=True)["updateDataRowAttachment"]
        self.attachment_name, self.attachment_type, self.attachment_value = data["name"], data["type"], data["value"]

    def delete(self) -> None:
        from . import documents as docs

        self.client.execute(docs.DELETE_DATA_ROW_ATTACHMENT, {"attachment_id": self.uid},
                            raise_return_resource_not_found=True)
        self.deleted = True


def _export_rows(client: Client, data_rows: Sequence[DataRow | str] | None, global_keys: Sequence[str] | None,
                 task_name: str | None, params: CatalogExportParams | None, v2_of: str | None) -> Task | ExportTask:
    from . import documents as docs
    from .catalog_export import catalog_export_input, search_query, start_export

    ids = [row.uid if isinstance(row, DataRow) else row for row in data_rows or []]
    if not ids and not global_keys:
        raise ValueError("give data_rows or global_keys to export")
    filters = {"data_row_ids": ids} if ids else {"global_keys": list(global_keys or [])}
    name = task_name or f"Export v2: data rows {len(ids) or len(global_keys or [])}"
    request = catalog_export_input(name, search_query(filters), params, streamable=v2_of is None)
    return start_export(client, docs.EXPORT_CATALOG, "exportDataRowsInCatalog", request, v2_of)
