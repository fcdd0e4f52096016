"""Each public name of labelbox_lite beside the SDK path scripts import it from (tests/client and tests/contract read it)."""

from __future__ import annotations

import importlib
from typing import Any

import labelbox_lite as lb

# public name -> "module" or "module:qualified.name" in the SDK (labelbox 7.17.0), the path its docs
# and examples import from; None for labelbox_lite's own names, which the SDK does not have
SDK_PATHS: dict[str, str | None] = {
    "AnnotationImportState": "labelbox.schema.annotation_import",
    "Batch": "labelbox.schema.batch",
    "BufferedJsonConverterOutput": "labelbox.schema.export_task",
    "BufferedStream": "labelbox.schema.export_task",
    "Classification": "labelbox.schema.tool_building.classification",
    "Client": "labelbox.client",
    "ConflictResolutionStrategy": "labelbox.schema.conflict_resolution_strategy",
    "DataRow": "labelbox.schema.data_row",
    "DataRowIds": "labelbox.schema.identifiables",
    "DataSplit": "labelbox.schema.model_run",
    "ExportTask": "labelbox.schema.export_task",
    "ExportTaskException": "labelbox.schema.export_task:ExportTask.ExportTaskException",
    "GlobalKeys": "labelbox.schema.identifiables",
    "Label": "labelbox.schema.label",
    "LabelingFrontend": "labelbox.schema.labeling_frontend",
    "MEAPredictionImport": "labelbox.schema.annotation_import",
    "MEAToMALPredictionImport": "labelbox.schema.annotation_import",
    "MediaType": "labelbox.schema.media_type",
    "Model": "labelbox.schema.model",
    "ModelRun": "labelbox.schema.model_run",
    "ModelRunDataRow": "labelbox.schema.model_run",
    "ModelRunExportParams": "labelbox.schema.export_params",
    "ModelSlice": "labelbox.schema.slice",
    "Ontology": "labelbox.schema.ontology",
    "OntologyBuilder": "labelbox.schema.ontology",
    "Option": "labelbox.schema.tool_building.classification",
    "Organization": "labelbox.schema.organization",
    "PaginatedCollection": "labelbox.pagination",
    "Poller": None,
    "Project": "labelbox.schema.project",
    "RetryPolicy": None,
    "SendToAnnotateFromModelParams": "labelbox.schema.send_to_annotate_params",
    "StreamType": "labelbox.schema.export_task",
    "Task": "labelbox.schema.task",
    "TaskQueue": "labelbox.schema.task_queue",
    "TaskStatus": "labelbox.schema.taskstatus",
    "Tool": "labelbox.schema.ontology",
    "FeatureSchema": "labelbox.schema.ontology",
    "OntologyKind": "labelbox.schema.ontology_kind",
    "RelationshipTool": "labelbox.schema.tool_building.relationship_tool",
    "UniqueIds": "labelbox.schema.identifiables",
    "UnknownExportParamWarning": None,
    "User": "labelbox.schema.user",
    # catalog
    "AssetAttachment": "labelbox.schema.asset_attachment",
    "CatalogExportParams": "labelbox.schema.export_params",
    "DataRowUpsertItem": "labelbox.schema.internal.data_row_upsert_item",
    "DataUpsertTask": "labelbox.schema.task",
    "Dataset": "labelbox.schema.dataset",
    "GlobalKey": "labelbox.schema.identifiable",
    "LabelImport": "labelbox.schema.annotation_import",
    "MALPredictionImport": "labelbox.schema.annotation_import",
    "ProjectExportParams": "labelbox.schema.export_params",
    "UniqueId": "labelbox.schema.identifiable",
    "DataRowMetadataKind": "labelbox.schema.data_row_metadata",
    "DataRowMetadataOntology": "labelbox.schema.data_row_metadata",
    "DataRowMetadataSchema": "labelbox.schema.data_row_metadata",
    "DataRowMetadata": "labelbox.schema.data_row_metadata",
    "DataRowMetadataBatchResponse": "labelbox.schema.data_row_metadata",
    "DataRowMetadataField": "labelbox.schema.data_row_metadata",
    "DeleteDataRowMetadata": "labelbox.schema.data_row_metadata",
    "AttachmentType": "labelbox.schema.asset_attachment",
    "__version__": "labelbox",
    "exceptions": "lbox.exceptions",  # a module: the SDK's exception classes live there
    "types": "labelbox.types",  # a module
}
MODULE_NAMES = {"exceptions", "types"}
ANNOTATION_TYPES = "labelbox.data.annotation_types"


def public_names() -> list[str]:
    return sorted(lb.__all__)


def lite_module(sdk_module: str) -> str:
    """labelbox.schema.x -> labelbox_lite.schema.x; lbox.exceptions -> labelbox_lite.exceptions."""
    if sdk_module == "lbox.exceptions":
        return "labelbox_lite.exceptions"
    head, _, rest = sdk_module.partition(".")
    assert head == "labelbox", sdk_module
    return "labelbox_lite" + (f".{rest}" if rest else "")


def resolve(module: str, qualname: str) -> Any:
    value: Any = importlib.import_module(module)
    for part in qualname.split("."):
        value = getattr(value, part)
    return value


def split(name: str, path: str) -> tuple[str, str]:
    module, _, qualname = path.partition(":")
    return module, qualname or name
