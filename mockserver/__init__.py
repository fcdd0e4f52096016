"""An offline Labelbox backend for the model-run surface, on graphql-core.

Use it in-process (`MockLabelbox`, answering `requests` at its adapter's send)
or as a server (`labelbox-mock serve`, or `RunningServer` from Python), steered from
Python by `MockServerClient(url, api_key)` with MockLabelbox's steering methods.
"""

import importlib
from typing import TYPE_CHECKING, Any

# Names load on first use (PEP 562): the pytest plugin's entry point imports this package into
# every pytest session, and a session that uses no fixture must not pay for graphql-core.
_LAZY = {
    "DEFAULT_API_KEY": "backend",
    "Backend": "backend",
    "MockLabelbox": "transports.inprocess",
    "MockServerClient": "remote",
    "CommandError": "control.commands",
    "MockHTTPServer": "transports.server",
    "RunningServer": "transports.server",
}

if TYPE_CHECKING:
    from .backend import DEFAULT_API_KEY, Backend
    from .control.commands import CommandError
    from .remote import MockServerClient
    from .transports.inprocess import MockLabelbox
    from .transports.server import MockHTTPServer, RunningServer

__all__ = ["DEFAULT_API_KEY", "Backend", "CommandError", "MockHTTPServer", "MockLabelbox", "MockServerClient",
           "RunningServer"]


def __getattr__(name: str) -> Any:
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module_name}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
