"""The world the ontology/project tests build from, shared by the real-SDK and labelbox_lite versions.

`lib` is `labelbox` or `labelbox_lite`: both have the same builder classes.
"""

from __future__ import annotations

import uuid
from typing import Any

KEYS = [f"row-{i}" for i in range(4)]
ROWS_ONLY = {"datasets": [{"name": "images", "data_rows": [
    {"row_data": f"https://example.com/{key}.jpg", "global_key": key} for key in KEYS]}]}
BOX = {"top": 1, "left": 2, "height": 3, "width": 4}


def nested_builder(lib: Any) -> Any:
    """A box whose objects are asked a radio, and a radio whose 'sunny' option asks another radio."""
    quality = lib.Classification(class_type=lib.Classification.Type.RADIO, name="quality",
                                 options=[lib.Option("good"), lib.Option("bad")])
    how_sunny = lib.Classification(class_type=lib.Classification.Type.RADIO, name="how sunny",
                                   options=[lib.Option("very"), lib.Option("slightly")])
    weather = lib.Classification(class_type=lib.Classification.Type.RADIO, name="weather",
                                 options=[lib.Option("sunny", options=[how_sunny]), lib.Option("rainy")])
    return lib.OntologyBuilder(tools=[lib.Tool(tool=lib.Tool.Type.BBOX, name="box", classifications=[quality])],
                               classifications=[weather])


def prediction(key: str, **body: Any) -> dict[str, Any]:
    return {"uuid": str(uuid.uuid4()), "dataRow": {"globalKey": key}, **body}
