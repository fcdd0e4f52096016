"""The data-row upload path, as the Labelbox SDK takes it: specs in chunk files, a manifest, one task.

Each item becomes a spec `{"id": {"type": AUTO|ID|GKEY, "value"}, "payload"}`;
the specs are uploaded as JSON chunks of at most `CHUNK_BYTES`, a manifest
naming the chunks is uploaded last, and `upsertDataRows` is asked for it. The
server checks every spec on its own and answers per row (DataUpsertTask).
Metadata is given by schema id or name and resolved against the
organisation's metadata ontology before anything is sent.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from attrs import define

from . import documents as docs
from .identifiables import GlobalKey, UniqueId
from .task import Task

if TYPE_CHECKING:
    from .client import Client

CHUNK_BYTES = 10_000_000  # the SDK's UPSERT_CHUNK_SIZE_BYTES
RESULTS_PAGE_SIZE = 5000
ROW_KEYS = frozenset({
    "row_data", "global_key", "external_id", "media_type", "metadata_fields", "attachments", "embeddings",
})
ATTACHMENT_TYPES = frozenset({
    "AUDIO", "VIDEO", "IMAGE", "IMAGE_OVERLAY", "HTML", "RAW_TEXT", "TEXT_URL", "PDF_URL", "CAMERA_IMAGE",
})


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Specs are many small objects that all stay alive until sent; the cyclic collector would rescan
    them again and again as they grow (per-row cost then rises with the upload's size)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@define
class DataRowUpsertItem:
    """One upsert: `id` is {"type": AUTO|ID|GKEY, "value"}, `payload` the row's fields and its dataset."""

    id: dict[str, str]
    payload: dict[str, Any]

    def is_empty(self) -> bool:
        return not self.payload or set(self.payload) == {"dataset_id"}

    @classmethod
    def build(cls, dataset_id: str, items: Iterable[Mapping[str, Any]],
              key_types: tuple[type, ...] = (UniqueId, GlobalKey)) -> list[DataRowUpsertItem]:
        with _collector_paused():
            return [cls._one(dataset_id, item, key_types) for item in items]

    @classmethod
    def _one(cls, dataset_id: str, item: Mapping[str, Any], key_types: tuple[type, ...]) -> DataRowUpsertItem:
        fields = {key: value for key, value in item.items() if value is not None}
        key = fields.pop("key", None)
        if key is None:
            spec_id = {"type": "AUTO", "value": ""}
        elif key_types and isinstance(key, key_types) and isinstance(key, (UniqueId, GlobalKey)):
            if not isinstance(key.key, str) or not key.key:
                raise ValueError(f"a {type(key).__name__} is a non-empty string, got {key.key!r}")
            spec_id = {"type": key.id_type, "value": key.key}
        elif not key_types:
            raise ValueError(f"Can not have a key for this item, got: {key}")
        else:
            raise ValueError(f"Key must be an instance of {', '.join(t.__name__ for t in key_types)}, "
                             f"got: {type(key).__name__}")
        return cls(id=spec_id, payload={**fields, "dataset_id": dataset_id})


class MetadataOntology:
    """The organisation's metadata schemas, read once, by id and by name."""

    def __init__(self, client: Client | None, schemas: Sequence[dict[str, Any]] | None = None) -> None:
        """Reads the ontology through `client`, unless its `schemas` (as customMetadataOntology lists them) are given."""
        if schemas is None:
            assert client is not None
            schemas = client.execute(docs.GET_METADATA_ONTOLOGY)["customMetadataOntology"]
        self.by_id: dict[str, dict[str, Any]] = {}
        self.by_name: dict[str, dict[str, Any]] = {}
        self.parent_of: dict[str, str] = {}
        for schema in schemas:
            self.by_id[schema["id"]] = schema
            self.by_name[schema["name"]] = schema
            for option in schema.get("options") or []:
                self.by_id[option["id"]] = option
                self.parent_of[option["id"]] = schema["id"]

    def upsert_fields(self, fields: Sequence[Any]) -> list[dict[str, Any]]:
        """Metadata as the upsert sends it: {schemaId, value}, an enum as its schema and its option."""
        out: list[dict[str, Any]] = []
        for field in fields:
            schema_id, name, value = _metadata_parts(field)
            if schema_id is None:
                if name not in self.by_name:
                    raise KeyError(f"'{name}' is not a valid custom metadata")
                schema_id = self.by_name[name]["id"]
            schema = self.by_id.get(schema_id)
            if schema is None:
                raise ValueError(f"Schema Id `{schema_id}` not found in ontology")
            kind = schema["kind"]
            if kind == "CustomMetadataEnum":
                options = {o["id"]: o for o in schema.get("options") or []}
                by_name = {o["name"]: o["id"] for o in options.values()}
                option = value if value in options else by_name.get(value)
                if option is None:
                    raise ValueError(f"Option `{value}` not found for {schema_id}")
                out += [{"schemaId": schema_id, "value": {}}, {"schemaId": option, "value": {}}]
            elif kind == "CustomMetadataEnumOption":
                raise ValueError("An Option id should not be set as the Schema id")
            elif kind == "CustomMetadataNumber":
                out.append({"schemaId": schema_id, "value": float(value)})
            elif kind == "CustomMetadataDateTime":
                out.append({"schemaId": schema_id, "value": _utc_text(value, schema["name"])})
            elif kind == "CustomMetadataString":
                if not isinstance(value, str):
                    raise ValueError(f"Expected a string value for metadata {schema['name']!r}, "
                                     f"found {type(value).__name__}")
                out.append({"schemaId": schema_id, "value": value})
            else:
                out.append({"schemaId": schema_id, "value": value})
        return out


def _utc_text(value: Any, name: str) -> str:
    """A datetime value as the SDK sends it: UTC, to the second (2024-01-02T03:04:05Z); text is read as ISO 8601,
    UTC when it names no offset."""
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"Expected an ISO 8601 time for metadata {name!r}, found {value!r}") from None
        value = parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)
    if not isinstance(value, datetime):
        raise ValueError(f"Value for datetime fields must be either a string or datetime object. Found {type(value)}")
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _metadata_parts(field: Any) -> tuple[str | None, str | None, Any]:
    if isinstance(field, Mapping):
        if "value" not in field:
            raise ValueError(f"Custom metadata field '{field}' must have a 'value' key")
        schema_id = field.get("schema_id", field.get("schemaId"))
        if schema_id is None and "name" not in field:
            raise ValueError(f"Custom metadata field '{field}' must have either 'schema_id' or 'name' key")
        return schema_id, field.get("name"), field["value"]
    schema_id = getattr(field, "schema_id", None)
    name = getattr(field, "name", None)
    if schema_id is None and name is None:
        raise ValueError(f"Metadata field '{field}' is neither a dict nor a DataRowMetadataField")
    return schema_id, name, getattr(field, "value", None)


def _checked_payload(item: DataRowUpsertItem, creating: bool, metadata: MetadataOntology | None) -> dict[str, Any]:
    payload = dict(item.payload)
    unknown = set(payload) - ROW_KEYS - {"dataset_id"}
    if unknown:
        raise ValueError(f"not data row fields: {', '.join(sorted(unknown))} (fields: {', '.join(sorted(ROW_KEYS))})")
    row_data = payload.get("row_data")
    if creating and (row_data is None or len(row_data) == 0):
        raise ValueError("`row_data` missing when creating DataRow.")
    if isinstance(row_data, str) and row_data.startswith("s3:/"):
        raise ValueError("row_data: s3 assets must start with 'https'.")
    attachments = payload.get("attachments")
    if attachments is not None:
        if not isinstance(attachments, list):
            raise ValueError(f"Attachments must be a list. Found {type(attachments)}")
        for attachment in attachments:
            kind = str(getattr(attachment.get("type"), "value", attachment.get("type")))
            if kind not in ATTACHMENT_TYPES:
                raise ValueError(f"attachment type must be one of {', '.join(sorted(ATTACHMENT_TYPES))}, got {kind!r}")
        payload["attachments"] = [{**a, "type": str(getattr(a["type"], "value", a["type"]))} for a in attachments]
    if payload.get("metadata_fields"):
        assert metadata is not None
        payload["metadata_fields"] = metadata.upsert_fields(payload["metadata_fields"])
    media_type = payload.get("media_type")
    if media_type is not None:
        payload["media_type"] = str(getattr(media_type, "value", media_type)).upper()
    return payload


def _chunks(specs: list[dict[str, Any]], limit: int) -> Iterable[str]:
    """JSON lists of at most `limit` bytes (a spec bigger than that goes alone); each spec is encoded
    once, so the cost stays linear in the upload's size."""
    parts: list[str] = []
    size = 2  # the brackets
    for spec in specs:
        text = json.dumps(spec)
        length = len(text.encode("utf-8")) + 2  # and the ", " before it
        if parts and size + length > limit:
            yield "[" + ", ".join(parts) + "]"
            parts, size = [], 2
        parts.append(text)
        size += length
    if parts:
        yield "[" + ", ".join(parts) + "]"


def upload_specs(client: Client, items: Sequence[DataRowUpsertItem], creating: bool,
                 chunk_bytes: int = CHUNK_BYTES) -> DataUpsertTask:
    """Checks every item (raising before anything is sent), uploads chunks and the manifest, starts the task.

    `creating` (create_data_rows) requires row_data of every item here, as the SDK does; an upsert
    leaves that to the server, which reports a new row without it per row.
    """
    if not items:
        raise ValueError("no data rows given: pass at least one item")
    empty = [item for item in items if item.is_empty() or (creating and not item.payload.get("row_data"))]
    if empty:
        keys = [item.id.get("value") for item in empty if item.id.get("value")]
        raise ValueError(f"The following items have an empty payload: {keys}" if keys
                         else "Some items have an empty payload")
    metadata = MetadataOntology(client) if any(item.payload.get("metadata_fields") for item in items) else None
    with _collector_paused():
        specs = [{"id": item.id, "payload": _checked_payload(item, creating, metadata)} for item in items]
        chunks = list(_chunks(specs, chunk_bytes))
    chunk_uris = [client.upload_data(chunk, filename="json_import.json", content_type="application/json")
                  for chunk in chunks]
    manifest = json.dumps({"source": "SDK", "item_count": len(specs), "chunk_uris": chunk_uris})
    manifest_uri = client.upload_data(manifest, filename="manifest.json", content_type="application/json")
    data = client.execute(docs.UPSERT_DATA_ROWS_FROM_MANIFEST, {"manifestUri": manifest_uri})
    task = DataUpsertTask.from_api(client, data["upsertDataRows"])
    assert isinstance(task, DataUpsertTask)
    return task


class DataUpsertTask(Task):
    """An upsert's task: `result` lists the rows created or updated, `errors` each refused item and why."""

    def has_errors(self) -> bool:
        return self.status == "FAILED" or bool(self._failures(1))

    @property
    def result(self) -> list[dict[str, Any]] | None:
        if self.status == "FAILED":
            raise ValueError(f"Job failed. Errors : {self.errors}")
        rows = [{"id": node["id"], "external_id": node.get("externalId"), "row_data": node.get("rowData"),
                 "global_key": node.get("globalKey")}
                for node in _pages(self.client, docs.SUCCESSFUL_DATA_ROW_IMPORTS, self.uid,
                                   "successesfulDataRowImports", "nodes")]
        return rows or None

    @property
    def errors(self) -> list[dict[str, Any]] | None:
        return self._failures(None) or None

    @property
    def created_data_rows(self) -> list[dict[str, Any]] | None:
        return self.result

    @property
    def failed_data_rows(self) -> list[dict[str, Any]] | None:
        return self.errors

    def _failures(self, limit: int | None) -> list[dict[str, Any]]:
        out = []
        for failure in _pages(self.client, docs.FAILED_DATA_ROW_IMPORTS, self.uid, "failedDataRowImports",
                              "results", limit):
            spec = failure.get("spec") or {}
            out.append({"message": failure["message"], "failedDataRows": [{
                "externalId": spec.get("externalId"), "rowData": spec.get("rowData"),
                "globalKey": spec.get("globalKey"), "metadata": spec.get("metadata") or [],
                "attachments": spec.get("attachments") or [],
            }]})
        return out


def _pages(client: Client, document: str, task_id: str, key: str, items: str,
           limit: int | None = None) -> Iterable[dict[str, Any]]:
    cursor: str | None = None
    seen = 0
    while True:
        page = client.execute(document, {"taskId": task_id, "first": limit or RESULTS_PAGE_SIZE,
                                         "from": cursor})[key]
        for item in page[items]:
            yield item
            seen += 1
            if limit is not None and seen >= limit:
                return
        cursor = page.get("after")
        if not cursor:
            return
