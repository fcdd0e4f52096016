"""labelbox-lite: a light synchronous Labelbox client for model runs.

Public names follow the Labelbox Python SDK, so a script moves over with an
import change: `import labelbox_lite as lb`.
"""

__version__ = "0.1.0"

import importlib
from typing import TYPE_CHECKING, Any

# ---------------------------------------------------------------------------------------------------
# THE list of public names: name -> the module of this package that defines it (a name equal to its
# module's is the module itself). `__all__`, `dir()` and the lazy loading below all read it.
# To add a public name: one line here, plus its import in the `if TYPE_CHECKING:` block below, which
# is what mypy and editors see (tests/client/test_public_names.py checks that the two agree).
# ---------------------------------------------------------------------------------------------------
_PUBLIC: dict[str, str] = {
    "AnnotationImportState": "annotation_import",
    "MEAPredictionImport": "annotation_import",
    "MEAToMALPredictionImport": "annotation_import",
    "Batch": "batch",
    "Client": "client",
    "DataRow": "data_row",
    "exceptions": "exceptions",
    "ModelRunExportParams": "export_params",
    "UnknownExportParamWarning": "export_params",
    "BufferedJsonConverterOutput": "export_stream",
    "BufferedStream": "export_stream",
    "StreamType": "export_stream",
    "ExportTask": "export_task",
    "ExportTaskException": "export_task",
    "DataRowIds": "identifiables",
    "GlobalKeys": "identifiables",
    "UniqueIds": "identifiables",
    "Model": "model",
    "DataSplit": "model_run",
    "ModelRun": "model_run",
    "ModelRunDataRow": "model_run",
    "PaginatedCollection": "pagination",
    "Poller": "polling",
    "Project": "project",
    "RetryPolicy": "retry",
    "ConflictResolutionStrategy": "send_to_annotate",
    "SendToAnnotateFromModelParams": "send_to_annotate",
    "ModelSlice": "slice",
    "Task": "task",
    "TaskStatus": "task",
    "TaskQueue": "task_queue",
    "types": "types",
    "Organization": "user",
    "User": "user",
    # -- ontologies and projects (issue 13) --
    "Classification": "ontology",
    "Label": "label",
    "LabelingFrontend": "labeling_frontend",
    "MediaType": "media_type",
    "Ontology": "ontology",
    "OntologyBuilder": "ontology",
    "Option": "ontology",
    "Tool": "ontology",
    # -- feature schemas and relationships (issue 23) --
    "FeatureSchema": "feature_schema",
    "OntologyKind": "ontology",
    "RelationshipTool": "ontology",
    # -- catalog: datasets, data-row upserts, label imports, project and catalog exports (issue 14) --
    "AssetAttachment": "data_row",
    "CatalogExportParams": "catalog_export",
    "DataRowUpsertItem": "data_row_upload",
    "DataUpsertTask": "data_row_upload",
    "Dataset": "dataset",
    "GlobalKey": "identifiables",
    "LabelImport": "annotation_import",
    "MALPredictionImport": "annotation_import",
    "ProjectExportParams": "catalog_export",
    "UniqueId": "identifiables",
    # -- data-row metadata schemas (issue 14 follow-up) --
    "DataRowMetadataKind": "data_row_metadata",
    "DataRowMetadataOntology": "data_row_metadata",
    "DataRowMetadataSchema": "data_row_metadata",
    # -- metadata values and attachments (issue 22) --
    "AttachmentType": "data_row",
    "DataRowMetadata": "data_row_metadata",
    "DataRowMetadataBatchResponse": "data_row_metadata",
    "DataRowMetadataField": "data_row_metadata",
    "DeleteDataRowMetadata": "data_row_metadata",
}

if TYPE_CHECKING:  # the same names for type checkers and editors (`X as X`: an explicit re-export)
    from . import exceptions as exceptions
    from . import types as types
    from .annotation_import import AnnotationImportState as AnnotationImportState

    # -- catalog (issue 14) --
    from .annotation_import import LabelImport as LabelImport
    from .annotation_import import MALPredictionImport as MALPredictionImport
    from .annotation_import import MEAPredictionImport as MEAPredictionImport
    from .annotation_import import MEAToMALPredictionImport as MEAToMALPredictionImport
    from .batch import Batch as Batch
    from .catalog_export import CatalogExportParams as CatalogExportParams
    from .catalog_export import ProjectExportParams as ProjectExportParams
    from .client import Client as Client
    from .data_row import AssetAttachment as AssetAttachment
    from .data_row import AttachmentType as AttachmentType
    from .data_row import DataRow as DataRow
    from .data_row_metadata import DataRowMetadata as DataRowMetadata
    from .data_row_metadata import DataRowMetadataBatchResponse as DataRowMetadataBatchResponse
    from .data_row_metadata import DataRowMetadataField as DataRowMetadataField
    from .data_row_metadata import DataRowMetadataKind as DataRowMetadataKind
    from .data_row_metadata import DataRowMetadataOntology as DataRowMetadataOntology
    from .data_row_metadata import DataRowMetadataSchema as DataRowMetadataSchema
    from .data_row_metadata import DeleteDataRowMetadata as DeleteDataRowMetadata
    from .data_row_upload import DataRowUpsertItem as DataRowUpsertItem
    from .data_row_upload import DataUpsertTask as DataUpsertTask
    from .dataset import Dataset as Dataset
    from .export_params import ModelRunExportParams as ModelRunExportParams
    from .export_params import UnknownExportParamWarning as UnknownExportParamWarning
    from .export_stream import BufferedJsonConverterOutput as BufferedJsonConverterOutput
    from .export_stream import BufferedStream as BufferedStream
    from .export_stream import StreamType as StreamType
    from .export_task import ExportTask as ExportTask
    from .export_task import ExportTaskException as ExportTaskException
    from .feature_schema import FeatureSchema as FeatureSchema
    from .identifiables import DataRowIds as DataRowIds
    from .identifiables import GlobalKey as GlobalKey
    from .identifiables import GlobalKeys as GlobalKeys
    from .identifiables import UniqueId as UniqueId
    from .identifiables import UniqueIds as UniqueIds
    from .label import Label as Label
    from .labeling_frontend import LabelingFrontend as LabelingFrontend
    from .media_type import MediaType as MediaType
    from .model import Model as Model
    from .model_run import DataSplit as DataSplit
    from .model_run import ModelRun as ModelRun
    from .model_run import ModelRunDataRow as ModelRunDataRow
    from .ontology import Classification as Classification
    from .ontology import Ontology as Ontology
    from .ontology import OntologyBuilder as OntologyBuilder
    from .ontology import OntologyKind as OntologyKind
    from .ontology import Option as Option
    from .ontology import RelationshipTool as RelationshipTool
    from .ontology import Tool as Tool
    from .pagination import PaginatedCollection as PaginatedCollection
    from .polling import Poller as Poller
    from .project import Project as Project
    from .retry import RetryPolicy as RetryPolicy
    from .send_to_annotate import ConflictResolutionStrategy as ConflictResolutionStrategy
    from .send_to_annotate import SendToAnnotateFromModelParams as SendToAnnotateFromModelParams
    from .slice import ModelSlice as ModelSlice
    from .task import Task as Task
    from .task import TaskStatus as TaskStatus
    from .task_queue import TaskQueue as TaskQueue
    from .user import Organization as Organization
    from .user import User as User


__all__ = sorted([*_PUBLIC, "__version__"])

# The client and what every call needs load with the package; the rest loads on first use
# (PEP 562), so a script pays at import only for what it touches. The benchmarks time both.
importlib.import_module(".client", __name__)


def __getattr__(name: str) -> Any:
    module_name = _PUBLIC.get(name)
    if module_name is None:  # an SDK name labelbox_lite leaves out is named as such (docs/porting.md)
        from .not_ported import refuse_module_name
        refuse_module_name("", __name__, name)
    module = importlib.import_module(f".{module_name}", __name__)
    value = module if name == module_name else getattr(module, name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return list(__all__)
