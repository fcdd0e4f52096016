"""Models and model runs: lifecycle, training config and training status."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLResolveInfo

from ...state import models as ops
from ...state.errors import NotFound
from . import shapes
from .common import ctx, listing


def model_runs(parent: dict[str, Any], info: GraphQLResolveInfo, where: dict[str, Any] | None = None,
               skip: int | None = None, first: int | None = None) -> list[dict[str, Any]]:
    """Model.modelRuns: the runs of the model the parent names by its id."""
    org = ctx(info).org
    model_id = org.model(parent["id"]).id
    return listing(ops.runs_of(org, model_id), shapes.model_run, where, skip, first)


def resolve_model(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    return shapes.model(ctx(info).org.model(where["id"]))


def resolve_models(
    _root: Any, info: GraphQLResolveInfo, where: dict[str, Any] | None = None, skip: int | None = None,
    first: int | None = None,
) -> list[dict[str, Any]]:
    return listing(ctx(info).org.models.ordered(), shapes.model, where, skip, first)


def resolve_model_run(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    return shapes.model_run(ctx(info).org.model_run(where["id"]))


def resolve_training_pipeline(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    run = ctx(info).org.model_run(where["id"])
    return {"status": run.status, "errorMessage": run.error_message, "metadata": run.status_metadata or None}


def resolve_cost_info(_root: Any, _info: GraphQLResolveInfo, where: dict[str, Any]) -> None:
    # Foundry cost figures are outside the mock; the real API answers not-found for non-Foundry runs
    raise NotFound("ModelFoundryModelRunInfo", where["modelRunId"], by="model run id")


def create_model(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return shapes.model(ops.create_model(c.org, c.ids, c.clock, data["name"], data["ontologyId"]))


def delete_models(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> bool:
    ops.delete_models(ctx(info).org, where["ids"])
    return True


def create_model_run(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    run = ops.create_model_run(c.org, c.ids, c.clock, data["modelId"], data["name"], data.get("trainingMetadata"))
    return shapes.model_run(run)


def delete_model_runs(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> bool:
    ops.delete_model_runs(ctx(info).org, where["ids"])
    return True


def update_config(_root: Any, info: GraphQLResolveInfo, modelRun: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return shapes.model_run(ops.update_config(c.org, c.clock, modelRun["id"], data["config"]))


def reset_config(_root: Any, info: GraphQLResolveInfo, modelRun: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return shapes.model_run(ops.reset_config(c.org, c.clock, modelRun["id"]))


def update_training_pipeline(_root: Any, info: GraphQLResolveInfo, modelRun: dict[str, Any],
                             data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    run = ops.update_training_pipeline(c.org, c.clock, modelRun["id"], data["status"], data.get("errorMessage"),
                                       data.get("metadata"))
    return {"status": run.status, "errorMessage": run.error_message, "metadata": run.status_metadata or None}


RESOLVERS = {
    "Query": {
        "model": resolve_model,
        "models": resolve_models,
        "modelRun": resolve_model_run,
        "trainingPipeline": resolve_training_pipeline,
        "modelFoundryModelRunInfo": resolve_cost_info,
    },
    "Mutation": {
        "createModel": create_model,
        "deleteModels": delete_models,
        "createModelRun": create_model_run,
        "deleteModelRuns": delete_model_runs,
        "updateModelRunConfig": update_config,
        "resetModelRunConfig": reset_config,
        "updateTrainingPipeline": update_training_pipeline,
    },
    "Model": {"modelRuns": model_runs},
}
