"""Datasets and data rows: create, read, page, upsert (as a task), delete, and global-key lookups."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from graphql import GraphQLResolveInfo

from ...engines import data_row_upserts as upserts
from ...state import attachments as row_attachments
from ...state import datasets as catalog
from ...state.organization import Organization
from ...state.records import Dataset
from . import shapes
from .common import ctx, cursor_page, listing, page

DATA_ROW_PAGE_LIMIT = 500  # the SDK asks for 500; more in one page is refused by Labelbox too
IMPORTS_PAGE_DEFAULT = 5000


def dataset_shape(org: Organization, dataset: Dataset) -> dict[str, Any]:
    return {
        "id": dataset.id, "name": dataset.name, "description": dataset.description or "",
        "createdAt": dataset.created_at, "updatedAt": dataset.updated_at or dataset.created_at,
        "rowCount": len(dataset.data_row_ids),
    }


# -- datasets --------------------------------------------------------------------------------

def create_dataset(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return dataset_shape(c.org, catalog.create_dataset(c.org, c.ids, c.clock, data["name"], data.get("description")))


def update_dataset(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return dataset_shape(c.org, catalog.update_dataset(c.org, c.clock, where["id"], data))


def resolve_dataset(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    org = ctx(info).org
    return dataset_shape(org, org.dataset(where["id"]))


def resolve_datasets(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None,
                     skip: int | None = None, first: int | None = None) -> list[dict[str, Any]]:
    org = ctx(info).org
    return listing(org.datasets.ordered(), lambda d: dataset_shape(org, d), where, skip, first)


def dataset_data_rows(_root: Any, info: GraphQLResolveInfo, first: int | None = None,
                      where: dict[str, Any] | None = None, **args: Any) -> dict[str, Any]:
    org = ctx(info).org
    size = min(max(first or DATA_ROW_PAGE_LIMIT, 1), DATA_ROW_PAGE_LIMIT)
    rows, next_id = catalog.dataset_rows(org, args["id"], where, args.get("from"), size)
    return {"nodes": [shapes.data_row(org, row) for row in rows],
            "pageInfo": {"hasNextPage": next_id is not None, "startCursor": next_id, "endCursor": None}}


# -- data rows ---------------------------------------------------------------------------------

def data_row_dataset(root: dict[str, Any], info: GraphQLResolveInfo) -> dict[str, Any]:
    org = ctx(info).org
    return dataset_shape(org, catalog.dataset_of(org, root["id"]))


def data_row_attachments(root: dict[str, Any], info: GraphQLResolveInfo, skip: int | None = None,
                         first: int | None = None) -> list[dict[str, Any]]:
    row = ctx(info).org.data_row(root["id"])
    return [_attachment(a) for a in page(row.attachments, skip, first)]


def _attachment(item: dict[str, Any]) -> dict[str, Any]:
    return {"id": item["id"], "type": item["type"], "value": item["value"], "name": item.get("name")}


def data_row_created_by(_root: dict[str, Any], info: GraphQLResolveInfo) -> dict[str, Any]:
    return shapes.member(ctx(info).org)  # an organisation's rows are made by its one user


def data_row_organization(_root: dict[str, Any], info: GraphQLResolveInfo) -> dict[str, Any]:
    return shapes.organization(ctx(info).org)


def update_data_row(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any], data: dict[str, Any],
                    ) -> dict[str, Any]:
    c = ctx(info)
    return shapes.data_row(c.org, catalog.update_data_row(c.org, c.clock, where, data))


def create_attachment(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return _attachment(row_attachments.create(c.org, c.ids, data["dataRowId"], data))


def update_attachment(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any], data: dict[str, Any],
                      ) -> dict[str, Any]:
    return _attachment(row_attachments.update(ctx(info).org, where["id"], data))


def delete_attachment(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    return _attachment(row_attachments.delete(ctx(info).org, where["id"]))


def external_ids_to_data_row_ids(_root: Any, info: GraphQLResolveInfo, externalId_in: list[str],
                                 ) -> list[dict[str, Any]]:
    matches = catalog.external_id_matches(ctx(info).org, externalId_in)
    return [{"externalId": external_id, "dataRowId": row_id} for external_id, row_id in matches]


def upsert_data_rows(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    task = upserts.start_upsert(c.org, c.ids, c.clock, c.tasks, c.files, data["manifestUri"])
    return shapes.task(task, upserts.result_url(c.org, c.files, c.base_url, task))  # set once it finished


def delete_data_rows(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> list[dict[str, Any]]:
    c = ctx(info)
    return [shapes.data_row(c.org, row) for row in catalog.delete_data_rows(c.org, where["dataRowIds"])]


def _imports_page(items: Sequence[Any], data: dict[str, Any]) -> tuple[Sequence[Any], str | None]:
    size = min(max(data.get("first") or IMPORTS_PAGE_DEFAULT, 1), IMPORTS_PAGE_DEFAULT)
    chunk, info = cursor_page("data-row-imports", items, data.get("from"), size)
    return chunk, info["endCursor"]


def successful_imports(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    rows = upserts.successful_rows(ctx(info).org, data["taskId"])
    chunk, after = _imports_page(rows, data)
    return {"nodes": [{"id": r.id, "externalId": r.external_id, "globalKey": r.global_key, "rowData": r.row_data}
                      for r in chunk], "after": after, "total": len(rows)}


def failed_imports(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    failures = upserts.failed_specs(ctx(info).org, data["taskId"])
    chunk, after = _imports_page(failures, data)
    return {"results": [_failure(failure) for failure in chunk], "after": after, "total": len(failures)}


def _failure(failure: dict[str, Any]) -> dict[str, Any]:
    return {"message": failure["message"], "spec": upserts.failure_spec(failure["spec"])}


# -- global keys ---------------------------------------------------------------------------------

def data_rows_for_global_keys(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return {"jobId": upserts.start_global_key_job(c.org, c.tasks, list(where["ids"])).id}


def data_rows_for_global_keys_result(_root: Any, info: GraphQLResolveInfo, jobId: dict[str, Any]) -> dict[str, Any]:
    def data(lookup: catalog.GlobalKeyLookup) -> dict[str, Any]:
        missing = [key for key, row_id in zip(lookup.global_keys, lookup.found, strict=True) if not row_id]
        return {"fetchedDataRows": [{"id": row_id} for row_id in lookup.found],
                "notFoundGlobalKeys": missing, "accessDeniedGlobalKeys": []}

    return _job_result(info, jobId["id"], catalog.GlobalKeyLookup, data)


def assign_global_keys(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return {"jobId": upserts.start_global_key_assignment(c.org, c.tasks, list(data["assignInputs"])).id}


def assign_global_keys_result(_root: Any, info: GraphQLResolveInfo, jobId: dict[str, Any]) -> dict[str, Any]:
    def pairs(links: list[tuple[str, str]]) -> list[dict[str, str]]:
        return [{"dataRowId": row_id, "globalKey": key} for row_id, key in links]

    # the mock never rewrites a key, so no assignment is "sanitized"
    return _job_result(info, jobId["id"], catalog.GlobalKeyAssignment, lambda outcome: {
        "sanitizedAssignments": [], "unmodifiedAssignments": pairs(outcome.assigned),
        "invalidGlobalKeyAssignments": pairs(outcome.invalid), "accessDeniedAssignments": [],
    })


def clear_global_keys(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return {"jobId": upserts.start_global_key_clearing(c.org, c.tasks, list(where["ids"])).id}


def clear_global_keys_result(_root: Any, info: GraphQLResolveInfo, jobId: dict[str, Any]) -> dict[str, Any]:
    # every row is the caller's organisation's, and clearing a key cannot fail otherwise
    return _job_result(info, jobId["id"], catalog.GlobalKeyClearing, lambda outcome: {
        "clearedGlobalKeys": outcome.cleared, "failedToClearGlobalKeys": [],
        "notFoundGlobalKeys": outcome.not_found, "accessDeniedGlobalKeys": []})


def _job_result(info: GraphQLResolveInfo, job_id: str, kind: type[upserts.Outcome],
                data: Callable[[upserts.Outcome], dict[str, Any]]) -> dict[str, Any]:
    """A global-key job's result query: its status, and its data once COMPLETE (null before)."""
    c = ctx(info)
    status, outcome = upserts.read_job(c.tasks, c.org, job_id, kind)
    return {"jobStatus": status, "data": None if outcome is None else data(outcome)}


def iam_integrations(_root: Any, _info: GraphQLResolveInfo) -> list[dict[str, Any]]:
    return []  # no cloud buckets offline: datasets use no delegated access


RESOLVERS = {
    "Query": {
        "dataset": resolve_dataset,
        "datasets": resolve_datasets,
        "datasetDataRows": dataset_data_rows,
        "successesfulDataRowImports": successful_imports,
        "failedDataRowImports": failed_imports,
        "dataRowsForGlobalKeys": data_rows_for_global_keys,
        "dataRowsForGlobalKeysResult": data_rows_for_global_keys_result,
        "iamIntegrations": iam_integrations,
        "externalIdsToDataRowIds": external_ids_to_data_row_ids,
        "assignGlobalKeysToDataRowsResult": assign_global_keys_result,
        "clearGlobalKeysResult": clear_global_keys_result,
    },
    "Mutation": {
        "createDataset": create_dataset,
        "updateDataset": update_dataset,
        "upsertDataRows": upsert_data_rows,
        "deleteDataRows": delete_data_rows,
        "updateDataRow": update_data_row,
        "assignGlobalKeysToDataRows": assign_global_keys,
        "clearGlobalKeys": clear_global_keys,
        "createDataRowAttachment": create_attachment,
        "updateDataRowAttachment": update_attachment,
        "deleteDataRowAttachment": delete_attachment,
    },
    "Dataset": {
        "createdBy": lambda _parent, info: shapes.member(ctx(info).org),
        "organization": lambda _parent, info: shapes.organization(ctx(info).org),
    },
    "DataRow": {
        "dataset": data_row_dataset,
        "attachments": data_row_attachments,
        "createdBy": data_row_created_by,
        "organization": data_row_organization,
    },
}
