"""labelbox-lite: a light synchronous Labelbox client for model runs.

Public names follow the Labelbox Python SDK, so a script moves over with an
import change: `import labelbox_lite as lb`.
"""

__version__ = "0.1.0"

from . import types
from .annotation_import import (
    AnnotationImportState,
    MEAPredictionImport,
    MEAToMALPredictionImport,
)
from .batch import Batch
from .client import Client
from .data_row import DataRow
from .export_params import ModelRunExportParams, UnknownExportParamWarning
from .export_stream import BufferedJsonConverterOutput, BufferedStream, StreamType
from .export_task import ExportTask, ExportTaskException
from .identifiables import DataRowIds, GlobalKeys, UniqueIds
from .model import Model
from .model_run import DataSplit, ModelRun, ModelRunDataRow
from .pagination import PaginatedCollection
from .polling import Poller
from .project import Project
from .retry import RetryPolicy
from .send_to_annotate import ConflictResolutionStrategy, SendToAnnotateFromModelParams
from .task import Task, TaskStatus
from .task_queue import TaskQueue
from .user import Organization, User

__all__ = [
    "AnnotationImportState",
    "Batch",
    "BufferedJsonConverterOutput",
    "BufferedStream",
    "Client",
    "ConflictResolutionStrategy",
    "DataRow",
    "DataRowIds",
    "DataSplit",
    "ExportTask",
    "ExportTaskException",
    "GlobalKeys",
    "MEAPredictionImport",
    "MEAToMALPredictionImport",
    "Model",
    "ModelRun",
    "ModelRunDataRow",
    "ModelRunExportParams",
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
    "UniqueIds",
    "UnknownExportParamWarning",
    "User",
    "__version__",
    "types",
]
