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
from collections.abc import Iterator
from typing import Any, TypeVar

from ..clock import MockClock
from ..ids import IdFactory
from ..state import attachments as row_attachments
from ..state import row_metadata
from ..state.datasets import (
    GlobalKeyAssignment,
    GlobalKeyClearing,
    GlobalKeyLookup,
    UpsertOutcome,
    assign_global_keys,
    clear_global_keys,
    find_global_keys,
    global_key_problem,
)
from ..state.errors import InvalidInput, QuotaExceeded
from ..state.organization import Organization
from ..state.records import DataRow, Task
from ..state.row_data import DATA_ROW_MEDIA_TYPES, check_row_data, default_media_attributes
from .files import FileHost
from .tasks import TaskEngine

UPSERT_TASK_TYPE = "adv-upsert-data-rows"  # the SDK treats a task of this type as a creation task
PAYLOAD_KEYS = frozenset({
    "row_data", "global_key", "external_id", "media_type", "metadata_fields", "metadata", "attachments",
    "embeddings", "dataset_id",
})
KEY_TYPES = ("AUTO", "ID", "GKEY")
# Data rows one upsert (create_data_rows, upsert_data_rows) carries: Labelbox documents 150,000 per
# call for create_data_rows (docs/porting.md); the mock holds every upsert to it.
MAX_UPSERT_SPECS = 150_000

Outcome = TypeVar("Outcome", GlobalKeyLookup, GlobalKeyAssignment, GlobalKeyClearing)


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
        self.schemas = row_metadata.Schemas(org)  # the metadata schemas rows may carry, as the upsert starts

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
        media_type = payload.get("media_type")
        if media_type is not None and media_type not in DATA_ROW_MEDIA_TYPES:
            return f"Found invalid media type: {media_type!r}"
        if row_data is not None:
            content = check_row_data(row_data, media_type)
            if isinstance(content, str):
                return content
            fields["row_data"], fields["media_type"], fields["media_attributes"] = content
        elif existing is None:
            return "row_data: is required to create a data row"
        elif media_type is not None:
            fields["media_type"] = media_type
        for name in ("global_key", "external_id"):
            value = payload.get(name)
            if value is not None:
                if not isinstance(value, str) or not value:
                    return f"{name}: must be a non-empty string, got {value!r}"
                fields[name] = value
        if "global_key" in fields and (problem := global_key_problem(fields["global_key"])) is not None:
            return f"global_key: {problem}"
        key = fields.get("global_key")
        if key is not None:
            owner = self.key_owner(key)
            if owner is not None and (existing is None or owner != existing.id):
                return f"Duplicate global key: '{key}'"  # Labelbox's words, which the SDK's tests compare

        def metadata(value: Any) -> tuple[list[dict[str, Any]], str | None]:
            return row_metadata.parse_fields(value, self.schemas, "metadata_fields")

        def attachments(value: Any) -> tuple[list[dict[str, Any]], str | None]:
            if not isinstance(value, list):
                return [], f"attachments: must be a list, got {type(value).__name__}"
            problem = next((p for i, item in enumerate(value)
                            if (p := row_attachments.check(item, f"attachments[{i}]"))), None)
            if problem is not None:
                return [], problem
            return [row_attachments.stored(self.ids, item) for item in value], None

        if "metadata" in payload:  # the SDK passes DataRow.metadata through as given: {name or schemaId, value}
            if "metadata_fields" in payload:
                return "metadata: give metadata_fields or metadata, not both"
            payload = {**payload, "metadata_fields": payload["metadata"]}
        for name, check in (("metadata_fields", metadata), ("attachments", attachments),
                            ("embeddings", _embeddings)):
            if name in payload:
                value, message = check(payload[name])
                if message is not None:
                    return message
                fields[name] = value
        return None

    def check_quotas(self, existing: DataRow | None, fields: dict[str, Any]) -> str | None:
        """Why the organisation cannot hold this spec's metadata or attachments; None when it can."""
        try:
            if "metadata_fields" in fields:
                row_metadata.check_quota(self.org, existing.metadata_fields if existing else [],
                                         fields["metadata_fields"])
            if "attachments" in fields:
                row_attachments.check_quota(self.org, existing.attachments if existing else [],
                                            fields["attachments"])
        except QuotaExceeded as error:
            return str(error)
        return None

    def apply(self, existing: DataRow | None, fields: dict[str, Any]) -> DataRow:
        org = self.org
        key = fields.get("global_key")
        if existing is None:
            media_type = fields.get("media_type", "IMAGE")
            row = DataRow(
                id=self.ids.new(), dataset_id=fields["dataset_id"], row_data=fields["row_data"],
                created_at=self.now, updated_at=self.now, global_key=key, external_id=fields.get("external_id"),
                media_type=media_type,
                media_attributes=fields.get("media_attributes") or default_media_attributes(media_type),
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
                if name not in ("dataset_id", "metadata_fields", "attachments"):
                    setattr(row, name, value)
            row.updated_at = self.now
        if "metadata_fields" in fields:
            row_metadata.replace_fields(org, row, fields["metadata_fields"])
        if "attachments" in fields:
            row_attachments.replace(org, row, fields["attachments"])
        if key is not None:
            org.data_rows_by_global_key[key] = row.id
            self.claimed_keys[key] = row.id
            self.released_keys.discard(key)
        return row


def _embeddings(value: Any) -> tuple[list[dict[str, Any]], str | None]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        return [], "embeddings: must be a list of {embeddingId, vector} objects"
    return [dict(item) for item in value], None


def run_upsert(org: Organization, ids: IdFactory, clock: MockClock, specs: list[Any],
               outcome: UpsertOutcome) -> None:
    """Applies every good spec and records every bad one in `outcome`."""
    upsert = _Upsert(org, ids, clock.now())
    for spec in specs:
        existing, fields, message = upsert.check(spec)
        if message is None:
            message = upsert.check_quotas(existing, fields)
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
    if not isinstance(outcome, UpsertOutcome):
        return []
    # kept until the rows change (a deletion), so each page of the listing is O(page)
    return org.data_rows.view(("upserted by", task_id), lambda rows: [org.data_rows[row_id] for row_id in outcome.row_ids
                                                                       if row_id in org.data_rows])


def failed_specs(org: Organization, task_id: str) -> list[dict[str, Any]]:
    """Each spec an upsert task refused: {"message", "spec"}."""
    outcome = org.task_outcomes.get(org.task(task_id).id)
    return outcome.failures if isinstance(outcome, UpsertOutcome) else []


def start_global_key_assignment(org: Organization, tasks: TaskEngine, links: list[dict[str, Any]]) -> Task:
    """Assigns keys when the job runs; each link is checked then, against the rows as they are."""
    pairs = [(str(link["dataRowId"]), str(link["globalKey"])) for link in links]
    outcome = GlobalKeyAssignment(pairs, [], [])

    def effect() -> None:
        done = assign_global_keys(org, pairs)
        outcome.assigned, outcome.invalid = done.assigned, done.invalid

    task = tasks.start(org, "global-key-assignment", "Assign global keys to data rows", effect)
    org.task_outcomes[task.id] = outcome
    return task


def start_global_key_clearing(org: Organization, tasks: TaskEngine, global_keys: list[str]) -> Task:
    """Clears keys when the job runs, from the rows that hold them then."""
    outcome = GlobalKeyClearing([str(key) for key in global_keys], [], [])

    def effect() -> None:
        done = clear_global_keys(org, outcome.given)
        outcome.cleared, outcome.not_found = done.cleared, done.not_found

    task = tasks.start(org, "global-key-clearing", "Clear global keys", effect)
    org.task_outcomes[task.id] = outcome
    return task


def read_job(tasks: TaskEngine, org: Organization, job_id: str, kind: type[Outcome]) -> tuple[str, Outcome | None]:
    """A status read of a global-key job (a lookup, an assignment or a clearing; counted by `reads`
    transitions): its status, and what it did (a `kind`) once COMPLETE."""
    task = tasks.observe(org.task(job_id))
    outcome = org.task_outcomes.get(task.id)
    if task.status != "COMPLETE" or not isinstance(outcome, kind):
        return task.status, None
    return task.status, outcome


def failure_spec(spec: dict[str, Any]) -> dict[str, Any]:
    """A refused payload as Labelbox reports it: camelCase keys, metadata and attachments as lists."""
    metadata = spec.get("metadata_fields", spec.get("metadata"))
    attachments = spec.get("attachments")
    return {
        "externalId": spec.get("external_id"), "globalKey": spec.get("global_key"), "rowData": spec.get("row_data"),
        "metadata": [{"schemaId": m.get("schemaId"), "value": m.get("value"), "name": m.get("name")}
                     for m in metadata if isinstance(m, dict)] if isinstance(metadata, list) else [],
        "attachments": [{"type": a.get("type"), "value": a.get("value"), "name": a.get("name")}
                        for a in attachments if isinstance(a, dict)] if isinstance(attachments, list) else [],
    }


class _UpsertReport:
    """A finished upsert's report as a JSON file (a ContentSource), rendered when read.

    Made on read so a large upsert's report costs no upload quota while nobody
    downloads it; the outcome it renders is already bounded by MAX_UPSERT_SPECS.
    """

    def __init__(self, org: Organization, task: Task) -> None:
        self._org, self._task = org, task

    def _body(self) -> bytes:
        if self._task.status == "FAILED":
            return json.dumps({"error": self._task.errors or "the upsert failed"}).encode("utf-8")
        created = [{"id": r.id, "externalId": r.external_id, "globalKey": r.global_key, "rowData": r.row_data}
                   for r in successful_rows(self._org, self._task.id)]
        errors = [{"message": f["message"], "failedDataRows": [failure_spec(f["spec"])]}
                  for f in failed_specs(self._org, self._task.id)]
        return json.dumps({"createdDataRows": created, "errors": errors}).encode("utf-8")

    @property
    def size(self) -> int:
        return len(self._body())

    def chunks(self) -> Iterator[bytes]:
        yield self._body()


def result_url(org: Organization, files: FileHost, base_url: str, task: Task) -> str | None:
    """The signed URL of a finished upsert's report (`Task.result`), None while it runs.

    The SDK downloads it for a creation task read by id: `createdDataRows`
    and `errors` when the task completed, `error` when it failed.
    """
    outcome = org.task_outcomes.get(task.id)
    if not isinstance(outcome, UpsertOutcome) or task.status not in ("COMPLETE", "FAILED"):
        return None
    if outcome.result_url is None or not files.is_live(outcome.result_url):
        outcome.result_url = files.sign(base_url, _UpsertReport(org, task), "application/json")
    return outcome.result_url
