"""The labeling editor a project is set up with."""

from __future__ import annotations

from typing import Any

from attrs import frozen

from .not_ported import members


@frozen
class LabelingFrontend:
    __getattr__ = members()  # an SDK member not ported names itself (docs/porting.md)
    uid: str
    name: str
    description: str | None = None
    iframe_url_path: str | None = None
    deleted: bool = False  # a front end read from the API is not deleted

    @classmethod
    def from_api(cls, data: dict[str, Any]) -> LabelingFrontend:
        return cls(uid=data["id"], name=data["name"], description=data.get("description"),
                   iframe_url_path=data.get("iframeUrlPath"))
