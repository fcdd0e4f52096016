"""Projects: creation, updates and deletion, the labeling frontend, model-assisted labelling, labels, batch deletion."""

from __future__ import annotations

import json
from typing import Any

from graphql import GraphQLResolveInfo

from ...engines.export_annotations import FeatureIndex, v1_label
from ...ids import stable_id
from ...state import project_admin as ops
from ...state.organization import Organization
from ...state.records import Label, Project
from . import shapes
from .common import ctx, matches, page

# Labelbox's one labeling editor; every project the mock creates is set up with it
EDITOR = {"id": stable_id("labeling-frontend-editor"), "name": "Editor",
          "description": "Labelbox's image, video and text editor", "iframeUrlPath": "/editor"}


def _record(parent: dict[str, Any], info: GraphQLResolveInfo) -> Project:
    """The project a Project (or ProjectMutations) parent names by its id."""
    return ctx(info).org.project(parent["id"])


def label(org: Organization, record: Label) -> dict[str, Any]:
    def text(_info: GraphQLResolveInfo) -> str:
        project = org.projects.get(record.project_id)
        ontology = org.ontologies.get(project.ontology_id) if project and project.ontology_id else None
        shaped = v1_label(record.annotations, FeatureIndex.of(ontology), record.id)
        return json.dumps({**shaped, "relationships": []})

    return {
        "id": record.id, "label": text, "createdAt": record.created_at, "updatedAt": record.updated_at,
        "secondsToLabel": None, "agreement": None, "benchmarkAgreement": None, "isBenchmarkReference": False,
        "project": lambda _info: shapes.project(org, org.project(record.project_id)),
        "dataRow": lambda _info: shapes.data_row(org, org.data_row(record.data_row_id)),
        "createdBy": lambda _info: shapes.member(org) if record.created_by_id == org.user.id else None,
    }


def create_project(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return shapes.project(c.org, ops.new_project(c.org, c.ids, c.clock, data))


def update_project(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return shapes.project(c.org, ops.update_project(c.org, c.ids, c.clock, where["id"], data))


def delete_labels(_root: Any, info: GraphQLResolveInfo, labelIds: list[str]) -> list[dict[str, Any]]:
    c = ctx(info)
    return [{"id": record.id} for record in ops.delete_labels(c.org, c.clock, labelIds)]


def resolve_label(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    org = ctx(info).org
    return label(org, org.label(where["id"]))


def labeling_frontends(_root: Any, _info: GraphQLResolveInfo, where: dict[str, Any] | None = None,
                       skip: int | None = None, first: int | None = None) -> list[dict[str, Any]]:
    return page([EDITOR] if matches(EDITOR, where) else [], skip, first)


def connect_ontology(parent: dict[str, Any], info: GraphQLResolveInfo, ontologyId: str) -> dict[str, Any]:
    c = ctx(info)
    return shapes.project(c.org, ops.connect_ontology(c.org, c.clock, parent["id"], ontologyId))


def show_predictions(parent: dict[str, Any], info: GraphQLResolveInfo, show: bool) -> dict[str, Any]:
    c = ctx(info)
    return shapes.project(c.org, ops.show_predictions(c.org, c.clock, parent["id"], show))


def delete_batch(parent: dict[str, Any], info: GraphQLResolveInfo, batchId: str) -> dict[str, Any]:
    return {"deletedBatchId": ops.delete_batch(ctx(info).org, parent["id"], batchId).id}


def project_labels(parent: dict[str, Any], info: GraphQLResolveInfo, skip: int | None = None,
                   first: int | None = None) -> list[dict[str, Any]]:
    org = ctx(info).org
    return [label(org, org.labels[key]) for key in page(_record(parent, info).label_ids, skip, first)]


RESOLVERS = {
    "Query": {"label": resolve_label, "labelingFrontends": labeling_frontends},
    "Mutation": {"createProject": create_project, "updateProject": update_project, "deleteLabels": delete_labels},
    "ProjectMutations": {
        "connectOntology": connect_ontology,
        "showPredictionsToLabelers": show_predictions,
        "deleteBatch": delete_batch,
    },
    "Project": {
        "labels": project_labels,
        "labelCount": lambda parent, info: len(_record(parent, info).label_ids),
        "labelingFrontend": lambda _parent, _info: EDITOR,
        "showingPredictionsToLabelers": lambda parent, info: _record(parent, info).showing_predictions,
        "createdBy": lambda parent, info: shapes.member(ctx(info).org),
        "organization": lambda _parent, info: shapes.organization(ctx(info).org),
    },
}
