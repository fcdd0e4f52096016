"""Send to annotate as a task: the request is planned (and refused if bad) now, applied when the task completes."""

from __future__ import annotations

from typing import Any

from ..state import send_to_annotate as ops
from ..state.organization import Organization
from ..state.records import Task
from .tasks import TaskEngine


def send_to_annotate(tasks: TaskEngine, org: Organization, request: ops.SendToAnnotateRequest) -> Task:
    ops.plan(org, request)  # a bad request is refused here, before any task exists

    def effect() -> dict[str, Any]:
        return ops.apply(org, tasks.ids, tasks.clock, request)

    return tasks.start(org, "send-to-annotate", f"send to annotate: {request.batch_name}", effect,
                       task_type="send-to-annotate")
