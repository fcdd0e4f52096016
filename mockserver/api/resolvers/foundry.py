"""Foundry apps and their runs over data rows."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...engines import foundry as jobs
from ...state import foundry as ops
from ...state.records import FoundryApp
from .common import ctx


def app(record: FoundryApp) -> dict[str, Any]:
    return {"id": record.id, "modelId": record.model_id, "name": record.name, "description": record.description,
            "inferenceParams": record.inference_params, "classToSchemaId": record.class_to_schema_id,
            "ontologyId": record.ontology_id, "createdBy": record.created_by_id}


def create_app(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    c = ctx(info)
    return app(ops.create_app(c.org, c.ids, c.clock, input))


def find_app(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    return app(ops.find_app(ctx(info).org, where["id"]))


def delete_app(_root: Any, info: GraphQLResolveInfo, id: str) -> dict[str, Any]:  # noqa: A002
    ops.delete_app(ctx(info).org, id)
    return {"success": True}


def run_app(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    c = ctx(info)
    return {"taskId": jobs.run_app(c.tasks, c.org, input).id}


RESOLVERS = {
    "Query": {"findModelFoundryApp": find_app},
    "Mutation": {"createModelFoundryApp": create_app, "deleteModelFoundryApp": delete_app,
                 "createModelJobForDataRows": run_app},
}
