"""Batches: groups of data rows sent to a project, which puts their rows in its first queue.

A data row is in at most one batch of a project. Batch names are unique within
a project; priorities run from 1 (highest) to 5 (lowest).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain
from typing import Any

from ..clock import MockClock
from ..ids import IdFactory
from . import queue_priority
from .errors import Conflict, InvalidInput, Malformed
from .media import processing_failed
from .model_run_rows import listing
from .organization import Organization
from .projects import INITIAL_LABELING_QUEUE, data_row_ids_in, place_rows, queue_of_type
from .records import DEFAULT_BATCH_PRIORITY, Batch, Project, TaskQueue

MAX_BATCH_SIZE = 100_000
PRIORITIES = range(1, 6)


def check_priority(priority: Any) -> int:
    if isinstance(priority, bool) or not isinstance(priority, int) or priority not in PRIORITIES:
        raise InvalidInput(f"batch priority must be an integer from 1 (highest) to 5 (lowest), got {priority!r}")
    return priority


def check_consensus(settings: Any) -> dict[str, Any] | None:
    if settings is None:
        return None
    labels, coverage = settings.get("numberOfLabels"), settings.get("coveragePercentage")
    if not isinstance(labels, int) or labels < 1:
        raise InvalidInput(f"consensusSettings.numberOfLabels must be a positive integer, got {labels!r}")
    if not isinstance(coverage, (int, float)) or not 0 <= coverage <= 1:
        raise InvalidInput(f"consensusSettings.coveragePercentage must be within [0, 1], got {coverage!r}")
    return {"numberOfLabels": labels, "coveragePercentage": float(coverage)}


def _check_new_name(org: Organization, project: Project, name: str) -> None:
    if not name or not name.strip():
        raise InvalidInput("a batch needs a non-empty name")
    if any(org.batches[batch_id].name == name for batch_id in project.batch_ids):
        raise Conflict(f"project {project.id} already has a batch named {name!r}; batch names are unique in a project")


def free_batch_name(org: Organization, project: Project, name: str) -> str:
    """`name`, or `name_1`, `name_2`, ... when it is taken, as Labelbox names extra batches."""
    taken = {org.batches[batch_id].name for batch_id in project.batch_ids}
    candidate, number = name, 0
    while candidate in taken:
        number += 1
        candidate = f"{name}_{number}"
    return candidate


def split_rows(
    org: Organization, project: Project, data_row_ids: Iterable[str], global_keys: Iterable[str]
) -> tuple[list[str], list[str]]:
    """(ids that can join the project, references that cannot: unknown, already in the project, or
    rows whose processing failed)."""
    in_project = data_row_ids_in(org, project)
    accepted: dict[str, None] = {}
    failed: list[str] = []

    def joining(row_id: str | None) -> str | None:
        row = org.data_rows.get(row_id) if row_id is not None else None
        return row.id if row is not None and row.id not in in_project and not processing_failed(row) else None

    references = chain(((row_id, row_id) for row_id in data_row_ids),
                       ((key, org.data_rows_by_global_key.get(key)) for key in global_keys))
    for reference, row_id in references:
        if (joined := joining(row_id)) is not None:
            accepted.setdefault(joined)
        else:
            failed.append(reference)
    return list(accepted), failed


def _why_refused(org: Organization, project: Project, failed: list[str]) -> str:
    unknown: list[str] = []
    present: list[str] = []
    unprocessed: list[str] = []
    in_project = data_row_ids_in(org, project)
    for key in failed:  # one pass: a batch may refuse up to 100,000 references
        row = org.data_rows.get(key) or org.data_rows.get(org.data_rows_by_global_key.get(key, ""))
        if row is None:
            unknown.append(key)
        elif row.id in in_project:
            present.append(key)
        else:
            unprocessed.append(key)
    reasons = []
    if unknown:
        reasons.append(f"not found: {listing(unknown)}")
    if present:
        reasons.append(f"already in project {project.id}: {listing(present)}")
    if unprocessed:
        reasons.append(f"processing failed: {listing(unprocessed)}")
    return "; ".join(reasons) or "no data rows were given"


def new_batch(
    org: Organization, ids: IdFactory, clock: MockClock, project: Project, name: str, priority: int,
    consensus: dict[str, Any] | None,
) -> Batch:
    now = clock.now()
    batch = Batch(id=ids.new(), name=name, project_id=project.id, created_at=now, updated_at=now, priority=priority,
                  created_by_id=org.user.id, consensus_settings=consensus)
    org.batches[batch.id] = batch
    project.batch_ids.append(batch.id)
    project.updated_at = now
    return batch


def admit(org: Organization, clock: MockClock, project: Project, batch: Batch, row_ids: list[str],
          queue: TaskQueue | None = None) -> None:
    """Adds rows to the batch and puts them in `queue`, by default the project's first (labelling) queue."""
    batch.data_row_ids.extend(row_ids)
    queue_priority.admit(batch, row_ids)
    batch.updated_at = clock.now()
    place_rows(org, project, row_ids, queue or queue_of_type(org, project, INITIAL_LABELING_QUEUE))


def create_batch(
    org: Organization, ids: IdFactory, clock: MockClock, project_id: str, name: str,
    data_row_ids: list[str], global_keys: list[str], priority: Any = DEFAULT_BATCH_PRIORITY, consensus: Any = None,
) -> tuple[Batch, list[str]]:
    """A batch of the rows that can join the project; the rest come back as failed.

    Refused whole (nothing created) when the name is taken or no row can join.
    """
    project = org.project(project_id)
    _check_new_name(org, project, name)
    check_priority(priority)
    settings = check_consensus(consensus)
    if len(data_row_ids) + len(global_keys) > MAX_BATCH_SIZE:
        raise InvalidInput(f"a batch holds at most {MAX_BATCH_SIZE} data rows")
    accepted, failed = split_rows(org, project, data_row_ids, global_keys)
    if not accepted:
        raise Malformed(f"batch {name!r}: none of the data rows can be added: {_why_refused(org, project, failed)}")
    batch = new_batch(org, ids, clock, project, name, priority, settings)
    admit(org, clock, project, batch, accepted)
    return batch, failed


def create_empty_batch(
    org: Organization, ids: IdFactory, clock: MockClock, project_id: str, name: str, consensus: Any = None
) -> Batch:
    project = org.project(project_id)
    _check_new_name(org, project, name)
    return new_batch(org, ids, clock, project, name, DEFAULT_BATCH_PRIORITY, check_consensus(consensus))


def batch_of(org: Organization, project_id: str, batch_id: str) -> Batch:
    batch = org.batch(batch_id)
    if batch.project_id != project_id:
        raise InvalidInput(f"batch {batch_id} belongs to project {batch.project_id}, not {project_id}")
    return batch


def check_addition(
    org: Organization, project_id: str, batch_id: str, data_row_ids: list[str], global_keys: list[str], priority: Any,
) -> tuple[Project, Batch, list[str]]:
    """(project, batch, row ids) when every row can join the batch; otherwise raises naming the ones that cannot."""
    project = org.project(project_id)
    batch = batch_of(org, project_id, batch_id)
    check_priority(priority)
    if not data_row_ids and not global_keys:
        raise InvalidInput("give dataRowIds or globalKeys to add to the batch")
    if len(batch.data_row_ids) + len(data_row_ids) + len(global_keys) > MAX_BATCH_SIZE:
        raise InvalidInput(f"a batch holds at most {MAX_BATCH_SIZE} data rows")
    accepted, failed = split_rows(org, project, data_row_ids, global_keys)
    if failed:
        raise InvalidInput(f"cannot add data rows to batch {batch.name!r}: {_why_refused(org, project, failed)}")
    return project, batch, accepted


def add_rows(
    org: Organization, clock: MockClock, project_id: str, batch_id: str, data_row_ids: list[str],
    global_keys: list[str], priority: Any = DEFAULT_BATCH_PRIORITY,
) -> int:
    """Adds every row to the batch, or none: one unknown or already-present row refuses the lot."""
    project, batch, accepted = check_addition(org, project_id, batch_id, data_row_ids, global_keys, priority)
    batch.priority = priority
    admit(org, clock, project, batch, accepted)
    return len(accepted)


def remove_queued_rows(org: Organization, clock: MockClock, project_id: str, batch_id: str) -> Batch:
    """Takes the batch's rows still waiting in the labelling queue (unlabelled) out of the batch and the queue;
    rows already labelled, in review, rework or done stay."""
    project = org.project(project_id)
    batch = batch_of(org, project_id, batch_id)
    queue = queue_of_type(org, project, INITIAL_LABELING_QUEUE)
    labelled = {org.labels[label_id].data_row_id for label_id in project.label_ids}
    queued = set(queue.data_row_ids).intersection(batch.data_row_ids) - labelled
    if queued:
        queue_priority.take_out(batch, queued)
        queue.data_row_ids = [row_id for row_id in queue.data_row_ids if row_id not in queued]
        batch.updated_at = project.updated_at = clock.now()
    return batch


def batch_names(org: Organization, project: Project, prefix: str, count: int) -> list[str]:
    """`prefix0000`, `prefix0001`, ...: the names of the batches one createBatches call makes, all free."""
    names = [f"{prefix}{index:04d}" for index in range(count)]
    for name in names:
        _check_new_name(org, project, name)
    return names


def plan_batches(
    org: Organization, project_id: str, prefix: str, data_row_ids: list[str], global_keys: list[str],
    priority: Any, consensus: Any,
) -> tuple[Project, list[tuple[str, list[str]]], dict[str, Any] | None]:
    """(project, [(batch name, row ids)], consensus) for createBatches: every row must be able to join.

    Rows are cut into batches of at most MAX_BATCH_SIZE, named `prefix` and a four-digit index.
    """
    project = org.project(project_id)
    check_priority(priority)
    settings = check_consensus(consensus)
    if not prefix or not prefix.strip():
        raise InvalidInput("batchNamePrefix must not be empty")
    if data_row_ids and global_keys:
        raise InvalidInput("give dataRowIds or globalKeys, not both")
    accepted, failed = split_rows(org, project, data_row_ids, global_keys)
    if not accepted:
        raise Malformed(f"batches {prefix!r}: none of the data rows can be added: {_why_refused(org, project, failed)}")
    if failed:
        raise InvalidInput(f"batches {prefix!r}: some data rows cannot be added: {_why_refused(org, project, failed)}")
    return project, _cut(org, project, prefix, accepted), settings


def plan_batches_from_dataset(
    org: Organization, project_id: str, prefix: str, dataset_id: str, priority: Any, consensus: Any,
) -> tuple[Project, list[tuple[str, list[str]]], dict[str, Any] | None]:
    """As plan_batches, over the dataset's rows that can join the project (the others are left out)."""
    project = org.project(project_id)
    dataset = org.dataset(dataset_id)
    check_priority(priority)
    settings = check_consensus(consensus)
    if not prefix or not prefix.strip():
        raise InvalidInput("batchNamePrefix must not be empty")
    accepted, _left_out = split_rows(org, project, dataset.data_row_ids, ())
    if not accepted:
        raise Malformed(f"batches {prefix!r}: dataset {dataset.id} has no data rows that can be added to "
                        f"project {project.id}")
    return project, _cut(org, project, prefix, accepted), settings


def _cut(org: Organization, project: Project, prefix: str, rows: list[str]) -> list[tuple[str, list[str]]]:
    chunks = [rows[start:start + MAX_BATCH_SIZE] for start in range(0, len(rows), MAX_BATCH_SIZE)]
    return list(zip(batch_names(org, project, prefix, len(chunks)), chunks, strict=True))
