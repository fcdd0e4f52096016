"""What a resolver sees of the world: the caller's organisation and the engines."""

from __future__ import annotations

from attrs import define

from ..clock import MockClock
from ..engines.export import ExportEngine
from ..engines.files import FileHost
from ..engines.tasks import TaskEngine
from ..ids import IdFactory
from ..state.organization import Organization
from ..state.store import Store


@define
class RequestContext:
    org: Organization
    store: Store
    tasks: TaskEngine
    files: FileHost
    exports: ExportEngine
    base_url: str  # the mock's own address (never the Host header), so file URLs point back at it

    @property
    def ids(self) -> IdFactory:
        return self.store.ids

    @property
    def clock(self) -> MockClock:
        return self.store.clock
