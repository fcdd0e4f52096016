"""labelbox-lite: a light synchronous Labelbox client for model runs.

Public names follow the Labelbox Python SDK, so a script moves over with an
import change: `import labelbox_lite as lb`.
"""

__version__ = "0.1.0"

from .client import Client  # noqa: E402
from .data_row import DataRow  # noqa: E402
from .model import Model  # noqa: E402
from .model_run import DataSplit, ModelRun, ModelRunDataRow  # noqa: E402
from .pagination import PaginatedCollection  # noqa: E402
from .polling import Poller  # noqa: E402
from .project import Project  # noqa: E402
from .retry import RetryPolicy  # noqa: E402
from .task import Task, TaskStatus  # noqa: E402
from .user import Organization, User  # noqa: E402

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
