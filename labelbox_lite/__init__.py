"""labelbox-lite: a light synchronous Labelbox client for model runs.

Public names follow the Labelbox Python SDK, so a script moves over with an
import change: `import labelbox_lite as lb`.
"""

__version__ = "0.1.0"

from . import types  # noqa: E402
from .annotation_import import (  # noqa: E402
    AnnotationImportState,
    MEAPredictionImport,
    MEAToMALPredictionImport,
)
from .batch import Batch  # noqa: E402
from .client import Client  # noqa: E402
from .data_row import DataRow  # noqa: E402
from .identifiables import DataRowIds, GlobalKeys, UniqueIds  # noqa: E402
from .model import Model  # noqa: E402
from .model_run import DataSplit, ModelRun, ModelRunDataRow  # noqa: E402
from .pagination import PaginatedCollection  # noqa: E402
from .polling import Poller  # noqa: E402
from .project import Project  # noqa: E402
from .send_to_annotate import ConflictResolutionStrategy, SendToAnnotateFromModelParams  # noqa: E402
from .task import Task, TaskStatus  # noqa: E402
from .task_queue import TaskQueue  # noqa: E402
from .transport import RetryPolicy  # noqa: E402
from .user import Organization, User  # noqa: E402

__all__ = [
    "AnnotationImportState",
    "Batch",
    "Client",
    "ConflictResolutionStrategy",
    "DataRow",
    "DataRowIds",
    "DataSplit",
    "GlobalKeys",
    "MEAPredictionImport",
    "MEAToMALPredictionImport",
    "Model",
    "ModelRun",
    "ModelRunDataRow",
    "Organization",
    "PaginatedCollection",
    "Poller",
    "Project",
    "RetryPolicy",
    "SendToAnnotateFromModelParams",
    "Task",
    "TaskQueue",
    "TaskStatus",
    "UniqueIds",
    "User",
    "__version__",
    "types",
]
