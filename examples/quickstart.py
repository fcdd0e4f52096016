"""Quickstart: a whole model-run workflow through labelbox_lite, against the in-process mock.

Run it with `python examples/quickstart.py`. Nothing leaves the machine: the
mock intercepts every request the client makes to api.labelbox.com.
"""

from __future__ import annotations

import labelbox_lite as lb
from mockserver import MockLabelbox

SEED = {
    "ontologies": [{
        "name": "street scenes",
        "tools": [{"tool": "rectangle", "name": "car"}, {"tool": "polygon", "name": "road"}],
        "classifications": [{"type": "radio", "name": "weather", "options": ["sunny", "rainy"]}],
    }],
    "datasets": [{
        "name": "dashcam",
        "data_rows": [{"row_data": f"https://example.com/frame-{i}.jpg", "global_key": f"frame-{i}"} for i in range(6)],
    }],
    "projects": [{
        "name": "dashcam labelling",
        "ontology": "street scenes",
        "labels": [
            {"data_row": f"frame-{i}",
             "annotations": [{"name": "car", "bbox": {"top": 10, "left": 20, "height": 30, "width": 40}}]}
            for i in range(3)
        ],
    }],
}


def main() -> None:
    with MockLabelbox() as mock:
        created = mock.seed(SEED)
        ontology_id = created["ontologies"][0]["id"]
        project_id = created["projects"][0]["id"]

        client = lb.Client(api_key=mock.api_key, enable_experimental=True)
        print(f"signed in as {client.get_user().email} of {client.get_organization().name}")

        model = client.create_model("car detector", ontology_id)
        run = model.create_model_run("baseline", config={"learning_rate": 0.001, "epochs": 10})
        print(f"created model {model.name!r} and run {run.name!r} with config {run.get_config()}")

        run.upsert_labels(project_id=project_id)
        run.upsert_data_rows(global_keys=["frame-3", "frame-4", "frame-5"])
        run.assign_data_rows_to_split(global_keys=["frame-0", "frame-1", "frame-3"], split=lb.DataSplit.TRAINING)
        run.assign_data_rows_to_split(global_keys=["frame-2", "frame-4"], split="VALIDATION")
        run.assign_data_rows_to_split(global_keys=["frame-5"], split="TEST")

        rows = list(run.model_run_data_rows())
        print(f"model run holds {len(rows)} data rows:")
        for row in sorted(rows, key=lambda r: r.data_row().global_key or ""):
            labelled = "labelled" if row.label_id else "unlabelled"
            print(f"  {row.data_row().global_key:<8} {row.data_split.value:<10} {labelled}")

        run.update_config({"epochs": 12})
        run.update_status(lb.ModelRun.Status.TRAINING_MODEL, metadata={"gpu": "none, it is a mock"})
        run.update_status(lb.ModelRun.Status.COMPLETE, metadata={"map50": 0.71})
        print(f"training config now {run.get_config()}")

        run.delete_model_run_data_rows([rows[0].data_row().uid])
        print(f"after deleting one row the run holds {len(list(run.model_run_data_rows()))}")

        operations = [r.operation for r in mock.requests]
        print(f"the mock served {len(operations)} requests, e.g. {', '.join(sorted(set(operations))[:4])}, ...")


if __name__ == "__main__":
    main()
