"""Attachments on data rows: what labelers see beside an asset (an image, a text, an HTML page...).

A row keeps its attachments in order as `{"id", "type", "value", "name"}`. Each has an id of its own
so it can be changed or deleted after others come and go. An organisation's attachments are bounded
in count and bytes (ATTACHMENTS_PER_ORG, ATTACHMENT_BYTES_PER_ORG); a write past either is refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from ..ids import IdFactory
from . import quotas
from .errors import InvalidInput, NotFound
from .organization import Organization
from .records import DataRow

# The types Labelbox accepts (the SDK's AttachmentType)
ATTACHMENT_TYPES = ("AUDIO", "VIDEO", "IMAGE", "IMAGE_OVERLAY", "HTML", "RAW_TEXT", "TEXT_URL", "PDF_URL",
                    "CAMERA_IMAGE")
ATTACHMENTS_PER_ORG = 1_000_000
ATTACHMENT_BYTES_PER_ORG = 256 * 1024 * 1024
VALUE_LIMIT = 1024 * 1024  # characters of one attachment's value (a RAW_TEXT may be long, not unbounded)


def check(item: Any, where: str) -> str | None:
    """Why an attachment `{type, value, name?}` is refused, naming `where`; None when it is good."""
    if not isinstance(item, dict):
        return f"{where}: an attachment is an object with type and value"
    kind, value, name = item.get("type"), item.get("value"), item.get("name")
    if kind not in ATTACHMENT_TYPES:
        return f"{where}.type: must be one of {', '.join(ATTACHMENT_TYPES)}, got {kind!r}"
    if not isinstance(value, str) or not value:
        return f"{where}.value: must be a non-empty string, got {value!r}"
    if len(value) > VALUE_LIMIT:
        return f"{where}.value: at most {VALUE_LIMIT} characters, got {len(value)}"
    if name is not None and not isinstance(name, str):
        return f"{where}.name: must be a string, got {name!r}"
    return None


def stored(ids: IdFactory, item: dict[str, Any]) -> dict[str, Any]:
    """A checked attachment as a row keeps it, with an id of its own."""
    return {"id": ids.new(), "type": item["type"], "value": item["value"], "name": item.get("name")}


def with_ids(ids: IdFactory, items: Any) -> list[dict[str, Any]]:
    """Attachments given without ids (a seed's) as a row keeps them; what is not an attachment is left out
    (the seed's check has refused it already)."""
    if not isinstance(items, list):
        return []
    return [{"id": item.get("id") or ids.new(), "type": item.get("type"), "value": item.get("value"),
             "name": item.get("name")} for item in items if isinstance(item, dict)]


def _bytes(items: Iterable[dict[str, Any]]) -> int:
    return sum(len(item.get("value") or "") + len(item.get("name") or "") for item in items)


def usage(org: Organization) -> tuple[int, int]:
    """(attachments, bytes) the organisation's rows hold: a running total, counted again from the rows
    only after a change that dropped it (deleting rows, a seed)."""
    if org.attachment_usage is None:
        items = [item for row in org.data_rows.values() for item in row.attachments]
        org.attachment_usage = (len(items), _bytes(items))
    return org.attachment_usage


def check_quota(org: Organization, removed: Sequence[dict[str, Any]], added: Sequence[dict[str, Any]]) -> None:
    count, size = usage(org)
    quotas.refuse_past("attachments", count + len(added) - len(removed), size + _bytes(added) - _bytes(removed),
                       ATTACHMENTS_PER_ORG, ATTACHMENT_BYTES_PER_ORG)


def replace(org: Organization, row: DataRow, items: list[dict[str, Any]]) -> None:
    """Sets a row's attachments, keeping the organisation's running total (check_quota first)."""
    count, size = usage(org)
    org.attachment_usage = (count + len(items) - len(row.attachments),
                            size + _bytes(items) - _bytes(row.attachments))
    row.attachments = items


def _find(org: Organization, attachment_id: str) -> tuple[DataRow, int]:
    for row in org.data_rows.values():
        for index, item in enumerate(row.attachments):
            if item.get("id") == attachment_id:
                return row, index
    raise NotFound("AssetAttachment", attachment_id)


def create(org: Organization, ids: IdFactory, data_row_id: str, item: dict[str, Any]) -> dict[str, Any]:
    row = org.data_row(data_row_id)
    problem = check(item, "data")
    if problem is not None:
        raise InvalidInput(problem)
    attachment = stored(ids, item)
    check_quota(org, [], [attachment])
    replace(org, row, [*row.attachments, attachment])
    return attachment


def update(org: Organization, attachment_id: str, changes: dict[str, Any]) -> dict[str, Any]:
    """Changes the fields given (not None); the others keep their values."""
    row, index = _find(org, attachment_id)
    current = row.attachments[index]
    changed = {**current, **{key: changes[key] for key in ("type", "value", "name") if changes.get(key) is not None}}
    problem = check(changed, "data")
    if problem is not None:
        raise InvalidInput(problem)
    items = [*row.attachments]
    items[index] = changed
    check_quota(org, [current], [changed])
    replace(org, row, items)
    return changed


def delete(org: Organization, attachment_id: str) -> dict[str, Any]:
    row, index = _find(org, attachment_id)
    gone = row.attachments[index]
    replace(org, row, [item for i, item in enumerate(row.attachments) if i != index])
    return gone


def exported(items: Iterable[dict[str, Any]]) -> tuple[dict[str, Any], ...]:
    """A row's attachments as exports list them: type, value and name (their ids are the API's handles)."""
    return tuple({"type": item.get("type"), "value": item.get("value"), "name": item.get("name")} for item in items)
