"""Labeling parameter overrides: the queue priority of each data row in a project's batches.

A row takes its batch's priority (1 to 5) when it joins the batch; an override then sets it to any
signed 32-bit integer (lower is labelled first). The priority is kept on the batch
(`Batch.row_priorities`) so it leaves with the row: a row taken out of a batch, deleted, or whose
batch is deleted has no override left, and joins again with its new batch's priority. Labelled and
done rows keep theirs: an override names rows of the project's batches wherever they are in the
workflow, and does not put a row back in the labelling queue (the SDK's docstring).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from itertools import accumulate
from typing import Any, overload

from .errors import InvalidInput
from .model_run_rows import listing
from .organization import Organization
from .queue_moves import ID_TYPES
from .records import Batch, Project

MIN_PRIORITY, MAX_PRIORITY = -(2**31), 2**31 - 1
# Labelbox no longer takes a number of labels per override (the SDK drops the tuple's third item); the
# listing answers 1, what it shows for a consensus project's batch.
NUMBER_OF_LABELS = 1
# update_data_row_labeling_priority: "up to 1 million data rows ... at once" (the SDK's docstring)
MAX_BULK_ROWS = 1_000_000


def check_priority(priority: Any) -> int:
    if isinstance(priority, bool) or not isinstance(priority, int) or not MIN_PRIORITY <= priority <= MAX_PRIORITY:
        raise InvalidInput(f"priority must be a signed 32-bit integer, got {priority!r}")
    return priority


def admit(batch: Batch, row_ids: Iterable[str]) -> None:
    """Rows joining `batch` take its priority."""
    for row_id in row_ids:
        batch.row_priorities[row_id] = batch.priority


def take_out(batch: Batch, gone: set[str] | frozenset[str]) -> None:
    """Rows leaving `batch` (taken out or deleted) lose their priority with their place."""
    kept: list[str] = []
    for row_id in batch.data_row_ids:
        if row_id in gone:
            batch.row_priorities.pop(row_id, None)
        else:
            kept.append(row_id)
    batch.data_row_ids = kept


def priority_of(batch: Batch, row_id: str) -> int:
    return batch.row_priorities.get(row_id, batch.priority)


class QueueRows(Sequence[tuple[str, int]]):
    """(row id, priority) of each row of the project's batches, in batch order, then in the order rows
    joined. Built in O(batches); a slice costs O(batches' log + slice), so a listing's page is O(page)."""

    def __init__(self, org: Organization, project: Project) -> None:
        self._batches = [org.batches[batch_id] for batch_id in project.batch_ids]
        self._starts = list(accumulate((len(batch.data_row_ids) for batch in self._batches), initial=0))

    def __len__(self) -> int:
        return self._starts[-1]

    @overload
    def __getitem__(self, index: int) -> tuple[str, int]: ...

    @overload
    def __getitem__(self, index: slice) -> list[tuple[str, int]]: ...

    def __getitem__(self, index: int | slice) -> tuple[str, int] | list[tuple[str, int]]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step != 1:
                return [self[position] for position in range(start, stop, step)]
            return self._between(start, stop)
        position = index + len(self) if index < 0 else index
        if not 0 <= position < len(self):
            raise IndexError(index)
        return self._between(position, position + 1)[0]

    def _between(self, start: int, stop: int) -> list[tuple[str, int]]:
        found: list[tuple[str, int]] = []
        at = bisect_right(self._starts, start) - 1
        while start < stop and at < len(self._batches):
            batch = self._batches[at]
            offset = start - self._starts[at]
            rows = batch.data_row_ids[offset : offset + stop - start]
            found.extend((row_id, priority_of(batch, row_id)) for row_id in rows)
            start += len(rows)
            at += 1
        return found


def _resolve(org: Organization, project: Project, identifiers: Sequence[tuple[str, str]]) -> list[tuple[Batch, str]]:
    """(batch, row id) for each (key, idType); refuses, naming them, keys that name no row of the project's
    batches (unknown ids and keys, rows of other projects, rows of the project outside its batches)."""
    if not identifiers:
        raise InvalidInput("give at least one data row identifier")
    holder: dict[str, Batch] = {}
    for batch_id in project.batch_ids:
        batch = org.batches[batch_id]
        holder.update(dict.fromkeys(batch.data_row_ids, batch))
    found: list[tuple[Batch, str]] = []
    missing: list[str] = []
    for key, id_type in identifiers:
        if id_type not in ID_TYPES:
            raise InvalidInput(f"idType must be one of {', '.join(ID_TYPES)}, got {id_type!r}")
        row_id = key if id_type == "ID" else org.data_rows_by_global_key.get(key)
        held = holder.get(row_id) if row_id is not None else None
        if held is None or row_id is None:
            missing.append(key)
        else:
            found.append((held, row_id))
    if missing:
        raise InvalidInput(f"data rows not in the batches of project {project.id}: {listing(missing)}")
    return found


def set_overrides(org: Organization, project_id: str, overrides: Sequence[tuple[str, str, Any]]) -> int:
    """setLabelingParameterOverrides: (key, idType, priority) each; all are set, or none when one is refused.
    A row named twice is refused, since which priority it should keep is unclear."""
    project = org.project(project_id)
    priorities = [check_priority(priority) for _key, _type, priority in overrides]
    rows = _resolve(org, project, [(key, id_type) for key, id_type, _priority in overrides])
    twice = [row_id for row_id, count in Counter(row_id for _batch, row_id in rows).items() if count > 1]
    if twice:
        raise InvalidInput(f"data rows named more than once: {listing(twice)}")
    for (batch, row_id), priority in zip(rows, priorities, strict=True):
        batch.row_priorities[row_id] = priority
    return len(rows)


def check_update(org: Organization, project_id: str, keys: Sequence[str], id_type: str,
                 priority: Any) -> list[tuple[Batch, str]]:
    """createQueuePriorityUpdateTask's rows, when every key names a row of the project's batches."""
    project = org.project(project_id)
    check_priority(priority)
    if len(keys) > MAX_BULK_ROWS:
        raise InvalidInput(f"at most {MAX_BULK_ROWS:,} data rows can be updated at once, got {len(keys):,}")
    return _resolve(org, project, [(key, id_type) for key in keys])


def update_priority(org: Organization, project_id: str, keys: Sequence[str], id_type: str, priority: Any) -> int:
    """Sets every row's priority to `priority` (a row named twice is set once), or none when one is refused."""
    rows = check_update(org, project_id, keys, id_type, priority)
    for batch, row_id in rows:
        batch.row_priorities[row_id] = priority
    return len({row_id for _batch, row_id in rows})
