"""Service-wide behaviours a mock can switch to match what Labelbox's service does today."""

from __future__ import annotations

from attrs import field, frozen, validators

from .errors import ServiceRefused

MEA_IMPORT_MODES = ("accepted", "deprecated")
# what Labelbox's service answers an MEA prediction import with today (the SDK 7.17.0 test suite skips them)
MEA_IMPORT_DEPRECATED = "9 FAILED_PRECONDITION: MEA prediction import has been deprecated"


@frozen
class Policies:
    """`mea_imports`: "accepted" (the documented behaviour, the default) or "deprecated" (today's service)."""

    mea_imports: str = field(default="accepted", validator=validators.in_(MEA_IMPORT_MODES))

    def check_mea_import(self) -> None:
        if self.mea_imports == "deprecated":
            raise ServiceRefused(MEA_IMPORT_DEPRECATED)
