"""Seeds the mock accepts: ontologies, datasets, and whole seeds.

Needs hypothesis (the `test` extra). Every seed drawn here loads with
`MockLabelbox.seed()`; see docs/strategies.md for an example test.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from ..state.ontologies import TOOL_KINDS

_names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_ ", min_size=1, max_size=16).map(str.strip).filter(bool)


@st.composite
def _classifications(draw: st.DrawFn, depth: int, max_size: int = 2) -> list[dict[str, Any]]:
    """Classifications with unique names; at `depth` > 0 options may nest more classifications."""
    out = []
    for name in draw(st.lists(_names, min_size=1, max_size=max_size, unique=True)):
        kind = draw(st.sampled_from(["radio", "checklist", "text"]))
        entry: dict[str, Any] = {"type": kind, "name": name}
        if kind != "text":
            options: list[Any] = []
            for value in draw(st.lists(_names, min_size=1, max_size=4, unique=True)):
                if depth > 0 and draw(st.integers(0, 3)) == 0:
                    options.append({"value": value, "classifications": draw(_classifications(depth - 1))})
                else:
                    options.append(value)
            entry["options"] = options
        out.append(entry)
    return out


@st.composite
def ontologies(draw: st.DrawFn, name: str | None = None, max_features: int = 6, max_depth: int = 2) -> dict[str, Any]:
    """An ontology seed with unique feature names: tools of any kind and radio/checklist/text classifications.

    Up to `max_depth` levels of classifications nest under tools and under options
    (`max_depth=0` draws flat ontologies).
    """
    feature_names = draw(st.lists(_names, min_size=1, max_size=max_features, unique=True))
    tools, classifications = [], []
    for feature in feature_names:
        if draw(st.booleans()):
            tool: dict[str, Any] = {"tool": draw(st.sampled_from(TOOL_KINDS)), "name": feature}
            if max_depth > 0 and draw(st.booleans()):
                tool["classifications"] = draw(_classifications(max_depth - 1))
            tools.append(tool)
        else:
            (entry,) = draw(_classifications(max_depth, max_size=1))
            classifications.append({**entry, "name": feature})
    return {"name": name or draw(_names), "tools": tools, "classifications": classifications}


def as_normalized(ontology: dict[str, Any]) -> dict[str, Any]:
    """A seed ontology in the normalized JSON `create_ontology` sends (nested classifications under `options`)."""
    def classification(cls: dict[str, Any]) -> dict[str, Any]:
        options: list[dict[str, Any]] = [{"value": o} if isinstance(o, str) else o for o in cls.get("options", [])]
        return {"type": cls["type"], "name": cls["name"], "instructions": cls["name"], "required": False,
                "options": [{"value": o["value"], "label": o["value"],
                             "options": [classification(c) for c in o.get("classifications", [])]} for o in options]}

    return {
        "tools": [{"tool": t["tool"], "name": t["name"], "required": False, "color": None,
                   "classifications": [classification(c) for c in t.get("classifications", [])]}
                  for t in ontology["tools"]],
        "classifications": [{**classification(c), "scope": "global"} for c in ontology["classifications"]],
    }


@st.composite
def datasets(draw: st.DrawFn, name: str | None = None, min_rows: int = 1, max_rows: int = 20,
             key_prefix: str = "") -> dict[str, Any]:
    """A dataset seed whose data rows have unique global keys (prefixed, to keep datasets apart)."""
    keys = draw(st.lists(_names, min_size=min_rows, max_size=max_rows, unique=True))
    rows = [
        {"row_data": f"https://example.com/{i}.jpg", "global_key": f"{key_prefix}{key}",
         "external_id": draw(st.none() | _names)}
        for i, key in enumerate(keys)
    ]
    return {"name": name or draw(_names), "data_rows": rows}


def _annotation_for(feature: dict[str, Any]) -> dict[str, Any]:
    """A small valid annotation for a feature of a seed ontology, as seeds carry labels."""
    kind = feature.get("tool") or feature.get("type")
    shapes: dict[str, dict[str, Any]] = {
        "rectangle": {"bbox": {"top": 1, "left": 1, "height": 5, "width": 5}},
        "polygon": {"polygon": [{"x": 0, "y": 0}, {"x": 4, "y": 0}, {"x": 4, "y": 4}]},
        "point": {"point": {"x": 2, "y": 3}},
        "line": {"line": [{"x": 0, "y": 0}, {"x": 5, "y": 5}]},
        "raster-segmentation": {"mask": {"instanceURI": "https://example.com/mask.png", "colorRGB": [255, 255, 255]}},
        "named-entity": {"location": {"start": 0, "end": 4}},
        "text": {"answer": "free text"},
    }
    geometry = shapes.get(str(kind), {})
    if kind == "radio":
        geometry = {"answer": {"name": _option_value(feature["options"][0])}}
    elif kind == "checklist":
        geometry = {"answer": [{"name": _option_value(feature["options"][0])}]}
    return {"name": feature["name"], **geometry}


def _option_value(option: Any) -> str:
    return option if isinstance(option, str) else str(option["value"])


@st.composite
def seeds(draw: st.DrawFn, max_rows: int = 20, max_labels: int = 10) -> dict[str, Any]:
    """A whole seed: an ontology, a dataset, a project labelling some of its rows, and a model.

    The rows are images, or text where the ontology's only features are named entities."""
    ontology = draw(ontologies(name="ontology"))
    dataset = draw(datasets(name="dataset", max_rows=max_rows))
    keys = [row["global_key"] for row in dataset["data_rows"]]
    features = ontology["tools"] + ontology["classifications"]
    if all(feature.get("tool") == "named-entity" for feature in features):  # nothing to draw on an image
        dataset["data_rows"] = [{**row, "media_type": "TEXT"} for row in dataset["data_rows"]]
    labelled = draw(st.lists(st.sampled_from(keys), max_size=min(max_labels, len(keys))))
    labels = [{"data_row": key, "annotations": [_annotation_for(draw(st.sampled_from(features)))]} for key in labelled]
    return {
        "ontologies": [ontology],
        "datasets": [dataset],
        "projects": [{"name": "project", "ontology": "ontology", "labels": labels}],
        "models": [{"name": "model", "ontology": "ontology"}],
    }
