"""Project operations: creation with Labelbox's default workflow queues, and where rows sit in them."""

from __future__ import annotations

from collections.abc import Iterable

from ..clock import MockClock
from ..ids import IdFactory
from .organization import Organization
from .records import Label, Project, TaskQueue

INITIAL_LABELING_QUEUE = "INITIAL_LABELING_QUEUE"
MANUAL_REVIEW_QUEUE = "MANUAL_REVIEW_QUEUE"
MANUAL_REWORK_QUEUE = "MANUAL_REWORK_QUEUE"
DONE_QUEUE = "DONE_QUEUE"

# A row's workflow status (as exports report it) by the type of the queue holding it.
WORKFLOW_STATUS = {
    INITIAL_LABELING_QUEUE: "TO_LABEL",
    MANUAL_REVIEW_QUEUE: "IN_REVIEW",
    MANUAL_REWORK_QUEUE: "IN_REWORK",
    DONE_QUEUE: "DONE",
}

# The queues a new Labelbox project's default workflow has, in workflow order.
DEFAULT_QUEUES = (
    ("Initial labeling task", INITIAL_LABELING_QUEUE),
    ("Initial review task", MANUAL_REVIEW_QUEUE),
    ("Rework", MANUAL_REWORK_QUEUE),
    ("Done", DONE_QUEUE),
)


def create_project(
    org: Organization,
    ids: IdFactory,
    clock: MockClock,
    name: str,
    ontology_id: str | None = None,
    project_id: str | None = None,
    media_type: str = "IMAGE",
    **settings: object,
) -> Project:
    """`settings` are further Project fields (description, quality settings) as given."""
    now = clock.now()
    project = Project(
        id=project_id or ids.new(),
        name=name,
        created_at=now,
        updated_at=now,
        ontology_id=ontology_id,
        media_type=media_type,
        created_by_id=org.user.id,
        **settings,  # type: ignore[arg-type]
    )
    for queue_name, queue_type in DEFAULT_QUEUES:
        queue = TaskQueue(id=ids.new(), name=queue_name, queue_type=queue_type, project_id=project.id)
        org.task_queues[queue.id] = queue
        project.task_queue_ids.append(queue.id)
    org.projects[project.id] = project
    return project


def queue_of_type(org: Organization, project: Project, queue_type: str) -> TaskQueue:
    for queue_id in project.task_queue_ids:
        queue = org.task_queues[queue_id]
        if queue.queue_type == queue_type:
            return queue
    raise LookupError(f"project {project.id} has no {queue_type} queue")


def listed_queues(org: Organization, project: Project) -> list[TaskQueue]:
    """The queues the API lists: Done is the workflow's last step, not a task queue."""
    queues = (org.task_queues[queue_id] for queue_id in project.task_queue_ids)
    return [queue for queue in queues if queue.queue_type != DONE_QUEUE]


def data_row_ids_in(org: Organization, project: Project) -> set[str]:
    """Rows that are part of the project: in one of its batches, or labelled in it (seeds label without batches)."""
    rows = {row_id for batch_id in project.batch_ids for row_id in org.batches[batch_id].data_row_ids}
    rows.update(org.labels[label_id].data_row_id for label_id in project.label_ids)
    return rows


def row_count(org: Organization, project: Project) -> int:
    """Rows of the project's batches: a row is in at most one batch of a project, so O(batches)."""
    return sum(len(org.batches[batch_id].data_row_ids) for batch_id in project.batch_ids)


def place_rows(org: Organization, project: Project, row_ids: Iterable[str], queue: TaskQueue) -> None:
    """Moves rows into `queue`, out of whichever of the project's queues held them."""
    moving = list(dict.fromkeys(row_ids))
    moved = set(moving)
    for queue_id in project.task_queue_ids:
        other = org.task_queues[queue_id]
        if other is not queue and moved.intersection(other.data_row_ids):
            other.data_row_ids = [row_id for row_id in other.data_row_ids if row_id not in moved]
    present = set(queue.data_row_ids)
    queue.data_row_ids.extend(row_id for row_id in moving if row_id not in present)


def labels_by_data_row(org: Organization, project: Project) -> dict[str, Label]:
    """The project's label of each data row (the latest, if a seed gave a row several): the row's winning label,
    which exports and send-to-annotate carry."""
    return {org.labels[label_id].data_row_id: org.labels[label_id] for label_id in project.label_ids}


def winning_label(org: Organization, project_id: str, data_row_id: str) -> Label | None:
    """The winning label of one row in a project (DataRow.get_winning_label_id), as `labels_by_data_row` picks
    it; None when the row has no label there. An unknown project or row is refused (NotFound)."""
    project = org.project(project_id)
    org.data_row(data_row_id)
    found = None
    for label_id in project.label_ids:
        if org.labels[label_id].data_row_id == data_row_id:
            found = org.labels[label_id]
    return found


def workflow_status(queue_type: str | None, labelled: bool) -> str | None:
    """A row outside every queue is done once labelled in the project (seeds label without batches)."""
    if queue_type is None:
        return "DONE" if labelled else None
    return WORKFLOW_STATUS.get(queue_type)


def queue_types_by_row(org: Organization, project: Project) -> dict[str, str]:
    return {row_id: org.task_queues[queue_id].queue_type for queue_id in project.task_queue_ids
            for row_id in org.task_queues[queue_id].data_row_ids}
