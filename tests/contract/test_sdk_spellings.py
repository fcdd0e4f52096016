"""SDK spellings scripts use, run by the real SDK against the mock: where clauses, cost and usage, get_task."""

from __future__ import annotations

import labelbox_lite as lb
from mockserver import MockLabelbox

from ..support import World
from .conftest import SdkTarget, labelbox


def test_the_sdks_model_filters_and_ours_agree(sdk: SdkTarget, sdk_world: World) -> None:
    client = sdk.client
    for name in ("a", "b", "a"):
        client.create_model(name, sdk_world.ontology_id)
    by_name = {m.uid for m in client.get_models(where=labelbox.Model.name == "a")}
    assert len(by_name) == 2
    both = (labelbox.Model.name != "a") & (labelbox.Model.ontology_id == sdk_world.ontology_id)
    assert sorted(m.name for m in client.get_models(where=both)) == ["b", "detector"]


def test_labelbox_lite_sends_what_selects_the_same() -> None:
    with MockLabelbox() as mock:
        world = mock.seed({"ontologies": [{"name": "o"}], "models": [{"name": n, "ontology": "o"} for n in "aba"]})
        ours = lb.Client(api_key=mock.api_key)
        theirs = labelbox.Client(api_key=mock.api_key)
        for ours_where, theirs_where in [
            (lb.Model.name == "a", labelbox.Model.name == "a"),
            ((lb.Model.name != "a") & (lb.Model.uid != "x"), (labelbox.Model.name != "a") & (labelbox.Model.uid != "x")),
        ]:
            assert {m.uid for m in ours.get_models(where=ours_where)} == {
                m.uid for m in theirs.get_models(where=theirs_where)}
        assert len(world["models"]) == 3


def test_cost_and_usage_of_a_run_read_as_ours_reads_them(sdk: SdkTarget, sdk_world: World) -> None:
    run = sdk.client.get_model(sdk_world.model_id).create_model_run("costs")
    assert run.total_cost is None and run.total_data_rows is None
    run.refresh_cost_and_usage()
    assert run.total_cost is None


def test_get_task_reads_a_task_of_the_user(sdk: SdkTarget, sdk_world: World) -> None:
    run = sdk.client.get_model(sdk_world.model_id).create_model_run("tasks")
    export = run.export()
    task = labelbox.Task.get_task(sdk.client, export.uid)
    assert task.uid == export.uid


def test_model_slices_read_the_same_through_both_clients() -> None:
    with MockLabelbox() as mock:
        keys = [f"k{i}" for i in range(5)]
        created = mock.seed({
            "ontologies": [{"name": "o"}], "models": [{"name": "m", "ontology": "o"}],
            "datasets": [{"name": "d", "data_rows": [{"row_data": f"https://example.com/{k}", "global_key": k}
                                                     for k in keys]}],
            "model_slices": [{"id": "s1", "name": "slice", "filter": [], "data_rows": ["k4", "k1", "k2"]}],
        })
        theirs = labelbox.Client(api_key=mock.api_key)
        run = theirs.get_model(created["models"][0]).create_model_run("r")
        run.upsert_data_rows(global_keys=keys[:4])
        sdk_rows = [row.to_hash() for row in theirs.get_model_slice("s1").get_data_row_identifiers(run.uid)]
        our_rows = [row.to_hash() for row in lb.Client(api_key=mock.api_key).get_model_slice("s1")
                    .get_data_row_identifiers(run.uid)]
        assert sdk_rows == our_rows and [r["global_key"] for r in our_rows] == ["k1", "k2"]
        assert theirs.get_model_slice("s1").name == "slice"


def test_the_sdks_project_filters_and_ours_agree() -> None:
    with MockLabelbox() as mock:
        ours = lb.Client(api_key=mock.api_key)
        theirs = labelbox.Client(api_key=mock.api_key)
        for name in ("a", "b", "a"):
            ours.create_project(name=name, media_type=lb.MediaType.Image)
        for ours_where, theirs_where in [(lb.Project.name == "a", labelbox.Project.name == "a"),
                                         (lb.Project.name != "a", labelbox.Project.name != "a")]:
            assert {p.uid for p in ours.get_projects(where=ours_where)} == {
                p.uid for p in theirs.get_projects(where=theirs_where)}
        assert len(list(theirs.get_projects(where=labelbox.Project.name == "a"))) == 2
