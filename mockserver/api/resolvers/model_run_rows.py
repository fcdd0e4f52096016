"""A model run's data rows: registration tasks, deletion, splits and the annotation-group pages."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...engines import model_run_rows as jobs
from ...state import model_run_rows as ops
from . import shapes
from .common import ctx, cursor_page, page_size


def register_data_rows(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any], data: dict[str, Any]) -> str:
    c = ctx(info)
    ids, keys = list(data.get("dataRowIds") or []), list(data.get("globalKeys") or [])
    return jobs.register_data_rows(c.tasks, c.org, where["id"], ids, keys).id


def register_labels(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any], data: dict[str, Any]) -> str:
    c = ctx(info)
    return jobs.register_labels(c.tasks, c.org, where["id"], list(data["labelIds"])).id


def register_project_labels(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> str:
    c = ctx(info)
    return jobs.register_project_labels(c.tasks, c.org, where["modelRunId"], where["projectId"]).id


def delete_rows(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> bool:
    c = ctx(info)
    ops.delete_rows(c.org, c.clock, where["modelRunId"], where["dataRowIds"])
    return True


def assign_splits(_root: Any, info: GraphQLResolveInfo, modelRun: dict[str, Any], data: dict[str, Any]) -> str:
    c = ctx(info)
    assignments = [
        (a["split"], list(a.get("dataRowIds") or []), list(a.get("globalKeys") or [])) for a in data["assignments"]
    ]
    return jobs.assign_splits(c.tasks, c.org, modelRun["id"], assignments).id


# -- annotation groups: cursor pages over a run's entries -------------------------

def annotation_groups(
    _root: Any, info: GraphQLResolveInfo, where: dict[str, Any], after: str | None = None, first: int | None = None
) -> dict[str, Any]:
    c = ctx(info)
    run = c.org.model_run(where["modelRunId"]["id"])
    chunk, page_info = cursor_page("offset", ops.ordered_rows(c.org, run), after, page_size(first))
    return {"nodes": [shapes.annotation_group(c.org, entry) for entry in chunk], "pageInfo": page_info}


RESOLVERS = {
    "Query": {"annotationGroups": annotation_groups},
    "Mutation": {
        "createMEAModelRunDataRowRegistrationTask": register_data_rows,
        "createMEAModelRunLabelRegistrationTask": register_labels,
        "createMEAModelRunProjectLabelRegistrationTask": register_project_labels,
        "deleteModelRunDataRows": delete_rows,
        "createAssignDataRowsToDataSplitTask": assign_splits,
    },
}
