"""What the dashboard tests look at: a seeded organisation and a script run against it over HTTP."""

from __future__ import annotations

from typing import Any

import attrs
import requests

import labelbox_lite as lb

KEY_A, KEY_B = "org-a-key", "org-b-key"

SEED: dict[str, Any] = {
    "ontologies": [{
        "name": "street scenes",
        "tools": [{"tool": "rectangle", "name": "car"}],
        "classifications": [{"type": "radio", "name": "weather", "options": ["sunny", "rainy"]}],
    }],
    "datasets": [{
        "name": "dashcam",
        "data_rows": [{"row_data": f"https://example.com/frame-{i}.jpg", "global_key": f"frame-{i}"} for i in range(4)],
    }],
    "projects": [{
        "name": "dashcam labelling",
        "ontology": "street scenes",
        "labels": [{"data_row": f"frame-{i}",
                    "annotations": [{"name": "car", "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}}]}
                   for i in range(2)],
    }],
    "models": [{"name": "car detector", "ontology": "street scenes"}],
}

# the second row names a data row that is not in the run, the third an option the ontology lacks
PREDICTIONS = [
    {"uuid": "pred-ok", "dataRow": {"globalKey": "frame-0"}, "name": "car",
     "bbox": {"top": 5, "left": 5, "height": 10, "width": 10}},
    {"uuid": "pred-outside", "dataRow": {"globalKey": "frame-3"}, "name": "car",
     "bbox": {"top": 5, "left": 5, "height": 10, "width": 10}},
    {"uuid": "pred-bad-answer", "dataRow": {"globalKey": "frame-1"}, "name": "weather", "answer": {"name": "foggy"}},
]
EXPORT_SECONDS = 600.0


@attrs.frozen
class Scenario:
    model_id: str
    run_id: str
    import_name: str
    export_task_id: str


def admin(url: str, key: str, method: str, path: str, body: Any = None) -> Any:
    """One admin call, as a test (or the page) makes it: the organisation's key as Bearer."""
    response = requests.request(method, url + path, json=body, headers={"Authorization": f"Bearer {key}"}, timeout=10)
    response.raise_for_status()
    return response.json()


def run_script(url: str, key: str) -> Scenario:
    """Seeds, then drives labelbox_lite: a model run, a partly failed import, a held export, a fault."""
    created = admin(url, key, "POST", "/_mock/seed", SEED)
    project_id = created["projects"][0]["id"]
    client = lb.Client(api_key=key, endpoint=url + "/graphql", enable_experimental=True,
                       poller=lb.Poller(sleep=lambda _s: None))
    model = client.get_model(created["models"][0])
    run = model.create_model_run("baseline", config={"learning_rate": 0.001, "epochs": 10})
    run.upsert_labels(project_id=project_id)
    run.upsert_data_rows(global_keys=["frame-2"])
    run.assign_data_rows_to_split(global_keys=["frame-0", "frame-1"], split="TRAINING")
    run.assign_data_rows_to_split(global_keys=["frame-2"], split="VALIDATION")
    imported = run.add_predictions("first predictions", PREDICTIONS)
    imported.wait_till_done()
    # an export held IN_PROGRESS on the mock clock
    admin(url, key, "POST", "/_mock/transitions", {"kind": "export", "progression": "time", "duration": EXPORT_SECONDS})
    export = run.export(task_name="nightly export")
    admin(url, key, "POST", "/_mock/faults", {"operation": "GetModelRun", "times": 2, "status": 503})
    return Scenario(model_id=model.uid, run_id=run.uid, import_name="first predictions", export_task_id=export.uid)


def open_dashboard(page: Any, url: str, key: str) -> None:
    """Opens the page and enters `key`, as a user does (a Playwright Page; typed Any so this module
    imports without playwright)."""
    page.goto(url + "/_mock/ui")
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Use key").click()


def client_for(url: str, key: str) -> lb.Client:
    return lb.Client(api_key=key, endpoint=url + "/graphql", enable_experimental=True,
                     poller=lb.Poller(sleep=lambda _s: None))


def rows_with_attachments_and_metadata(url: str, key: str) -> str:
    """A dataset of two rows made through labelbox_lite: an image with two attachments and two metadata
    fields (a custom enum and a custom string), and a text row with neither. Answers the dataset's id."""
    client = client_for(url, key)
    metadata = client.get_data_row_metadata_ontology()
    metadata.create_schema("camera", lb.DataRowMetadataKind.enum, ["front", "rear"])
    metadata.create_schema("note", lb.DataRowMetadataKind.string)
    dataset = client.create_dataset(name="street cameras")
    dataset.create_data_rows([
        {"row_data": "https://example.com/cam-0.jpg", "global_key": "cam-0", "external_id": "ext-0",
         "media_type": "IMAGE",
         "attachments": [{"type": "RAW_TEXT", "value": "seen at dusk", "name": "caption"},
                         {"type": "IMAGE", "value": "https://example.com/cam-0-map.png"}],
         "metadata_fields": [{"name": "camera", "value": "rear"}, {"name": "note", "value": "blurry"}]},
        {"row_data": "a plain text row", "global_key": "cam-text", "media_type": "TEXT"},
    ]).wait_till_done()
    return dataset.uid


# markup a page that parsed it would act on; the page's policy blocks inline handlers anyway, so the tests
# look for the elements it would make
INJECTED = '<img src=x onerror="window.injected=1"><script>window.injected=2</script><b>bold</b>'


def import_labels(url: str, key: str, name: str) -> None:
    """A label import into run_script's project: frame-0 is in it (the seed labelled it), frame-3 is not
    (its row fails)."""
    client = client_for(url, key)
    (project,) = client.get_projects()
    box = {"name": "car", "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}}
    lb.LabelImport.create_from_objects(client, project.uid, name, [
        {"uuid": "label-ok", "dataRow": {"globalKey": "frame-0"}, **box},
        {"uuid": "label-outside", "dataRow": {"globalKey": "frame-3"}, **box},
    ]).wait_till_done()
