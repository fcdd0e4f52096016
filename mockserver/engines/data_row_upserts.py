"""Data-row upserts: the SDK's upload path, run as a task.

The SDK uploads its specs in JSON chunk files and a manifest naming them
(`{"source", "item_count", "chunk_uris"}`), then asks `upsertDataRows` for the
manifest's URL. Each spec is `{"id": {"type": AUTO|ID|GKEY, "value"}, "payload"}`.
When the task completes every spec is checked on its own: good ones create or
update rows, bad ones are reported with the cause and change nothing. A
manifest that cannot be read fails the task as a whole and nothing is written.
"""

from __future__ import annotations

import json
from typing import Any

from ..clock import MockClock
from ..ids import IdFactory
from ..state.datasets import GlobalKeyLookup, UpsertOutcome, find_global_keys
from ..state.errors import InvalidInput
from ..state.metadata_schemas import schema_index
from ..state.organization import Organization
from ..state.records import DataRow, MetadataSchema, Task
from ..state.seed import MEDIA_TYPES, default_media_attributes
from .files import FileHost
from .tasks import TaskEngine

UPSERT_TASK_TYPE = "adv-upsert-data-rows"  # the SDK treats a task of this type as a creation task
PAYLOAD_KEYS = frozenset({
    "row_data", "global_key", "external_id", "media_type", "metadata_fields", "attachments", "embeddings",
    "dataset_id",
})
ATTACHMENT_TYPES = frozenset({
    "VIDEO", "IMAGE", "IMAGE_OVERLAY", "HTML", "RAW_TEXT", "TEXT_URL", "PDF_URL", "CAMERA_IMAGE",
})
KEY_TYPES = ("AUTO", "ID", "GKEY")
# Data rows one upsert (create_data_rows, upsert_data_rows) carries: Labelbox documents 150,000 per
# call for create_data_rows (docs/porting.md); the mock holds every upsert to it.
MAX_UPSERT_SPECS = 150_000


def _json_at(files: FileHost, url: Any, what: str) -> Any:
    if not isinstance(url, str):
        raise InvalidInput(f"{what}: must be a URL, got {url!r}")
    try:
        return json.loads(files.read(url).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise InvalidInput(f"{what} at {url} is not JSON: {error}") from None
    except RecursionError:  # the decoder recurses once per level: a manifest nested thousands deep
        raise InvalidInput(f"{what} at {url} is nested too deep to be a manifest or a chunk of specs") from None


def read_specs(files: FileHost, manifest_uri: str) -> list[Any]:
    """Every spec the manifest's chunks hold, in chunk order; InvalidInput if any file is unreadable."""
    manifest = _json_at(files, manifest_uri, "manifest")
    if not isinstance(manifest, dict) or not isinstance(manifest.get("chunk_uris"), list):
        raise InvalidInput("manifest: must be an object with chunk_uris, a list of URLs")
    specs: list[Any] = []
    for index, uri in enumerate(manifest["chunk_uris"]):
        chunk = _json_at(files, uri, f"manifest.chunk_uris[{index}]")
        if not isinstance(chunk, list):
            raise InvalidInput(f"manifest.chunk_uris[{index}]: a chunk is a JSON list of specs")
        if len(specs) + len(chunk) > MAX_UPSERT_SPECS:
            # counted as chunks are read: a manifest naming one chunk 400 times never builds 400 copies
            raise InvalidInput(f"manifest: its chunks hold more than {MAX_UPSERT_SPECS} data rows, the most one "
                               "upsert creates or updates; split them over several calls")
        specs.extend(chunk)
    count = manifest.get("item_count")
    if count is not None and count != len(specs):
        raise InvalidInput(f"manifest: item_count is {count} but its chunks hold {len(specs)} specs")
    return specs


class _Upsert:
    """Checks specs one by one against the organisation and the specs before them."""

    def __init__(self, org: Organization, ids: IdFactory, now: float) -> None:
        self.org = org
        self.ids = ids
        self.now = now
        self.claimed_keys: dict[str, str] = {}  # global key -> row id, for keys this upload sets
        self.released_keys: set[str] = set()  # keys an earlier spec of this upload moved off a row
        self.schemas = schema_index(org)  # the metadata schemas rows may carry, as the upsert starts

    def key_owner(self, key: str) -> str | None:
        if key in self.claimed_keys:
            return self.claimed_keys[key]
        if key in self.released_keys:
            return None
        return self.org.data_rows_by_global_key.get(key)

    def check(self, spec: Any) -> tuple[DataRow | None, dict[str, Any], str | None]:
        """(the row to update, or None to create; the checked fields; the failure message, if any)."""
        if not isinstance(spec, dict) or not isinstance(spec.get("payload"), dict):
            return None, {}, "a spec must be an object with id and payload"
        payload: dict[str, Any] = spec["payload"]
        key = spec.get("id") or {"type": "AUTO", "value": ""}
        kind = key.get("type") if isinstance(key, dict) else None
        if kind not in KEY_TYPES:
            return None, {}, f"id.type: must be one of {', '.join(KEY_TYPES)}, got {kind!r}"
        unknown = sorted(set(payload) - PAYLOAD_KEYS)
        if unknown:
            return None, {}, f"{unknown[0]}: not a data row field (fields: {', '.join(sorted(PAYLOAD_KEYS))})"
        existing: DataRow | None = None
        value = key.get("value")
        if kind == "ID":
            existing = self.org.data_rows.get(value) if isinstance(value, str) else None
            if existing is None:
                return None, {}, f"Data row not found: no data row with id {value!r}"
        elif kind == "GKEY":
            if not isinstance(value, str) or not value:
                return None, {}, f"id.value: a global key must be a non-empty string, got {value!r}"
            owner = self.key_owner(value)
            existing = self.org.data_rows.get(owner) if owner else None
            if existing is None and "global_key" not in payload:
                payload = {**payload, "global_key": value}
        fields: dict[str, Any] = {}
        message = self._fields(payload, existing, fields)
        return existing, fields, message

    def _fields(self, payload: dict[str, Any], existing: DataRow | None, fields: dict[str, Any]) -> str | None:
        dataset_id = payload.get("dataset_id")
        if existing is None:
            if not isinstance(dataset_id, str) or dataset_id not in self.org.datasets:
                return f"dataset_id: no dataset with id {dataset_id!r}"
            fields["dataset_id"] = dataset_id
        row_data = payload.get("row_data")
        if row_data is not None:
            if isinstance(row_data, dict):
                row_data = json.dumps(row_data)
            if not isinstance(row_data, str) or not row_data.strip():
                return f"row_data: must be a non-empty string or object, got {row_data!r}"
            fields["row_data"] = row_data
        elif existing is None:
            return "row_data: is required to create a data row"
        for name in ("global_key", "external_id"):
            value = payload.get(name)
            if value is not None:
                if not isinstance(value, str) or not value:
                    return f"{name}: must be a non-empty string, got {value!r}"
                fields[name] = value
        key = fields.get("global_key")
        if key is not None:
            owner = self.key_owner(key)
            if owner is not None and (existing is None or owner != existing.id):
                return f"Duplicate global key: {key!r} is already used by data row {owner}"
        media_type = payload.get("media_type")
        if media_type is not None:
            if media_type not in MEDIA_TYPES:
                return f"media_type: must be one of {', '.join(MEDIA_TYPES)}, got {media_type!r}"
            fields["media_type"] = media_type
        def metadata(value: Any) -> tuple[list[dict[str, Any]], str | None]:
            return _metadata(value, *self.schemas)

        for name, check in (("metadata_fields", metadata), ("attachments", _attachments),
                            ("embeddings", _embeddings)):
            if name in payload:
                value, message = check(payload[name])
                if message is not None:
                    return f"{name}{message}"
                fields[name] = value
        return None

    def apply(self, existing: DataRow | None, fields: dict[str, Any]) -> DataRow:
        org = self.org
        key = fields.get("global_key")
        if existing is None:
            media_type = fields.get("media_type", "IMAGE")
            row = DataRow(
                id=self.ids.new(), dataset_id=fields["dataset_id"], row_data=fields["row_data"],
                created_at=self.now, updated_at=self.now, global_key=key, external_id=fields.get("external_id"),
                media_type=media_type, media_attributes=default_media_attributes(media_type),
                metadata_fields=fields.get("metadata_fields", []), attachments=fields.get("attachments", []),
                embeddings=fields.get("embeddings", []),
            )
            org.data_rows[row.id] = row
            org.datasets[row.dataset_id].data_row_ids.append(row.id)
        else:
            row = existing
            if key is not None and row.global_key is not None and row.global_key != key:
                self.released_keys.add(row.global_key)
                self.claimed_keys.pop(row.global_key, None)
                org.data_rows_by_global_key.pop(row.global_key, None)
            for name, value in fields.items():
                if name != "dataset_id":
                    setattr(row, name, value)
            row.updated_at = self.now
        if key is not None:
            org.data_rows_by_global_key[key] = row.id
            self.claimed_keys[key] = row.id
            self.released_keys.discard(key)
        return row


def _metadata(value: Any, by_id: dict[str, MetadataSchema],
              option_parent: dict[str, MetadataSchema]) -> tuple[list[dict[str, Any]], str | None]:
    """Upsert metadata ({schemaId, value}; an enum as its schema and its option) as stored fields."""
    if not isinstance(value, list):
        return [], f": must be a list, got {type(value).__name__}"
    fields: list[dict[str, Any]] = []
    enums: dict[str, dict[str, Any]] = {}
    for index, item in enumerate(value):
        schema_id = item.get("schemaId", item.get("schema_id")) if isinstance(item, dict) else None
        schema = by_id.get(schema_id) if isinstance(schema_id, str) else None
        if schema is None:
            return [], f"[{index}].schemaId: metadata schema {schema_id!r} not found in the metadata ontology"
        raw = item.get("value")
        if schema.kind == "CustomMetadataEnumOption":
            parent = option_parent[schema.id]
            field = enums.setdefault(parent.id, {"schemaId": parent.id, "name": parent.name,
                                                 "kind": parent.kind, "value": None})
            field["value"] = {"schemaId": schema.id, "name": schema.name}
            continue
        if schema.kind == "CustomMetadataEnum":
            enums.setdefault(schema.id, {"schemaId": schema.id, "name": schema.name, "kind": schema.kind,
                                         "value": None})
            continue
        if schema.kind in ("CustomMetadataString", "CustomMetadataDateTime") and not isinstance(raw, str):
            return [], f"[{index}].value: {schema.name} takes a string, got {raw!r}"
        if schema.kind == "CustomMetadataNumber" and (isinstance(raw, bool) or not isinstance(raw, (int, float))):
            return [], f"[{index}].value: {schema.name} takes a number, got {raw!r}"
        fields.append({"schemaId": schema.id, "name": schema.name, "kind": schema.kind, "value": raw})
    for field in enums.values():
        if field["value"] is None:
            return [], f": enum {field['name']!r} is given without one of its options"
        fields.append(field)
    return fields, None


def _attachments(value: Any) -> tuple[list[dict[str, Any]], str | None]:
    if not isinstance(value, list):
        return [], f": must be a list, got {type(value).__name__}"
    out = []
    for index, item in enumerate(value):
        kind = item.get("type") if isinstance(item, dict) else None
        if kind not in ATTACHMENT_TYPES:
            return [], f"[{index}].type: must be one of {', '.join(sorted(ATTACHMENT_TYPES))}, got {kind!r}"
        if not isinstance(item.get("value"), str):
            return [], f"[{index}].value: must be a string, got {item.get('value')!r}"
        out.append({"type": kind, "value": item["value"], "name": item.get("name")})
    return out, None


def _embeddings(value: Any) -> tuple[list[dict[str, Any]], str | None]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return [], ": must be a list of {embeddingId, vector} objects"
    return [dict(item) for item in value], None


def run_upsert(org: Organization, ids: IdFactory, clock: MockClock, specs: list[Any],
               outcome: UpsertOutcome) -> None:
    """Applies every good spec and records every bad one in `outcome`."""
    upsert = _Upsert(org, ids, clock.now())
    for spec in specs:
        existing, fields, message = upsert.check(spec)
        if message is not None:
            outcome.failures.append({"message": message, "spec": _refused_payload(spec)})
            continue
        outcome.row_ids.append(upsert.apply(existing, fields).id)


def _refused_payload(spec: Any) -> dict[str, Any]:
    """The payload a failure reports, with the global key a GKEY spec named."""
    payload = spec.get("payload") if isinstance(spec, dict) else None
    if not isinstance(payload, dict):
        return {}
    key = spec.get("id")
    if isinstance(key, dict) and key.get("type") == "GKEY" and "global_key" not in payload:
        return {**payload, "global_key": key.get("value")}
    return payload


def start_upsert(org: Organization, ids: IdFactory, clock: MockClock, tasks: TaskEngine, files: FileHost,
                 manifest_uri: str) -> Task:
    """The upsert task: the manifest is read when it runs, so a failed upload fails the task, not the call."""
    outcome = UpsertOutcome(row_ids=[], failures=[])

    def effect() -> None:
        run_upsert(org, ids, clock, read_specs(files, manifest_uri), outcome)

    task = tasks.start(org, "data-row-upsert", "Upsert data rows", effect, task_type=UPSERT_TASK_TYPE)
    org.task_outcomes[task.id] = outcome
    return task


def start_global_key_job(org: Organization, tasks: TaskEngine, global_keys: list[str]) -> Task:
    """Looks keys up when the job runs, so it sees rows created up to then."""
    lookup = GlobalKeyLookup(list(global_keys), [])

    def effect() -> None:
        lookup.found = find_global_keys(org, lookup.global_keys)

    task = tasks.start(org, "global-key-lookup", "Data rows for global keys", effect)
    org.task_outcomes[task.id] = lookup
    return task


def successful_rows(org: Organization, task_id: str) -> list[DataRow]:
    """The rows an upsert task created or updated (and that still exist), in spec order."""
    outcome = org.task_outcomes.get(org.task(task_id).id)
    row_ids = outcome.row_ids if isinstance(outcome, UpsertOutcome) else []
    return [org.data_rows[row_id] for row_id in row_ids if row_id in org.data_rows]


def failed_specs(org: Organization, task_id: str) -> list[dict[str, Any]]:
    """Each spec an upsert task refused: {"message", "spec"}."""
    outcome = org.task_outcomes.get(org.task(task_id).id)
    return outcome.failures if isinstance(outcome, UpsertOutcome) else []


def read_global_key_job(tasks: TaskEngine, org: Organization, job_id: str) -> tuple[str, GlobalKeyLookup | None]:
    """A status read of a lookup job (counted by `reads` transitions): its status, and its answer once COMPLETE."""
    task = tasks.observe(org.task(job_id))
    lookup = org.task_outcomes.get(task.id)
    if task.status != "COMPLETE" or not isinstance(lookup, GlobalKeyLookup):
        return task.status, None
    return task.status, lookup
