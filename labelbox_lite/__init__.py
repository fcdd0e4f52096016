"""labelbox-lite: a light synchronous Labelbox client for model runs.

Public names follow the Labelbox Python SDK, so a script moves over with an
import change: `import labelbox_lite as lb`.
"""

__version__ = "0.1.0"

from .client import Client
from .data_row import DataRow
from .model import Model
from .model_run import DataSplit, ModelRun, ModelRunDataRow
from .pagination import PaginatedCollection
from .polling import Poller
from .project import Project
from .retry import RetryPolicy
from .task import Task, TaskStatus
from .user import Organization, User

__all__ = [
    "Client",
    "DataRow",
    "DataSplit",
    "Model",
    "ModelRun",
    "ModelRunDataRow",
    "Organization",
    "PaginatedCollection",
    "Poller",
    "Project",
    "RetryPolicy",
    "Task",
    "TaskStatus",
    "User",
    "__version__",
]
