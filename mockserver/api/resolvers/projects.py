"""Projects: creation, updates and deletion, the labeling frontend, model-assisted labelling, labels, batch deletion."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from graphql import GraphQLResolveInfo

from ...engines.export_annotations import FeatureIndex, derived_id, v1_label
from ...ids import stable_id
from ...state import label_feedback
from ...state import project_admin as ops
from ...state.organization import Organization
from ...state.projects import row_count, winning_label
from ...state.records import Label, Project
from . import shapes
from .common import ctx, matches, page

# Labelbox's one labeling editor; every project the mock creates is set up with it
EDITOR = {"id": stable_id("labeling-frontend-editor"), "name": "Editor",
          "description": "Labelbox's image, video and text editor", "iframeUrlPath": "/editor"}


def _record(parent: dict[str, Any], info: GraphQLResolveInfo) -> Project:
    """The project a Project (or ProjectMutations) parent names by its id."""
    return ctx(info).org.project(parent["id"])


def _label_text(org: Organization, record: Label) -> str:
    """The label's annotations as the API's `label` field holds them: JSON text."""
    project = org.projects.get(record.project_id)
    ontology = org.ontologies.get(project.ontology_id) if project and project.ontology_id else None
    shaped = v1_label(record.annotations, FeatureIndex.of(ontology), record.id)
    return json.dumps({**shaped, "relationships": []})


def _label_scalars(record: Label) -> dict[str, Any]:
    """A label's scalar fields but its text; the mock keeps no labelling time, agreement or benchmark."""
    return {"id": record.id, "createdAt": record.created_at, "updatedAt": record.updated_at, "secondsToLabel": None,
            "agreement": None, "benchmarkAgreement": None, "isBenchmarkReference": False}


def label(org: Organization, record: Label) -> dict[str, Any]:
    """A label's scalars; its text, project, data row and author have field resolvers (`LABEL_FIELDS`)."""
    return _label_scalars(record)


def _label_record(parent: dict[str, Any], info: GraphQLResolveInfo) -> tuple[Organization, Label]:
    org = ctx(info).org
    return org, org.label(parent["id"])


def _label_project(parent: dict[str, Any], info: GraphQLResolveInfo) -> dict[str, Any]:
    org, record = _label_record(parent, info)
    return shapes.project(org, org.project(record.project_id))


def _label_data_row(parent: dict[str, Any], info: GraphQLResolveInfo) -> dict[str, Any]:
    org, record = _label_record(parent, info)
    return shapes.data_row(org, org.data_row(record.data_row_id))


def _label_author(parent: dict[str, Any], info: GraphQLResolveInfo) -> dict[str, Any] | None:
    org, record = _label_record(parent, info)
    return shapes.member(org) if record.created_by_id == org.user.id else None


LABEL_FIELDS = {
    "label": lambda parent, info: _label_text(*_label_record(parent, info)),
    "project": _label_project,
    "dataRow": _label_data_row,
    "createdBy": _label_author,
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


def upsert_label_feedback(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    c = ctx(info)
    record = label_feedback.upsert_feedback(c.org, c.clock, input["labelId"], input["feedback"], input["scores"])
    return {"id": record.id, "scores": [{"id": derived_id(record.id, "score", name), "name": name, "score": score}
                                        for name, score in record.scores.items()]}


def resolve_label(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    org = ctx(info).org
    return label(org, org.label(where["id"]))


def labeling_frontends(_root: Any, _info: GraphQLResolveInfo, where: dict[str, Any] | None = None,
                       skip: int | None = None, first: int | None = None) -> list[dict[str, Any]]:
    return page([EDITOR] if matches(EDITOR, where) else [], skip, first)


def set_instructions(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any],
                     data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return shapes.project(c.org, ops.set_instructions(c.org, c.clock, where["id"], data["instructionsUrl"]))


def clone_project(_root: Any, info: GraphQLResolveInfo, data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return shapes.project(c.org, ops.clone_project(c.org, c.ids, c.clock, data["projectId"]))


def extend_reservations(_root: Any, info: GraphQLResolveInfo, projectId: str, queueType: str) -> int:
    """Labelbox answers how many of the caller's reservations it extended; the mock's API user reserves
    nothing (no one labels in the mock), so none."""
    ctx(info).org.project(projectId)
    return 0


def set_model_setup_complete(_root: Any, info: GraphQLResolveInfo, where: dict[str, Any],
                             data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    return shapes.project(c.org, ops.set_model_setup_complete(c.org, where["id"]))


def clear_queue_reservations(_root: Any, info: GraphQLResolveInfo, input: dict[str, Any]) -> dict[str, Any]:  # noqa: A002
    cleared = ops.clear_queue_reservations(ctx(info).org, input["projectId"], input["queueId"])
    return {"success": True, "clearedReservationCount": cleared}


def ontology_options(parent: dict[str, Any], info: GraphQLResolveInfo) -> dict[str, Any] | None:
    url = ctx(info).org.ontology(parent["id"]).project_instructions
    return None if url is None else {"projectInstructions": url}


def connect_ontology(parent: dict[str, Any], info: GraphQLResolveInfo, ontologyId: str) -> dict[str, Any]:
    c = ctx(info)
    return shapes.project(c.org, ops.connect_ontology(c.org, c.clock, parent["id"], ontologyId))


def show_predictions(parent: dict[str, Any], info: GraphQLResolveInfo, show: bool) -> dict[str, Any]:
    c = ctx(info)
    return shapes.project(c.org, ops.show_predictions(c.org, c.clock, parent["id"], show))


def delete_batch(parent: dict[str, Any], info: GraphQLResolveInfo, batchId: str) -> dict[str, Any]:
    return {"deletedBatchId": ops.delete_batch(ctx(info).org, parent["id"], batchId).id}


def delete_batch_labels(parent: dict[str, Any], info: GraphQLResolveInfo, batchId: str,
                        data: dict[str, Any]) -> dict[str, Any]:
    c = ctx(info)
    deleted = ops.delete_batch_labels(c.org, c.clock, parent["id"], batchId, data["type"])
    return {"deletedLabelIds": [record.id for record in deleted]}


def project_labels(parent: dict[str, Any], info: GraphQLResolveInfo, skip: int | None = None,
                   first: int | None = None, where: dict[str, Any] | None = None,
                   orderBy: str | None = None) -> list[dict[str, Any]]:
    """The project's labels in the order they were made, or by `orderBy`; `where` filters them by id, by
    their data row (its id, or its dataset's) and by who made them."""
    org = ctx(info).org
    label_ids = _record(parent, info).label_ids
    if not where and not orderBy:  # the common listing: only the page's labels are read
        return [label(org, org.labels[key]) for key in page(label_ids, skip, first)]
    records = [org.labels[key] for key in label_ids]
    return [label(org, record) for record in page(_selected_labels(org, records, where, orderBy), skip, first)]


def data_row_labels(parent: dict[str, Any], info: GraphQLResolveInfo, skip: int | None = None,
                    first: int | None = None, where: dict[str, Any] | None = None,
                    orderBy: str | None = None) -> list[dict[str, Any]]:
    """A data row's labels in every project, oldest first or by `orderBy` (DataRow.labels); the SDK asks for
    those not deleted."""
    org = ctx(info).org
    row_id = org.data_row(parent["id"]).id
    # kept until labels change, so each page after the first is O(page)
    records = org.labels.view(("of data row", row_id),
                              lambda labels: [r for r in labels if r.data_row_id == row_id])  # made order
    return [label(org, record) for record in page(_selected_labels(org, records, where, orderBy), skip, first)]


def labeling_activity(parent: dict[str, Any], info: GraphQLResolveInfo, where: dict[str, Any]) -> dict[str, Any]:
    """A row's labelling in one project: which of its labels there wins (none until it has one)."""
    winner = winning_label(ctx(info).org, where["projectId"], parent["id"])
    return {"selectedLabelId": None if winner is None else winner.id}


def _selected_labels(org: Organization, records: Sequence[Label], where: dict[str, Any] | None,
                     order_by: str | None) -> Sequence[Label]:
    """The labels `where` matches, sorted by `order_by` (a field and ASC or DESC), or as they came."""
    if where:
        records = [record for record in records if matches(_label_relations(org, record), where)]
    if order_by:
        field, direction = order_by.rsplit("_", 1)
        records = sorted(records, key=lambda record: _order_key(org, record, field), reverse=direction == "DESC")
    return records


def _label_relations(org: Organization, record: Label) -> dict[str, Any]:
    """What a label filter reads: its id, its data row and that row's dataset, who made it."""
    row = org.data_rows.get(record.data_row_id)
    # a deleted label leaves the store, so every stored one is `deleted: false`
    return {"id": record.id, "deleted": False, "createdBy": {"id": record.created_by_id},
            "dataRow": {"id": record.data_row_id, "dataset": {"id": row.dataset_id if row else None}}}


def _order_key(org: Organization, record: Label, field: str) -> tuple[bool, Any]:
    """Sorts by `field`; labels without a value go last ascending and first descending, as in a database."""
    value = _label_text(org, record) if field == "label" else _label_scalars(record)[field]
    return value is None, value


RESOLVERS = {
    "Query": {"label": resolve_label, "labelingFrontends": labeling_frontends},
    "Mutation": {"createProject": create_project, "updateProject": update_project, "deleteLabels": delete_labels,
                 "setProjectInstructions": set_instructions, "cloneProject": clone_project,
                 "extendReservations": extend_reservations,
                 "clearQueueReservations": clear_queue_reservations,
                 "setProjectModelSetupComplete": set_model_setup_complete, "upsertAutoQaLabelFeedback": upsert_label_feedback},
    "Ontology": {"options": ontology_options},
    "ProjectMutations": {
        "connectOntology": connect_ontology,
        "showPredictionsToLabelers": show_predictions,
        "deleteBatch": delete_batch,
        "deleteBatchLabels": delete_batch_labels,
    },
    "Label": LABEL_FIELDS,
    "DataRow": {"labels": data_row_labels, "labelingActivity": labeling_activity},
    "Project": {
        "labels": project_labels,
        "labelCount": lambda parent, info: len(_record(parent, info).label_ids),
        # a resolver, not in the shape: a project read that does not ask for it (a page of its batches or
        # overrides) does not count the rows
        "dataRowCount": lambda parent, info: row_count(ctx(info).org, _record(parent, info)),
        "labelingFrontend": lambda _parent, _info: EDITOR,
        "showingPredictionsToLabelers": lambda parent, info: _record(parent, info).showing_predictions,
        "createdBy": lambda parent, info: shapes.member(ctx(info).org),
        "organization": lambda _parent, info: shapes.organization(ctx(info).org),
    },
}
