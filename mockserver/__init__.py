"""An offline Labelbox backend for the model-run surface, on graphql-core.

Use it in-process (`MockLabelbox`, intercepting `requests` through `responses`)
or as a server (`labelbox-mock serve`, or `RunningServer` from Python).
"""

from .backend import DEFAULT_API_KEY, Backend
from .transports.inprocess import MockLabelbox
from .transports.server import MockHTTPServer, RunningServer

__all__ = ["DEFAULT_API_KEY", "Backend", "MockHTTPServer", "MockLabelbox", "RunningServer"]
