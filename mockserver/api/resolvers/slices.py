"""Model slices: a slice by id, and the data rows it selects in a model run, a cursor page at a time."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...state import slices as ops
from .common import ctx, page_size


def resolve_saved_query(_root: Any, info: GraphQLResolveInfo, id: str) -> dict[str, Any]:  # noqa: A002 - the API's name
    found = ctx(info).org.model_slice(id)
    return {"id": found.id, "name": found.name, "description": found.description, "filter": found.filter,
            "createdAt": found.created_at, "updatedAt": found.updated_at}


def resolve_slice_rows(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    after = input.get("after")
    rows, total, more = ops.slice_rows(ctx(info).org, input["savedQueryId"], input.get("modelRunId"),
                                       after["dataRowId"] if after else None, page_size(input["first"]))
    nodes = [{"id": row.id, "globalKey": row.global_key} for row in rows]
    end = {"dataRowId": rows[-1].id, "globalKey": rows[-1].global_key} if more and rows else None
    return {"totalCount": total, "nodes": nodes, "pageInfo": {"endCursor": end, "hasNextPage": more}}


RESOLVERS = {
    "Query": {
        "getSavedQuery": resolve_saved_query,
        "getDataRowIdentifiersBySavedModelQuery": resolve_slice_rows,
    },
}
