"""The fault API, from Python and over HTTP, and what each fault kind looks like on the wire."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests

from mockserver import MockLabelbox
from mockserver.control.faults import Fault

from ..support import World
from .conftest import Target

GET_USER = json.dumps({"query": "query GetUserPyApi { user { id } }", "variables": {}}).encode()
GET_ORG = json.dumps({"query": "query GetOrganizationPyApi { organization { id } }"}).encode()


def _add(target: Target, how: str, fault: dict[str, Any]) -> None:
    if how == "python":
        target.backend.faults.add(Fault(**fault))
    else:
        fault_id = target.steer.inject_fault(**fault)
        assert [armed["operation"] for armed in target.steer.faults() if armed["id"] == fault_id] == [
            fault.get("operation", "*")]


@pytest.fixture(params=["python", "http"])
def how(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_status_fault_answers_that_status_with_retry_after(target: Target, how: str) -> None:
    _add(target, how, {"operation": "GetUserPyApi", "times": 2, "status": 503, "retry_after": 1.5})
    for _ in range(2):
        response = target.post_graphql(GET_USER)
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "2"  # whole seconds, rounded up
        assert response.json()["errors"][0]["extensions"] == {"code": "INTERNAL_SERVER_ERROR",
                                                               "exception": {"status": 503}}
    assert target.post_graphql(GET_USER).status_code == 200


def test_a_429_fault_answers_as_the_rate_limiter_does(target: Target, how: str) -> None:
    _add(target, how, {"operation": "*", "status": 429})
    response = target.post_graphql(GET_USER)
    assert response.status_code == 429
    assert response.json()["message"].startswith("You have exceeded")


def test_a_graphql_error_fault_answers_that_code(target: Target, how: str) -> None:
    _add(target, how, {"operation": "GetUserPyApi", "graphql_error": "RESOURCE_CONFLICT"})
    response = target.post_graphql(GET_USER)
    assert response.status_code == 200
    assert response.json()["errors"][0]["extensions"]["code"] == "RESOURCE_CONFLICT"


def test_a_reset_fault_drops_the_connection(target: Target, how: str) -> None:
    _add(target, how, {"reset": True})
    with pytest.raises(requests.exceptions.ConnectionError):
        target.post_graphql(GET_USER)
    assert target.post_graphql(GET_USER).status_code == 200


def test_a_truncate_fault_cuts_the_body_short(target: Target, how: str) -> None:
    _add(target, how, {"truncate": True})
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        target.post_graphql(GET_USER)
    assert target.post_graphql(GET_USER).status_code == 200


def test_a_delay_fault_serves_then_answers_late(target: Target, how: str) -> None:
    _add(target, how, {"operation": "GetUserPyApi", "delay": 0.05})
    response = target.post_graphql(GET_USER)  # within the read timeout: a slow answer, not a failure
    assert response.status_code == 200 and response.json()["data"]["user"]["id"]
    assert target.backend.faults.pending() == []


def test_a_delay_past_the_read_timeout_times_out_after_serving(target: Target, seeded: World) -> None:
    _add(target, "http", {"operation": "createModelPyApi", "delay": 0.3})
    body = json.dumps({"query": "mutation createModelPyApi($o: ID!) { createModel(data: {name: \"late\", "
                               "ontologyId: $o}) { id } }", "variables": {"o": seeded.ontology_id}}).encode()
    with pytest.raises(requests.exceptions.ReadTimeout):
        target.http.post(target.endpoint, data=body, timeout=0.05,
                         headers={"Content-Type": "application/json", "Authorization": "Bearer test-key"})
    assert [m["name"] for m in target.state()["organizations"][0]["models"].values()].count("late") == 1


def test_faults_match_by_operation_name_and_count_down(target: Target, how: str) -> None:
    _add(target, how, {"operation": "GetOrganizationPyApi", "times": 2, "status": 502})
    assert target.post_graphql(GET_USER).status_code == 200  # another operation is untouched
    assert [target.post_graphql(GET_ORG).status_code for _ in range(3)] == [502, 502, 200]


def test_faults_are_listed_and_cleared(target: Target, how: str) -> None:
    _add(target, how, {"operation": "GetUserPyApi", "times": 3, "status": 500})
    _add(target, how, {"operation": "*", "delay": 0.01})
    listed = target.steer.faults()
    assert [(f["operation"], f["times"]) for f in listed] == [("GetUserPyApi", 3), ("*", 1)]
    target.steer.clear_faults()
    if how == "python":  # set in-process, they are server-wide: a tenant sees them but clears only its own
        target.backend.clear_faults()
    assert target.steer.faults() == []
    assert target.post_graphql(GET_USER).status_code == 200


def test_a_fault_fires_before_state(target: Target, seeded: World) -> None:
    before = target.state()
    target.steer.inject_fault("createModelPyApi", status=503)
    body = json.dumps({"query": "mutation createModelPyApi($o: ID!) { createModel(data: {name: \"m\", "
                               "ontologyId: $o}) { id } }", "variables": {"o": seeded.ontology_id}}).encode()
    assert target.post_graphql(body).status_code == 503
    assert target.state() == before
    assert target.post_graphql(body).status_code == 200
    assert target.state() != before


def test_a_tenants_fault_fires_only_on_its_own_requests(target: Target) -> None:
    target.backend.add_api_key("other-key")
    target.steer.inject_fault(status=504)
    assert target.post_graphql(GET_USER, api_key="not-a-key").status_code == 401  # authentication first
    assert target.post_graphql(GET_USER, api_key="other-key").status_code == 200  # another tenant's request
    assert target.steer_as("other-key").faults() == []
    assert target.post_graphql(GET_USER).status_code == 504


def test_reset_clears_faults(target: Target) -> None:
    target.steer.inject_fault(times=5, status=500)
    target.steer.reset()
    assert target.steer.faults() == []


@pytest.mark.parametrize(("fault", "words"), [
    ({}, "exactly one of"),
    ({"status": 503, "reset": True}, "exactly one of"),
    ({"status": 200}, "status must be between 400 and 599"),
    ({"status": "503"}, "status must be an integer"),
    ({"times": 0, "status": 503}, "times must be between 1 and 1000000"),
    ({"times": 1.5, "status": 503}, "times must be an integer"),
    ({"delay": 3600}, "delay must be at most 30 seconds"),
    ({"delay": -1}, "delay must be a non-negative number"),
    ({"retry_after": 1, "reset": True}, "retry_after goes with status"),
    ({"graphql_error": "NOPE"}, "graphql_error must be one of"),
    ({"reset": "yes"}, "'reset' must be <class 'bool'>"),
    ({"status": 503, "when": "now"}, "unknown fault keys: when"),
    ([{"status": 503}], "a fault is a JSON object"),
])
def test_an_invalid_fault_is_refused_with_the_reason(target: Target, fault: Any, words: str) -> None:
    response = target.admin("POST", "/_mock/faults", fault)
    assert response.status_code == 400
    assert words in response.json()["error"]
    assert target.steer.faults() == []


def test_inject_fault_validates_in_python_too() -> None:
    with MockLabelbox() as mock:
        with pytest.raises(ValueError, match="exactly one of"):
            mock.inject_fault("GetUserPyApi", times=2)
        mock.inject_fault("GetUserPyApi", times=2, status=502)
        assert [(f.operation, f.times, f.status) for f in mock.backend.faults.pending()] == [("GetUserPyApi", 2, 502)]
        mock.clear_faults()
        assert mock.backend.faults.pending() == []
