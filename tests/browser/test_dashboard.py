"""The dashboard at /_mock/ui in headless Chromium: what it shows of a script's run, and what its buttons do."""

from __future__ import annotations

import os
import re

import requests
from playwright.sync_api import BrowserContext, Page, expect

import labelbox_lite as lb
from mockserver import RunningServer
from mockserver.http.views import MAX_DATASET_ROWS, MAX_LISTED, MAX_RUN_ROWS
from mockserver.state.metadata_schemas import RESERVED_METADATA

from .scenario import (
    EXPORT_SECONDS,
    INJECTED,
    KEY_A,
    KEY_B,
    admin,
    client_for,
    import_labels,
    open_dashboard,
    rows_with_attachments_and_metadata,
    run_script,
)

TAG_SCHEMA_ID = RESERVED_METADATA[0].id  # Labelbox's reserved string schema "tag"


def test_the_page_shows_the_runs_the_import_rows_and_the_task_in_progress(page: Page, server: RunningServer) -> None:
    run_script(server.url, KEY_A)
    secrets = {"apiKey": "s3cret-value", "note": f"sent with {KEY_A}", "url": f"{server.url}/_files/t0ken-value"}
    requests.post(server.url + "/graphql", timeout=10, headers={"Authorization": f"Bearer {KEY_A}"},
                  json={"query": "query LeakyPyApi($apiKey: String) { user { id } }", "variables": secrets})
    open_dashboard(page, server.url, KEY_A)

    run = page.get_by_test_id("models").locator("article.run")
    expect(run).to_contain_text("baseline")
    expect(run).to_contain_text("3 data rows: 2 TRAINING, 1 VALIDATION")
    expect(run.locator("tbody tr")).to_have_count(3)
    run.get_by_text("Config").click()
    expect(run.locator("pre.json")).to_contain_text('"epochs": 10')

    ontology = page.get_by_test_id("ontologies").locator("article.ontology").first
    expect(ontology).to_contain_text("street scenes")
    expect(ontology).to_contain_text("rectangle tool")

    imported = page.get_by_test_id("imports").locator("article.import")
    expect(imported).to_contain_text("3 rows, 1 SUCCESS, 2 FAILURE")
    expect(imported.locator('tr[data-uuid="pred-ok"]')).to_have_attribute("data-status", "SUCCESS")
    outside = imported.locator('tr[data-uuid="pred-outside"]')
    expect(outside).to_have_attribute("data-status", "FAILURE")
    expect(outside.locator("td.cause")).to_contain_text(re.compile(r"data row \w+ is not in model run"))
    expect(imported.locator('tr[data-uuid="pred-bad-answer"] td.cause')).to_contain_text(
        "'foggy' is not an option of 'weather'")

    held = page.get_by_test_id("tasks").locator('tr[data-status="IN_PROGRESS"]')
    expect(held).to_have_count(1)
    expect(held).to_contain_text("nightly export")
    expect(held).to_contain_text("left on the mock clock")
    expect(page.get_by_test_id("transitions")).to_contain_text("done after 10 min 0 s on the mock clock")
    expect(page.get_by_test_id("faults").locator('tr[data-operation="GetModelRun"]')).to_contain_text("status 503")

    journal = page.get_by_test_id("journal")
    expect(journal).to_contain_text("createMEAPredictionImportByFilePyApi")
    page.get_by_label("Operation").select_option("assignDataSplitPyApi")
    expect(journal.locator("tbody tr")).to_have_count(2)
    page.get_by_label("Operation").select_option("")
    page.get_by_label("Status").select_option("200")
    expect(journal.locator('tbody tr:not([data-status="200"])')).to_have_count(0)
    page.get_by_label("Status").select_option("")
    page.get_by_label("Operation").select_option("LeakyPyApi")
    leaky = journal.locator("tbody tr")
    expect(leaky).to_have_count(1)
    leaky.locator("summary").click()
    expect(leaky.locator("pre.json")).to_contain_text('"apiKey": "«redacted»"')
    expect(leaky.locator("pre.json")).to_contain_text('"note": "sent with «key»"')
    expect(leaky.locator("pre.json")).to_contain_text("/_files/«token»")
    content = page.content()
    assert KEY_A not in content and "s3cret" not in content and "t0ken" not in content


def test_the_buttons_change_the_mock_as_the_admin_api_would(page: Page, server: RunningServer) -> None:
    scenario = run_script(server.url, KEY_A)
    open_dashboard(page, server.url, KEY_A)
    faults = page.get_by_test_id("faults")
    expect(faults.locator("tbody tr")).to_have_count(1)

    page.get_by_role("button", name="Clear faults").click()
    expect(faults).to_contain_text("No faults armed.")
    assert admin(server.url, KEY_A, "GET", "/_mock/faults") == []

    before = admin(server.url, KEY_A, "GET", "/_mock/clock")["now"]
    page.get_by_label("Advance by").fill(str(EXPORT_SECONDS))
    page.get_by_role("button", name="Advance clock").click()
    held = page.get_by_test_id("tasks").locator(f'tr[data-task-id="{scenario.export_task_id}"]')
    expect(held).to_contain_text("due: settles on the next API request")
    assert admin(server.url, KEY_A, "GET", "/_mock/clock")["now"] >= before + EXPORT_SECONDS

    # the next API call settles the export; the page then shows its size
    client = lb.Client(api_key=KEY_A, endpoint=server.url + "/graphql")
    client.get_task_by_id(scenario.export_task_id)
    export = page.get_by_test_id("exports").locator(f'tr[data-task-id="{scenario.export_task_id}"]')
    expect(export).to_have_attribute("data-status", "COMPLETE")
    expect(export).to_contain_text("3 lines")

    page.get_by_role("button", name="Clear transitions").click()
    expect(page.get_by_test_id("transitions")).to_contain_text("every task completes when first read")
    assert admin(server.url, KEY_A, "GET", "/_mock/transitions") == {}

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Reset organisation").click()
    expect(page.get_by_test_id("models")).to_contain_text("No models.")
    expect(page.get_by_test_id("tasks")).to_contain_text("No tasks yet.")
    assert admin(server.url, KEY_A, "GET", "/_mock/tasks") == []
    # the reset emptied the journal: the page notices and starts over from the next request
    journal = page.get_by_test_id("journal")
    expect(journal).to_contain_text("No requests yet.")
    lb.Client(api_key=KEY_A, endpoint=server.url + "/graphql").get_user()
    expect(journal.locator("tbody tr")).to_have_count(1)
    expect(page.locator("#journal-count")).to_have_text("1 of 1 requests")


def test_the_journal_appends_new_requests(page: Page, server: RunningServer) -> None:
    client = lb.Client(api_key=KEY_A, endpoint=server.url + "/graphql")
    client.get_user()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url) if "/_mock/requests" in request.url else None)
    open_dashboard(page, server.url, KEY_A)
    journal = page.get_by_test_id("journal")
    expect(journal.locator("tbody tr")).to_have_count(1)
    for _ in range(3):
        client.get_user()
    expect(journal.locator("tbody tr")).to_have_count(4)
    expect(journal.locator("tbody tr").first.locator("td").first).to_have_text("4")  # newest first, numbered on
    # each poll asks only for what is newer than what it holds
    cursors = [int(re.search(r"after=(\d+)", url).group(1)) for url in asked]  # type: ignore[union-attr]
    assert cursors[0] == 0 and cursors[-1] >= 1 and cursors == sorted(cursors)


def test_a_fault_row_deletes_that_fault_only(page: Page, server: RunningServer) -> None:
    kept = admin(server.url, KEY_A, "POST", "/_mock/faults", {"operation": "GetUserPyApi", "status": 500})
    gone = admin(server.url, KEY_A, "POST", "/_mock/faults", {"operation": "GetModelRun", "times": 2, "status": 503})
    theirs = admin(server.url, KEY_B, "POST", "/_mock/faults", {"operation": "GetModelRun", "status": 502})
    open_dashboard(page, server.url, KEY_A)
    faults = page.get_by_test_id("faults")
    expect(faults.locator("tbody tr")).to_have_count(2)

    faults.locator(f'tr[data-fault-id="{gone["id"]}"]').get_by_role("button", name="Delete").click()
    expect(page.get_by_test_id("status")).to_contain_text(f"Delete fault {gone['id']}: done")
    expect(faults.locator("tbody tr")).to_have_count(1)
    expect(faults.locator(f'tr[data-fault-id="{kept["id"]}"]')).to_contain_text("status 500")
    assert [fault["id"] for fault in admin(server.url, KEY_A, "GET", "/_mock/faults")] == [kept["id"]]
    assert [fault["id"] for fault in admin(server.url, KEY_B, "GET", "/_mock/faults")] == [theirs["id"]]


def test_a_key_that_is_not_valid_shows_nothing(page: Page, server: RunningServer) -> None:
    run_script(server.url, KEY_A)
    open_dashboard(page, server.url, "not-a-key")
    expect(page.get_by_test_id("status")).to_contain_text("HTTP 401")
    expect(page.locator("#dashboard")).to_be_hidden()


def test_another_keys_page_shows_none_of_it(page: Page, context: BrowserContext, server: RunningServer) -> None:
    run_script(server.url, KEY_A)
    open_dashboard(page, server.url, KEY_A)
    expect(page.get_by_test_id("imports").locator("tr.failure")).to_have_count(2)

    browser = context.browser
    assert browser is not None  # the fixture's context was opened from a browser
    other = browser.new_context()  # another user's tab: its own sessionStorage
    try:
        theirs = other.new_page()
        open_dashboard(theirs, server.url, KEY_B)
        expect(theirs.get_by_test_id("status")).to_contain_text("Live")
        expect(theirs.get_by_test_id("org-name")).not_to_have_text(page.get_by_test_id("org-name").inner_text())
        expect(theirs.get_by_test_id("models")).to_have_text("No models.")
        expect(theirs.get_by_test_id("imports")).to_have_text("No imports.")
        expect(theirs.get_by_test_id("datasets")).to_have_text("No datasets.")
        expect(theirs.get_by_test_id("tasks")).to_have_text("No tasks yet.")
        expect(theirs.get_by_test_id("exports")).to_have_text("No exports.")
        expect(theirs.get_by_test_id("faults")).to_have_text("No faults armed.")
        expect(theirs.get_by_test_id("journal")).to_have_text("No requests yet.")
        # its buttons act on its own organisation only
        clock_a = admin(server.url, KEY_A, "GET", "/_mock/clock")["now"]
        theirs.get_by_label("Advance by").fill("86400")
        theirs.get_by_role("button", name="Advance clock").click()
        expect(theirs.get_by_test_id("status")).to_contain_text("Advance clock by 86400 s: done")
        theirs.get_by_role("button", name="Clear faults").click()
        expect(theirs.get_by_test_id("status")).to_contain_text("Clear faults: done")
        assert admin(server.url, KEY_A, "GET", "/_mock/clock")["now"] < clock_a + 86400
        theirs.once("dialog", lambda dialog: dialog.accept())
        theirs.get_by_role("button", name="Reset organisation").click()
        expect(theirs.get_by_test_id("status")).to_contain_text("Reset: done")
    finally:
        other.close()
    expect(page.get_by_test_id("imports").locator("tr.failure")).to_have_count(2)
    assert admin(server.url, KEY_A, "GET", "/_mock/faults") != []


def test_screenshot(page: Page, server: RunningServer, tmp_path: os.PathLike[str]) -> None:
    """The picture docs/dashboard.md shows; LABELBOX_MOCK_SCREENSHOT=docs/dashboard.png writes it there."""
    run_script(server.url, KEY_A)
    open_dashboard(page, server.url, KEY_A)
    expect(page.get_by_test_id("imports").locator("tr.failure")).to_have_count(2)
    expect(page.get_by_test_id("journal").locator("tbody tr")).not_to_have_count(0)
    target = os.environ.get("LABELBOX_MOCK_SCREENSHOT") or os.path.join(tmp_path, "dashboard.png")
    page.screenshot(path=target, full_page=True)
    with open(target, "rb") as picture:
        assert picture.read(8) == b"\x89PNG\r\n\x1a\n"


def test_the_page_shows_each_projects_batches_and_steps(page: Page, server: RunningServer) -> None:
    created = admin(server.url, KEY_A, "POST", "/_mock/seed", {"datasets": [{"name": "street", "data_rows": [
        {"row_data": f"https://example.com/street-{i}.jpg", "global_key": f"street-{i}"} for i in range(3)]}]})
    client = lb.Client(api_key=KEY_A, endpoint=server.url + "/graphql", enable_experimental=True,
                       poller=lb.Poller(sleep=lambda _s: None))
    project = client.create_project(name="streets", media_type=lb.MediaType.Image)
    project.create_batch("morning", global_keys=["street-0", "street-1"], priority=2)
    project.create_batches_from_dataset("rest", created["datasets"][0]["id"]).wait_till_done()
    open_dashboard(page, server.url, KEY_A)

    card = page.get_by_test_id("projects").locator(f'article.project[data-project-id="{project.uid}"]')
    expect(card).to_contain_text("2 batches; Initial labeling task: 3")
    expect(card.locator("tbody tr")).to_have_count(2)
    expect(card.locator("tbody tr").first).to_contain_text("morning")
    expect(card.locator("tbody tr").nth(1)).to_contain_text("rest0000")


def test_the_page_shows_a_projects_ontology_labels_and_tags(page: Page, server: RunningServer) -> None:
    run_script(server.url, KEY_A)
    client = lb.Client(api_key=KEY_A, endpoint=server.url + "/graphql", enable_experimental=True)
    (project,) = client.get_projects()
    project.create_batch("to review", global_keys=["frame-2", "frame-3"])
    tag = client.execute("mutation CreateResourceTagPyApi($text:String!,$color:String!)"
                         "{createResourceTag(input:{text:$text,color:$color}){id}}",
                         {"text": "urgent", "color": "#ff0000"})["createResourceTag"]["id"]
    client.execute("mutation UpdateProjectResourceTagsPyApi($projectId:ID!,$resourceTagIds:[String!])"
                   "{project(where:{id:$projectId}){updateProjectResourceTags(input:{resourceTagIds:$resourceTagIds})"
                   "{id}}}", {"projectId": project.uid, "resourceTagIds": [tag]})
    open_dashboard(page, server.url, KEY_A)

    card = page.get_by_test_id("projects").locator(f'article.project[data-project-id="{project.uid}"]')
    expect(card).to_contain_text("dashcam labelling")
    expect(card.locator("p.project-facts")).to_have_text("IMAGE, ontology street scenes, 2 labels")
    expect(card.locator(f'span.tag[data-tag-id="{tag}"]')).to_have_text("urgent")
    expect(card.locator("tr[data-batch-id]")).to_contain_text("to review")
    expect(card).to_contain_text("1 batch; Initial labeling task: 2")


def test_the_page_shows_a_datasets_rows_with_their_attachments_and_metadata(page: Page, server: RunningServer) -> None:
    dataset_id = rows_with_attachments_and_metadata(server.url, KEY_A)
    open_dashboard(page, server.url, KEY_A)

    card = page.get_by_test_id("datasets").locator(f'article.dataset[data-dataset-id="{dataset_id}"]')
    expect(card).to_contain_text("street cameras")
    expect(card).to_contain_text("2 data rows")
    row = card.locator("tbody tr").first
    expect(row.locator("td.global-key")).to_have_text("cam-0")
    expect(row.locator("td.external-id")).to_have_text("ext-0")
    expect(row.locator("td.row-data")).to_have_text("https://example.com/cam-0.jpg")
    expect(row.locator('td.attachments li[data-attachment-type="RAW_TEXT"]')).to_have_text("RAW_TEXT caption: seen at dusk")
    expect(row.locator('td.attachments li[data-attachment-type="IMAGE"]')).to_have_text(
        "IMAGE https://example.com/cam-0-map.png")
    expect(row.locator("td.metadata li")).to_have_count(2)
    expect(row.locator("td.metadata")).to_contain_text("camera: rear")
    expect(row.locator("td.metadata")).to_contain_text("note: blurry")
    text_row = card.locator("tbody tr").nth(1)
    expect(text_row).to_contain_text("TEXT")
    expect(text_row.locator("td.attachments")).to_have_text("\u2013")  # the dash of an empty cell


def test_a_big_dataset_shows_its_first_rows_and_counts_the_rest(page: Page, server: RunningServer) -> None:
    admin(server.url, KEY_A, "POST", "/_mock/seed", {"datasets": [{"name": "many", "data_rows": [
        {"row_data": f"https://example.com/{i}.jpg"} for i in range(MAX_DATASET_ROWS + 3)]}]})
    open_dashboard(page, server.url, KEY_A)
    card = page.get_by_test_id("datasets").locator("article.dataset")
    expect(card).to_contain_text(f"{MAX_DATASET_ROWS + 3} data rows, the first {MAX_DATASET_ROWS} shown")
    expect(card.locator("tbody tr")).to_have_count(MAX_DATASET_ROWS)
    expect(card).to_contain_text("… and 3 more rows")


def test_the_page_shows_a_label_imports_row_statuses_beside_prediction_imports(page: Page,
                                                                               server: RunningServer) -> None:
    run_script(server.url, KEY_A)
    import_labels(server.url, KEY_A, "ground truth")
    open_dashboard(page, server.url, KEY_A)

    imports = page.get_by_test_id("imports")
    expect(imports.locator("article.import")).to_have_count(2)
    truth = imports.locator('article.import[data-import-type="LabelImport"]')
    expect(truth.locator("h3")).to_contain_text("ground truth LabelImport FINISHED")
    expect(truth).to_contain_text("ground-truth labels into project dashcam labelling: 2 rows, 1 SUCCESS, 1 FAILURE")
    expect(truth.locator('tr[data-uuid="label-ok"]')).to_have_attribute("data-status", "SUCCESS")
    outside = truth.locator('tr[data-uuid="label-outside"]')
    expect(outside).to_have_attribute("data-status", "FAILURE")
    expect(outside.locator("td.cause")).not_to_be_empty()
    predictions = imports.locator('article.import[data-import-type="MEAPredictionImport"]')
    expect(predictions).to_contain_text("predictions into model run baseline: 3 rows, 1 SUCCESS, 2 FAILURE")


def test_stored_text_is_shown_as_text_never_as_markup(page: Page, server: RunningServer) -> None:
    """Row data, keys, attachments, metadata and import names are the user's text: the page draws it
    with textContent, so markup in it is shown, not parsed (no element, no handler)."""
    admin(server.url, KEY_A, "POST", "/_mock/seed", {"datasets": [{"name": INJECTED, "data_rows": [{
        "row_data": INJECTED, "global_key": INJECTED, "external_id": INJECTED,
        "attachments": [{"type": "HTML", "value": INJECTED, "name": INJECTED}],
        "metadata_fields": [{"schemaId": TAG_SCHEMA_ID, "value": INJECTED}]}]}]})
    run_script(server.url, KEY_A)
    import_labels(server.url, KEY_A, INJECTED)
    open_dashboard(page, server.url, KEY_A)

    row = page.get_by_test_id("datasets").locator("tbody tr").first
    for cell in ("td.row-data", "td.global-key", "td.external-id"):
        expect(row.locator(cell)).to_have_text(INJECTED)
    expect(row.locator("td.attachments li")).to_have_text(f"HTML {INJECTED}: {INJECTED}")
    expect(row.locator("td.metadata li")).to_have_text(f"tag: {INJECTED}")
    expect(page.get_by_test_id("imports").locator('article[data-import-type="LabelImport"] h3')).to_contain_text(
        INJECTED)
    assert page.locator("main img, main script, main iframe, main b").count() == 0
    assert page.evaluate("window.injected") is None


def test_the_page_reads_views_never_the_whole_state(page: Page, server: RunningServer) -> None:
    """The page polls the bounded views each second; /_mock/state dumps every row of the organisation."""
    paths: list[str] = []
    page.on("request", lambda request: paths.append(request.url.split("?")[0].removeprefix(server.url)))
    run_script(server.url, KEY_A)
    open_dashboard(page, server.url, KEY_A)
    expect(page.get_by_test_id("org-name")).to_have_text("Mock Organization 1")
    expect(page.get_by_test_id("models").locator("article.run")).to_contain_text("baseline")
    with page.expect_request(f"{server.url}/_mock/ontologies"):  # the next poll, whole
        pass
    with page.expect_request(f"{server.url}/_mock/clock"):
        pass
    assert {"/_mock/organization", "/_mock/models", "/_mock/projects", "/_mock/ontologies"} <= set(paths)
    assert "/_mock/state" not in paths


def test_a_big_model_run_shows_its_first_rows_and_counts_the_rest(page: Page, server: RunningServer) -> None:
    rows = MAX_RUN_ROWS + 3
    created = admin(server.url, KEY_A, "POST", "/_mock/seed", {
        "ontologies": [{"name": "o"}], "models": [{"name": "big", "ontology": "o"}],
        "datasets": [{"name": "d", "data_rows": [
            {"row_data": f"https://example.com/{i}.jpg", "global_key": f"k{i}"} for i in range(rows)]}]})
    client = client_for(server.url, KEY_A)
    run = client.get_model(created["models"][0]).create_model_run("everything")
    run.upsert_data_rows(global_keys=[f"k{i}" for i in range(rows)])
    run.assign_data_rows_to_split(global_keys=["k0"], split="TEST")
    open_dashboard(page, server.url, KEY_A)
    card = page.get_by_test_id("models").locator("article.run")
    expect(card).to_contain_text(f"{rows} data rows: 1 TEST, {rows - 1} unassigned")
    expect(card.locator("tbody tr")).to_have_count(MAX_RUN_ROWS)
    expect(card).to_contain_text("… and 3 more rows")


def test_many_projects_show_the_first_and_count_the_rest(page: Page, server: RunningServer) -> None:
    admin(server.url, KEY_A, "POST", "/_mock/seed", {"projects": [{"name": f"p{i}"} for i in range(MAX_LISTED + 2)]})
    open_dashboard(page, server.url, KEY_A)
    projects = page.get_by_test_id("projects")
    expect(projects.locator("article.project")).to_have_count(MAX_LISTED)
    expect(projects).to_contain_text("… and 2 more projects")


def test_names_of_models_projects_and_ontologies_are_shown_as_text(page: Page, server: RunningServer) -> None:
    """The names a script gives (ontology, features, model, run, project, batch, tag) are drawn as text."""
    created = admin(server.url, KEY_A, "POST", "/_mock/seed", {
        "ontologies": [{"name": INJECTED, "tools": [{"tool": "rectangle", "name": INJECTED}]}],
        "datasets": [{"name": "d", "data_rows": [{"row_data": "https://example.com/0.jpg", "global_key": INJECTED}]}],
        "projects": [{"name": INJECTED, "ontology": INJECTED}],
        "models": [{"name": INJECTED, "ontology": INJECTED}]})
    client = client_for(server.url, KEY_A)
    client.create_feature_schema({"tool": "point", "name": INJECTED})  # placed by no ontology
    run = client.get_model(created["models"][0]).create_model_run(INJECTED, config={INJECTED: INJECTED})
    run.upsert_data_rows(global_keys=[INJECTED])
    project = client.get_project(created["projects"][0]["id"])
    project.create_batch(INJECTED, global_keys=[INJECTED])
    tag = client.execute("mutation CreateResourceTagPyApi($text:String!,$color:String!)"
                         "{createResourceTag(input:{text:$text,color:$color}){id}}",
                         {"text": INJECTED, "color": "#ff0000"})["createResourceTag"]["id"]
    client.execute("mutation UpdateProjectResourceTagsPyApi($projectId:ID!,$resourceTagIds:[String!])"
                   "{project(where:{id:$projectId}){updateProjectResourceTags(input:{resourceTagIds:$resourceTagIds})"
                   "{id}}}", {"projectId": project.uid, "resourceTagIds": [tag]})
    open_dashboard(page, server.url, KEY_A)

    model = page.get_by_test_id("models").locator("article.model")
    expect(model.locator("h3")).to_contain_text(INJECTED)
    expect(model.locator("p").first).to_have_text(f"ontology {INJECTED}, 1 model run")
    expect(model.locator("article.run h4")).to_contain_text(INJECTED)
    expect(model.locator("article.run tbody td").first).to_have_text(INJECTED)
    card = page.get_by_test_id("projects").locator("article.project")
    expect(card.locator("h3")).to_contain_text(INJECTED)
    expect(card.locator("p.project-facts")).to_have_text(f"IMAGE, ontology {INJECTED}, 0 labels")
    expect(card.locator(f'span.tag[data-tag-id="{tag}"]')).to_have_text(INJECTED)
    expect(card.locator("tr[data-batch-id] td").first).to_contain_text(INJECTED)
    ontologies = page.get_by_test_id("ontologies")
    expect(ontologies.locator("article[data-ontology-id] h3")).to_contain_text(INJECTED)
    expect(ontologies.locator("article[data-ontology-id] tbody td").first).to_have_text(INJECTED)
    expect(ontologies.locator('article[data-unused="true"] tbody td').first).to_have_text(INJECTED)
    model.locator("article.run summary").click()
    expect(model.locator("pre.json")).to_contain_text("window.injected")
    assert page.locator("main img, main script, main iframe, main b").count() == 0
    assert page.evaluate("window.injected") is None
