"""The admin views and static files behind the dashboard (/_mock/ui), without a browser."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from hypothesis import given
from hypothesis import strategies as st

import labelbox_lite as lb
from mockserver import Backend, MockLabelbox, MockServerClient, RunningServer
from mockserver.engines.tasks import Transition
from mockserver.http.handler import Handler
from mockserver.http.messages import HttpRequest
from mockserver.http.views import import_view
from mockserver.state.records import AnnotationImport, Task

from ..support import World

KEY = "test-key"


def _get(handler: Handler, path: str, key: str | None = KEY, method: str = "GET") -> tuple[int, Any, dict[str, str]]:
    headers = {"Authorization": f"Bearer {key}"} if key is not None else {}
    response = handler(HttpRequest(method, "http://127.0.0.1" + path, headers))
    body = response.body_bytes()
    is_json = response.headers.get("Content-Type") == "application/json"
    return response.status, json.loads(body) if is_json else body, response.headers


@pytest.mark.parametrize("path", ["/_mock/ui", "/_mock/ui/", "/_mock/ui/dashboard.js", "/_mock/ui/dashboard.css"])
def test_the_page_is_served_without_a_key_and_may_load_only_its_own_files(path: str) -> None:
    status, body, headers = _get(Handler(Backend()), path, key=None)
    assert status == 200 and body
    assert headers["Cache-Control"] == "no-store"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["Content-Type"].split(";")[0] in ("text/html", "text/javascript", "text/css")


def test_the_page_names_only_files_that_are_served() -> None:
    handler = Handler(Backend())
    _, html, _ = _get(handler, "/_mock/ui", key=None)
    for asset in ("/_mock/ui/dashboard.js", "/_mock/ui/dashboard.css"):
        assert asset.encode() in html and _get(handler, asset, key=None)[0] == 200


@pytest.mark.parametrize(("method", "path", "status"), [
    ("GET", "/_mock/ui/app.js", 404), ("GET", "/_mock/ui/../state", 404), ("POST", "/_mock/ui", 405),
])
def test_other_dashboard_requests_are_refused(method: str, path: str, status: int) -> None:
    assert _get(Handler(Backend()), path, key=None, method=method)[0] == status


def test_a_head_request_gets_headers_only() -> None:
    status, body, headers = _get(Handler(Backend()), "/_mock/ui", key=None, method="HEAD")
    assert status == 200 and body == b"" and headers["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("path", ["/_mock/tasks", "/_mock/imports", "/_mock/transitions", "/_mock/clock"])
@pytest.mark.parametrize(("key", "says"), [(None, "no API key was sent"), ("wrong", "not valid")])
def test_the_views_need_a_key_of_this_mock(path: str, key: str | None, says: str) -> None:
    status, body, _ = _get(Handler(Backend()), path, key=key)
    assert status == 401 and says in body["error"]


ADMIN_TOKEN = "admin-token-of-this-mock"


def test_each_view_shows_the_organisation_of_its_key_and_the_admin_token_all() -> None:
    backend = Backend([KEY, "other-key"], admin_token=ADMIN_TOKEN)
    for key, name in ((KEY, "mine"), ("other-key", "theirs")):
        org = backend.store.org_for_key(key)
        assert org is not None
        backend.tasks.start(org, "export", name)
    handler = Handler(backend)
    post = {"Authorization": f"Bearer {KEY}", "Content-Type": "application/json"}
    handler(HttpRequest("POST", "http://127.0.0.1/_mock/transitions", post, b'{"kind": "export", "progression": "reads"}'))
    handler(HttpRequest("POST", "http://127.0.0.1/_mock/clock", post, b'{"advance": 3600}'))

    assert [task["name"] for task in _get(handler, "/_mock/tasks")[1]] == ["mine"]
    assert [task["name"] for task in _get(handler, "/_mock/tasks", key="other-key")[1]] == ["theirs"]
    assert sorted(task["name"] for task in _get(handler, "/_mock/tasks", key=ADMIN_TOKEN)[1]) == ["mine", "theirs"]
    assert list(_get(handler, "/_mock/transitions")[1]) == ["export"]
    assert _get(handler, "/_mock/transitions", key="other-key")[1] == {}
    # each organisation has its own clock: one moving does not move the other's
    assert _get(handler, "/_mock/clock")[1]["now"] >= _get(handler, "/_mock/clock", key="other-key")[1]["now"] + 3000


def _held_task(transition: Transition) -> tuple[Backend, Task]:
    """A fresh mock with one export task that `transition` holds IN_PROGRESS."""
    backend = Backend()
    org = backend.store.org_for_key(KEY)
    assert org is not None
    backend.set_transition("export", transition)
    return backend, backend.tasks.start(org, "export", "held")


@given(times=st.integers(0, 5), polls=st.integers(0, 8))
def test_reading_a_task_view_is_not_a_status_read(times: int, polls: int) -> None:
    backend, task = _held_task(Transition(progression="reads", times=times))
    handler = Handler(backend)
    for _ in range(polls):
        (view,) = _get(handler, "/_mock/tasks")[1]
        assert (view["status"], view["progression"], view["reads_left"]) == ("IN_PROGRESS", "reads", times)
    for _ in range(times):  # the reads a client makes are what count
        backend.tasks.observe(task)
        assert task.status == "IN_PROGRESS"
    backend.tasks.observe(task)
    (view,) = _get(handler, "/_mock/tasks")[1]
    assert (view["status"], view["progression"], view["reads_left"]) == ("COMPLETE", None, None)


@given(duration=st.floats(1, 10_000), advanced=st.floats(0, 20_000))
def test_time_left_is_what_remains_on_the_mock_clock(duration: float, advanced: float) -> None:
    backend, task = _held_task(Transition(progression="time", duration=duration))
    backend.advance_clock(advanced)
    (view,) = _get(Handler(backend), "/_mock/tasks")[1]
    assert view["status"] == "IN_PROGRESS" and view["progression"] == "time"
    due_at = task.due_at
    assert due_at is not None and view["due_at"] == due_at  # a task on the clock is due at a time
    assert 0.0 <= view["time_left"] <= max(0.0, duration - advanced) + 1e-6
    assert (view["time_left"] == 0.0) == (backend.clock.now() >= due_at)


def test_views_list_transitions_and_the_clock() -> None:
    backend = Backend()
    backend.set_transition("export", Transition(progression="time", duration=30.0))
    handler = Handler(backend)
    assert _get(handler, "/_mock/transitions")[1] == {
        "export": {"progression": "time", "times": 1, "duration": 30.0, "outcome": "COMPLETE", "error": None}}
    before = _get(handler, "/_mock/clock")[1]["now"]
    backend.advance_clock(100.0)
    assert _get(handler, "/_mock/clock")[1]["now"] >= before + 100.0


def test_an_export_task_shows_its_stream_sizes_once_built(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    run = client.get_model(world.model_id).create_model_run("sized")
    run.upsert_data_rows(global_keys=world.global_keys[:4])
    task = run.export()
    task.wait_till_done()
    # the admin API's client reaches the in-process mock's routes too (on its origin, as its key)
    (view,) = [t for t in MockServerClient("https://api.labelbox.com", KEY).tasks() if t["id"] == task.uid]
    assert view["streams"]["RESULT"] == {"lines": 4, "bytes": task.get_total_file_size(lb.StreamType.RESULT),
                                         "complete": True}
    assert task.get_total_lines(lb.StreamType.RESULT) == 4


def test_an_import_view_lists_each_rows_status_and_cause(client: lb.Client, world: World, mock: MockLabelbox) -> None:
    run = client.get_model(world.model_id).create_model_run("imports")
    run.upsert_data_rows(global_keys=world.global_keys[:2])
    box = {"name": "box", "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}}
    imported = run.add_predictions("mixed", [{"uuid": "in", "dataRow": {"globalKey": world.global_keys[0]}, **box},
                                             {"uuid": "out", "dataRow": {"globalKey": world.global_keys[5]}, **box}])
    imported.wait_till_done()
    (view,) = mock.imports()
    assert view["name"] == "mixed" and view["status"] == "COMPLETE" and view["model_run_id"] == run.uid
    assert view["counts"] == {"rows": 2, "SUCCESS": 1, "FAILURE": 1}
    statuses = {row["uuid"]: row for row in view["rows"]}
    assert statuses["in"]["status"] == "SUCCESS"
    assert statuses["out"]["status"] == "FAILURE"
    assert "is not in model run" in statuses["out"]["errors"][0]["message"]


@given(rows=st.lists(st.booleans(), max_size=30), limit=st.integers(0, 40))
def test_an_import_view_counts_every_row_and_lists_up_to_its_limit(rows: list[bool], limit: int) -> None:
    lines = [json.dumps({"uuid": str(i), "status": "SUCCESS" if ok else "FAILURE"}) for i, ok in enumerate(rows)]
    record = AnnotationImport(id="i", name="n", kind="mea", model_run_id="r", created_at=0.0,
                              status_text="\n".join(lines) or None,
                              error_text="\n".join(line for line, ok in zip(lines, rows) if not ok) or None)
    view = import_view(record, None, limit)
    assert view["counts"] == {"rows": len(rows), "SUCCESS": sum(rows), "FAILURE": len(rows) - sum(rows)}
    assert [row["uuid"] for row in view["rows"]] == [str(i) for i in range(min(limit, len(rows)))]
    assert view["rows_left_out"] == max(0, len(rows) - limit)


def test_the_journal_says_when_each_request_came_and_how_long_it_took(client: lb.Client, mock: MockLabelbox) -> None:
    before = mock.backend.clock.now()
    client.get_user()
    mock.advance_clock(50.0)
    client.get_user()
    first, second = mock.requests[-2:]
    assert first.at is not None and second.at is not None and first.duration_ms is not None
    assert before <= first.at and second.at >= first.at + 50.0
    assert first.duration_ms >= 0.0
    assert set(first.to_json()) >= {"at", "duration_ms"}


def test_serve_ui_serves_the_same_backend_on_loopback_until_the_mock_stops() -> None:
    with MockLabelbox() as mock:
        url = mock.serve_ui()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/_mock/ui")
        assert mock.serve_ui() == url  # one server per mock
        mock.seed({"models": [{"name": "shared", "ontology": "o"}], "ontologies": [{"name": "o"}]})
        state = requests.get(url.replace("/ui", "/state"), headers={"Authorization": f"Bearer {mock.api_key}"},
                             timeout=5).json()
        assert [m["name"] for org in state["organizations"] for m in org["models"].values()] == ["shared"]
    with pytest.raises(requests.ConnectionError):
        requests.get(url, timeout=5)


def test_serve_ui_can_open_a_browser(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    with MockLabelbox() as mock:
        assert opened == [mock.serve_ui(open_browser=True)]


def test_labelbox_mock_ui_opens_a_running_servers_page(monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    from mockserver.cli import main

    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", opened.append)
    with RunningServer() as server:
        assert main(["ui", "--url", server.url]) == 0
        assert main(["ui", "--url", server.url + "/", "--no-browser"]) == 0
    assert capsys.readouterr().out.split() == [server.url + "/_mock/ui"] * 2
    assert opened == [server.url + "/_mock/ui"]
    # the server is gone now: the command says so and opens nothing
    assert main(["ui", "--url", server.url, "--no-browser"]) == 1
    assert "no mock dashboard at" in capsys.readouterr().err


def test_labelbox_mock_ui_answers_help(capsys: pytest.CaptureFixture[str]) -> None:
    from mockserver.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["ui", "--help"])
    assert exited.value.code == 0 and "--no-browser" in capsys.readouterr().out

