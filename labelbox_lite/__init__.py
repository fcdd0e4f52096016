"""labelbox-lite: a light synchronous Labelbox client for model runs.

Public names follow the Labelbox Python SDK, so a script moves over with an
import change: `import labelbox_lite as lb`.
"""

__version__ = "0.1.0"

import importlib
from typing import TYPE_CHECKING, Any

# The client and what every call needs load with the package; the rest loads on first use
# (PEP 562), so a script pays at import only for what it touches. The benchmarks time both.
from . import exceptions
from .client import Client
from .pagination import PaginatedCollection
from .polling import Poller
from .retry import RetryPolicy

# public name -> the module that defines it ("types" is the module itself)
_LAZY = {
    "AnnotationImportState": "annotation_import",
    "MEAPredictionImport": "annotation_import",
    "MEAToMALPredictionImport": "annotation_import",
    "Batch": "batch",
    "DataRow": "data_row",
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
    "Project": "project",
    "ConflictResolutionStrategy": "send_to_annotate",
    "SendToAnnotateFromModelParams": "send_to_annotate",
    "Task": "task",
    "TaskStatus": "task",
    "TaskQueue": "task_queue",
    "Organization": "user",
    "User": "user",
    "types": "types",
    # -- ontologies and projects (issue 13) --
    "Classification": "ontology",
    "Label": "label",
    "LabelingFrontend": "labeling_frontend",
    "MediaType": "media_type",
    "Ontology": "ontology",
    "OntologyBuilder": "ontology",
    "Option": "ontology",
    "Tool": "ontology",
}

if TYPE_CHECKING:  # what the lazy names are, for type checkers and editors
    from . import types
    from .annotation_import import AnnotationImportState, MEAPredictionImport, MEAToMALPredictionImport
    from .batch import Batch
    from .data_row import DataRow
    from .export_params import ModelRunExportParams, UnknownExportParamWarning
    from .export_stream import BufferedJsonConverterOutput, BufferedStream, StreamType
    from .export_task import ExportTask, ExportTaskException
    from .identifiables import DataRowIds, GlobalKeys, UniqueIds
    from .label import Label
    from .labeling_frontend import LabelingFrontend
    from .media_type import MediaType
    from .model import Model
    from .model_run import DataSplit, ModelRun, ModelRunDataRow
    from .ontology import Classification, Ontology, OntologyBuilder, Option, Tool
    from .project import Project
    from .send_to_annotate import ConflictResolutionStrategy, SendToAnnotateFromModelParams
    from .task import Task, TaskStatus
    from .task_queue import TaskQueue
    from .user import Organization, User

__all__ = [
    "AnnotationImportState",
    "Batch",
    "BufferedJsonConverterOutput",
    "BufferedStream",
    "Classification",
    "Client",
    "ConflictResolutionStrategy",
    "DataRow",
    "DataRowIds",
    "DataSplit",
    "ExportTask",
    "ExportTaskException",
    "GlobalKeys",
    "Label",
    "LabelingFrontend",
    "MEAPredictionImport",
    "MEAToMALPredictionImport",
    "MediaType",
    "Model",
    "ModelRun",
    "ModelRunDataRow",
    "ModelRunExportParams",
    "Ontology",
    "OntologyBuilder",
    "Option",
    "Organization",
    "PaginatedCollection",
    "Poller",
    "Project",
    "RetryPolicy",
    "SendToAnnotateFromModelParams",
    "StreamType",
    "Task",
    "TaskQueue",
    "TaskStatus",
    "Tool",
    "UniqueIds",
    "UnknownExportParamWarning",
    "User",
    "__version__",
    "exceptions",
    "types",
]



def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module = importlib.import_module(f".{module_name}", __name__)
    value = module if name == module_name else getattr(module, name)
    globals()[name] = value  # later lookups are plain attribute reads
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
