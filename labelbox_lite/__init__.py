"""labelbox-lite: a light synchronous Labelbox client for model runs.

Public names follow the Labelbox Python SDK, so a script moves over with an
import change: `import labelbox_lite as lb`.
"""

__version__ = "0.1.0"

from .client import Client  # noqa: E402
from .data_row import DataRow  # noqa: E402
from .export_params import ModelRunExportParams, UnknownExportParamWarning
from .export_stream import BufferedJsonConverterOutput, BufferedStream, StreamType
from .export_task import ExportTask, ExportTaskException
from .model import Model  # noqa: E402
from .model_run import DataSplit, ModelRun, ModelRunDataRow  # noqa: E402
from .pagination import PaginatedCollection  # noqa: E402
from .polling import Poller  # noqa: E402
from .project import Project  # noqa: E402
from .task import Task, TaskStatus  # noqa: E402
from .transport import RetryPolicy  # noqa: E402
from .user import Organization, User  # noqa: E402

__all__ = [
    "BufferedJsonConverterOutput",
    "BufferedStream",
    "Client",
    "DataRow",
    "DataSplit",
    "ExportTask",
    "ExportTaskException",
    "Model",
    "ModelRun",
    "ModelRunDataRow",
    "ModelRunExportParams",
    "Organization",
    "PaginatedCollection",
    "Poller",
    "Project",
    "RetryPolicy",
    "StreamType",
    "Task",
    "TaskStatus",
    "UnknownExportParamWarning",
    "User",
    "__version__",
]
