"""A model run's data rows: registration tasks, deletion, splits and the annotation-group pages."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...state import model_run_rows as ops
from ...state.errors import InvalidInput
from ...state.records import ModelRun, ModelRunDataRow
from . import shapes
from .common import ctx, cursor_page

MAX_PAGE = 1000


def register_data_rows(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any], data: dict[str, Any]) -> str:
    c = ctx(info)
    run_id = c.org.model_run(where["id"]).id
    ids, keys = list(data.get("dataRowIds") or []), list(data.get("globalKeys") or [])
    if not ids and not keys:
        raise InvalidInput("give dataRowIds or globalKeys")

    def effect() -> None:
        ops.register_data_rows(c.org, c.ids, c.clock, run_id, ids, keys)

    return c.tasks.start(c.org, "data-row-registration", "MEA data row registration", effect).id


def register_labels(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any], data: dict[str, Any]) -> str:
    c = ctx(info)
    run_id = c.org.model_run(where["id"]).id
    label_ids = list(data["labelIds"])
    if not label_ids:
        raise InvalidInput("labelIds is empty")

    def effect() -> None:
        ops.register_labels(c.org, c.ids, c.clock, run_id, label_ids)

    return c.tasks.start(c.org, "label-registration", "MEA label registration", effect).id


def register_project_labels(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> str:
    c = ctx(info)
    run_id = c.org.model_run(where["modelRunId"]).id
    project_id = c.org.project(where["projectId"]).id

    def effect() -> None:
        ops.register_project_labels(c.org, c.ids, c.clock, run_id, project_id)

    return c.tasks.start(c.org, "label-registration", "MEA project label registration", effect).id


def delete_rows(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> bool:
    c = ctx(info)
    ops.delete_rows(c.org, c.clock, where["modelRunId"], where["dataRowIds"])
    return True


def assign_splits(_root: Any, info: GraphQLResolveInfo, modelRun: dict[str, Any], data: dict[str, Any]) -> str:
    c = ctx(info)
    run_id = c.org.model_run(modelRun["id"]).id
    assignments = [
        (a["split"], list(a.get("dataRowIds") or []), list(a.get("globalKeys") or [])) for a in data["assignments"]
    ]
    if not any(ids or keys for _split, ids, keys in assignments):
        raise InvalidInput("no data rows to assign: each assignment needs dataRowIds or globalKeys")

    def effect() -> None:
        ops.assign_splits(c.org, c.clock, run_id, assignments)

    return c.tasks.start(c.org, "split-assignment", "assign data rows to split", effect).id


# -- annotation groups: cursor pages over a run's entries -------------------------

def _ordered(run: ModelRun) -> list[ModelRunDataRow]:
    """The run's entries as a list, rebuilt only when the run changed, so each page costs O(page)."""
    cached = run.ordered_cache
    if cached is None or cached[0] != run.rows_version or len(cached[1]) != len(run.rows):
        cached = (run.rows_version, list(run.rows.values()))
        run.ordered_cache = cached
    return cached[1]




def annotation_groups(
    _root: Any, info: GraphQLResolveInfo, where: dict[str, Any], after: str | None = None, first: int | None = None
) -> dict[str, Any]:
    c = ctx(info)
    run = c.org.model_run(where["modelRunId"]["id"])
    size = min(first if first is not None else 100, MAX_PAGE)
    if size < 0:
        raise InvalidInput("first must not be negative")
    chunk, page_info = cursor_page("offset", _ordered(run), after, size)
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
