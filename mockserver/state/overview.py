"""A project's overview: how many of its rows are in each workflow state, optionally within some batches.

Batch-scoped counts cover the rows of the named batches of this project; an
unknown batch id, or one of another project, adds nothing (counts of zero).
The mock has no skipping, so Skipped is always 0.
"""

from __future__ import annotations

from collections.abc import Sequence

from .organization import Organization
from .projects import data_row_ids_in, queue_types_by_row, workflow_status
from .records import Project, TaskQueue

# Project.workstreamStateCounts' state names, by a row's workflow status
_STATE_OF_STATUS = {"TO_LABEL": "Unlabeled", "IN_REVIEW": "InReview", "IN_REWORK": "InRework", "DONE": "Done",
                    None: "NotInTaskQueue"}
STATES = ("All", "Unlabeled", "InReview", "InRework", "Skipped", "Done", "Labeled", "NotInTaskQueue")


def scoped_rows(org: Organization, project: Project, batch_ids: Sequence[str] | None) -> set[str]:
    """The project's rows, or those of the given batches of the project."""
    if batch_ids is None:
        return data_row_ids_in(org, project)
    mine = set(project.batch_ids)
    return {row_id for batch_id in dict.fromkeys(batch_ids) if batch_id in mine
            for row_id in org.batches[batch_id].data_row_ids}


def workstream_counts(org: Organization, project_id: str, batch_ids: Sequence[str] | None) -> dict[str, int]:
    project = org.project(project_id)
    rows = scoped_rows(org, project, batch_ids)
    labelled = {org.labels[label_id].data_row_id for label_id in project.label_ids}
    queues = queue_types_by_row(org, project)
    counts = dict.fromkeys(STATES, 0)
    counts["All"] = len(rows)
    counts["Labeled"] = len(rows & labelled)
    for row_id in rows:
        counts[_STATE_OF_STATUS.get(workflow_status(queues.get(row_id), row_id in labelled), "NotInTaskQueue")] += 1
    return counts


def queue_row_count(org: Organization, queue: TaskQueue, batch_ids: Sequence[str] | None) -> int:
    if batch_ids is None:
        return len(queue.data_row_ids)
    return len(scoped_rows(org, org.project(queue.project_id), batch_ids).intersection(queue.data_row_ids))
