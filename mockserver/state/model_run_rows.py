"""A model run's data rows: registration by id, global key or label, deletion and splits.

Every operation resolves all of its references first and raises naming every
unknown one, so a failed operation leaves the run exactly as it was.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..clock import MockClock
from ..ids import IdFactory
from .errors import InvalidInput
from .organization import Organization
from .records import DataRow, ModelRun, ModelRunDataRow

SPLITS = ("TRAINING", "TEST", "VALIDATION", "UNASSIGNED")


def listing(keys: Iterable[str], limit: int = 10) -> str:
    """References for an error message: the first `limit`, then how many more."""
    keys = list(keys)
    shown = ", ".join(repr(key) for key in keys[:limit])
    return shown + (f" and {len(keys) - limit} more" if len(keys) > limit else "")


def ordered_rows(org: Organization, run: ModelRun) -> list[ModelRunDataRow]:
    """The run's entries in order, rebuilt only when the run changed, so each page costs O(page)."""
    cached = org.run_row_order.get(run.id)
    if cached is None or cached[0] != run.rows_version or len(cached[1]) != len(run.rows):
        cached = (run.rows_version, list(run.rows.values()))
        org.run_row_order[run.id] = cached
    return cached[1]


def split_counts(org: Organization, run: ModelRun) -> list[tuple[str | None, int]]:
    """How many of the run's rows are in each split (None: none assigned), in the order the splits first
    occur among its rows; counted again only when the run changed, so reading them again costs nothing
    per row. Every change to a run's rows or splits bumps its rows_version."""
    cached = org.run_split_counts.get(run.id)
    if cached is None or cached[0] != run.rows_version or cached[1] != len(run.rows):
        counts: dict[str | None, int] = {}
        for entry in ordered_rows(org, run):
            counts[entry.split] = counts.get(entry.split, 0) + 1
        cached = (run.rows_version, len(run.rows), list(counts.items()))
        org.run_split_counts[run.id] = cached
    return cached[2]


def forget(org: Organization, run_id: str) -> None:
    """Drops a deleted run's indexes."""
    org.run_row_order.pop(run_id, None)
    org.run_split_counts.pop(run_id, None)


def require_in_run(run: ModelRun, data_row_ids: Iterable[str]) -> None:
    outside = [row_id for row_id in data_row_ids if row_id not in run.rows]
    if outside:
        raise InvalidInput(f"data rows not in model run {run.id}: {listing(outside)}")


def resolve_data_rows(org: Organization, data_row_ids: Iterable[str] = (), global_keys: Iterable[str] = ()) -> list[DataRow]:
    """The data rows named by id and by global key, in order, without duplicates."""
    data_row_ids, global_keys = list(data_row_ids), list(global_keys)
    missing_ids = [key for key in data_row_ids if key not in org.data_rows]
    missing_keys = [key for key in global_keys if key not in org.data_rows_by_global_key]
    problems = []
    if missing_ids:
        problems.append(f"data row ids not found: {listing(missing_ids)}")
    if missing_keys:
        problems.append(f"global keys not found: {listing(missing_keys)}")
    if problems:
        raise InvalidInput("; ".join(problems))
    rows: dict[str, DataRow] = {}
    for key in data_row_ids:
        rows.setdefault(key, org.data_rows[key])
    for key in global_keys:
        row = org.data_rows[org.data_rows_by_global_key[key]]
        rows.setdefault(row.id, row)
    return list(rows.values())


def _entry(run: ModelRun, ids: IdFactory, now: float, data_row_id: str) -> ModelRunDataRow:
    entry = run.rows.get(data_row_id)
    if entry is None:
        entry = ModelRunDataRow(id=ids.new(), data_row_id=data_row_id, model_run_id=run.id, created_at=now, updated_at=now)
        run.rows[data_row_id] = entry
        run.rows_version += 1
    return entry


def register_data_rows(
    org: Organization, ids: IdFactory, clock: MockClock, run_id: str, data_row_ids: Iterable[str], global_keys: Iterable[str]
) -> int:
    """Adds the rows to the run (idempotent); answers how many were new."""
    run = org.model_run(run_id)
    rows = resolve_data_rows(org, data_row_ids, global_keys)
    before = len(run.rows)
    now = clock.now()
    for row in rows:
        _entry(run, ids, now, row.id)
    return len(run.rows) - before


def register_labels(org: Organization, ids: IdFactory, clock: MockClock, run_id: str, label_ids: Iterable[str]) -> int:
    """Attaches each label to its data row's entry, creating the entry if needed."""
    run = org.model_run(run_id)
    label_ids = list(dict.fromkeys(label_ids))
    missing = [key for key in label_ids if key not in org.labels]
    if missing:
        raise InvalidInput(f"label ids not found: {listing(missing)}")
    # Labelbox registers a label whatever its project's ontology: a model may learn from any project
    labels = [org.labels[key] for key in label_ids]
    now = clock.now()
    for label in labels:
        entry = _entry(run, ids, now, label.data_row_id)
        if label.id not in entry.label_ids:
            entry.label_ids.append(label.id)
            entry.updated_at = now
    run.rows_version += 1
    return len(labels)


def register_project_labels(org: Organization, ids: IdFactory, clock: MockClock, run_id: str, project_id: str) -> int:
    org.model_run(run_id)
    project = org.project(project_id)
    return register_labels(org, ids, clock, run_id, project.label_ids)


def delete_rows(org: Organization, clock: MockClock, run_id: str, data_row_ids: Iterable[str]) -> int:
    """Removes the entries with their labels and predictions; every id must be in the run."""
    run = org.model_run(run_id)
    data_row_ids = list(dict.fromkeys(data_row_ids))
    require_in_run(run, data_row_ids)
    for key in data_row_ids:
        del run.rows[key]
    run.rows_version += 1
    run.updated_at = clock.now()
    return len(data_row_ids)


def assign_splits(org: Organization, clock: MockClock, run_id: str, assignments: list[tuple[str, list[str], list[str]]]) -> int:
    """Each (split, data row ids, global keys) sets the split of rows already in the run."""
    run = org.model_run(run_id)
    planned: list[tuple[str, ModelRunDataRow]] = []
    for split, data_row_ids, global_keys in assignments:
        if split not in SPLITS:
            raise InvalidInput(f"unknown split {split!r}; expected one of {', '.join(SPLITS)}")
        rows = resolve_data_rows(org, data_row_ids, global_keys)
        require_in_run(run, (row.id for row in rows))
        planned.extend((split, run.rows[row.id]) for row in rows)
    now = clock.now()
    for split, entry in planned:
        entry.split = None if split == "UNASSIGNED" else split
        entry.updated_at = now
    run.rows_version += 1
    return len(planned)
