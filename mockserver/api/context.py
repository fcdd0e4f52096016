"""What a resolver sees of the world: the caller's organisation and the engines."""

from __future__ import annotations

from attrs import define

from ..engines.export import ExportEngine
from ..engines.files import FileHost
from ..engines.tasks import TaskEngine
from ..state.organization import Organization
from ..state.store import Store


@define
class RequestContext:
    org: Organization
    store: Store
    tasks: TaskEngine
    files: FileHost
    exports: ExportEngine
    base_url: str  # where this request came in, so file URLs point back at the same mock
    experimental: bool = False

    @property
    def ids(self):  # type: ignore[no-untyped-def]
        return self.store.ids

    @property
    def clock(self):  # type: ignore[no-untyped-def]
        return self.store.clock
