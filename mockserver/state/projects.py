"""Project operations: creation with Labelbox's default workflow queues."""

from __future__ import annotations

from ..clock import MockClock
from ..ids import IdFactory
from .organization import Organization
from .records import Project, TaskQueue

# The queues a new Labelbox project's default workflow has, in workflow order.
DEFAULT_QUEUES = (
    ("Initial labeling task", "INITIAL_LABELING_QUEUE"),
    ("Initial review task", "MANUAL_REVIEW_QUEUE"),
    ("Rework", "MANUAL_REWORK_QUEUE"),
    ("Done", "DONE_QUEUE"),
)


def create_project(
    org: Organization,
    ids: IdFactory,
    clock: MockClock,
    name: str,
    ontology_id: str | None = None,
    project_id: str | None = None,
    media_type: str = "IMAGE",
) -> Project:
    now = clock.now()
    project = Project(
        id=project_id or ids.new(),
        name=name,
        created_at=now,
        updated_at=now,
        ontology_id=ontology_id,
        media_type=media_type,
        created_by_id=org.user.id,
    )
    for queue_name, queue_type in DEFAULT_QUEUES:
        queue = TaskQueue(id=ids.new(), name=queue_name, queue_type=queue_type, project_id=project.id)
        org.task_queues[queue.id] = queue
        project.task_queue_ids.append(queue.id)
    org.projects[project.id] = project
    return project


def done_queue(org: Organization, project: Project) -> TaskQueue:
    for queue_id in project.task_queue_ids:
        queue = org.task_queues[queue_id]
        if queue.queue_type == "DONE_QUEUE":
            return queue
    raise LookupError(f"project {project.id} has no Done queue")
