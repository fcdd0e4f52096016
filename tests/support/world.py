"""The world most tests start from: a fake clock, the standard ontology and seed, and the ids a seed made."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from attrs import define, field


@define
class FakeTime:
    """A clock that only moves when the code under test sleeps: waits cost no wall time."""

    now: float = 1_000.0
    sleeps: list[float] = field(factory=list)

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


# the admin token test servers start with: the server-wide admin routes (recording, replay, reset all)
ADMIN_TOKEN = "test-admin-token-0123456789"
KEY = {"Authorization": "Bearer test-key"}
ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}

ONTOLOGY = {
    "name": "everything",
    "tools": [
        {"tool": "rectangle", "name": "box"},
        {"tool": "polygon", "name": "area"},
        {"tool": "point", "name": "dot"},
        {"tool": "line", "name": "edge"},
        {"tool": "raster-segmentation", "name": "mask"},
        {"tool": "named-entity", "name": "entity"},
    ],
    "classifications": [
        {"type": "radio", "name": "quality", "options": ["good", "bad"]},
        {"type": "checklist", "name": "tags", "options": ["a", "b", "c"]},
        {"type": "text", "name": "note"},
    ],
}


def standard_seed(rows: int = 10, media: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One ontology of every feature kind, a dataset, a labelled project and a model.

    The rows are images, but for those `media` gives another media type by global key."""
    media = media or {}
    return {
        "ontologies": [ONTOLOGY],
        "datasets": [
            {
                "name": "images",
                "data_rows": [
                    {"row_data": f"https://example.com/{i}.jpg", "global_key": f"gk-{i}", "external_id": f"ext-{i}",
                     **({"media_type": media[f"gk-{i}"]} if f"gk-{i}" in media else {})}
                    for i in range(rows)
                ],
            }
        ],
        "projects": [
            {
                "name": "labelled",
                "ontology": "everything",
                "labels": [
                    {
                        "data_row": f"gk-{i}",
                        "annotations": [
                            {"name": "box", "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}},
                        ],
                    }
                    for i in range(rows // 2)
                ],
            }
        ],
        "models": [{"name": "detector", "ontology": "everything"}],
    }


# the media types of the rows that tests of other media's annotations give `standard_seed`
MEDIA_ROWS = {"gk-0": "VIDEO", "gk-1": "DOCUMENT", "gk-2": "CONVERSATIONAL"}


@define
class World:
    """Ids of what `standard_seed` created, by name."""

    ontology_id: str
    features: dict[str, str]
    dataset_id: str
    data_row_ids: list[str]
    global_keys: list[str]
    project_id: str
    label_ids: list[str]
    model_id: str


def world_from(created: dict[str, Any], rows: int) -> World:
    return World(
        ontology_id=created["ontologies"][0]["id"],
        features=created["ontologies"][0]["features"],
        dataset_id=created["datasets"][0]["id"],
        data_row_ids=created["datasets"][0]["data_rows"],
        global_keys=[f"gk-{i}" for i in range(rows)],
        project_id=created["projects"][0]["id"],
        label_ids=created["projects"][0]["labels"],
        model_id=created["models"][0],
    )
