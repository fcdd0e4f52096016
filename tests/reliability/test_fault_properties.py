"""Property: for any sequence of injected faults, a call succeeds exactly once within its retry budget
and fails cleanly beyond it, with the state showing one effect or none.

A small model says, for each fault kind and kind of call, whether the fault is
retried, ends the call, or lets the request through; the mock and the client
must agree with it on the outcome, the error class, the number of requests
that reached the mock, and the state. The query and the mutation are sent as
the SDK writes them, or in any other valid form of the same document (a
leading comment, a BOM, a fragment defined first, several operations with
`operationName` choosing one): the client must read which it is from the
document, whatever its form.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from attrs import define
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import labelbox_lite as lb
from labelbox_lite import documents as docs
from labelbox_lite import exceptions as exc
from mockserver import MockLabelbox, RunningServer
from mockserver.backend import Backend
from mockserver.control.faults import Fault

from ..support import FakeTime, standard_seed, world_from


@define(frozen=True)
class Kind:
    """A fault kind and what it does to each kind of call."""

    name: str
    fault: dict[str, Any]
    error: type[Exception]
    retried_for_mutations: bool = False
    retried_for_queries: bool = True
    served: bool = False  # the request goes through: the call succeeds at this attempt


KINDS = [
    Kind("429", {"status": 429}, exc.ApiLimitError, retried_for_mutations=True),
    Kind("429+retry-after", {"status": 429, "retry_after": 1}, exc.ApiLimitError, retried_for_mutations=True),
    Kind("500", {"status": 500}, exc.InternalServerError),
    Kind("502", {"status": 502}, exc.InternalServerError),
    Kind("503+retry-after", {"status": 503, "retry_after": 2}, exc.InternalServerError),
    Kind("504", {"status": 504}, exc.InternalServerError),
    Kind("dropped connection", {"reset": True}, exc.NetworkError),
    Kind("truncated body", {"truncate": True}, exc.NetworkError),
    Kind("400", {"status": 400}, exc.InvalidQueryError, retried_for_queries=False),
    Kind("graphql error", {"graphql_error": "INTERNAL_SERVER_ERROR"}, exc.LabelboxError, retried_for_queries=False),
    Kind("slow answer", {"delay": 0.0}, Exception, served=True),
]

CALLS = ("query", "mutation", "idempotent mutation")
OPERATIONS = {"query": "GetModelPyApi", "mutation": "CreateModelRunPyApi",
              "idempotent mutation": "updateModelRunConfigPyApi"}


# the documents of the query and the mutation, and the type their top-level field answers
DOCUMENTS = {"query": (docs.GET_MODEL, "Model"), "mutation": (docs.CREATE_MODEL_RUN, "ModelRun")}
OTHER_QUERY = "query OtherOperationPyApi { user { id } }"


def _with_fragment(document: str, type_name: str) -> str:
    """The fragment defined first and spread into the selection (both documents end with `}}`)."""
    return f"fragment ExtraFieldsPyApi on {type_name} {{ id }}\n{document[:-2]} ...ExtraFieldsPyApi}}}}"


# form -> (document, type name, operation name) -> the document sent, and the operationName sent with it
FORMS: dict[str, Any] = {
    "as the SDK writes it": None,  # through the public method (Model.create_model_run, Client.get_model)
    "leading comment": lambda d, t, n: (f"# a mutation? {OTHER_QUERY}\n{d}", None),
    "byte-order mark": lambda d, t, n: ("\ufeff" + d, None),
    "whitespace and commas first": lambda d, t, n: (" ,\r\n\t," + d, None),
    "fragment first": lambda d, t, n: (_with_fragment(d, t), None),
    "another operation first": lambda d, t, n: (f"{OTHER_QUERY}\n{d}", n),
    "another operation after": lambda d, t, n: (f"{d}\n{OTHER_QUERY}", n),
    "fragment, comment and two operations": lambda d, t, n: (f"\ufeff# x\n{OTHER_QUERY},{_with_fragment(d, t)}", n),
}


@define
class Expected:
    succeeds: bool
    requests: int
    error: type[Exception] | None


def expected(call: str, faults: list[Kind], attempts: int) -> Expected:
    """The model: walk the faults one attempt at a time."""
    for attempt, kind in enumerate(faults):
        if kind.served:
            return Expected(True, attempt + 1, None)
        retried = kind.retried_for_mutations if call == "mutation" else kind.retried_for_queries
        if not retried or attempt == attempts:
            return Expected(False, attempt + 1, kind.error)
    return Expected(True, len(faults) + 1, None)


class Lab:
    """One seeded mock and a client on the fake clock, whichever transport."""

    def __init__(self, backend: Backend, endpoint: str) -> None:
        self.backend = backend
        self.endpoint = endpoint

    def prepare(self, attempts: int, fake: FakeTime) -> tuple[lb.Client, Any, Any]:
        self.backend.reset()
        world = world_from(self.backend.seed(standard_seed(2)), 2)
        policy = lb.RetryPolicy(attempts=attempts, sleep=fake.sleep, clock=fake.clock)
        client = lb.Client(api_key="test-key", endpoint=self.endpoint, retry=policy, timeout=10)
        model = client.get_model(world.model_id)
        run = model.create_model_run("existing", {"kept": True})
        return client, model, run

    def org(self) -> Any:
        return self.backend.store.organizations()[0]


@pytest.fixture(params=["in-process", "standalone"])
def lab(request: pytest.FixtureRequest) -> Iterator[Lab]:
    """One mock for all of a test's examples: each example starts with Lab.prepare(), which resets it."""
    if request.param == "in-process":
        with MockLabelbox() as mock:
            yield Lab(mock.backend, "https://api.labelbox.com/graphql")
    else:
        with RunningServer(Backend()) as server:
            yield Lab(server.backend, server.graphql_url)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(call=st.sampled_from(CALLS), faults=st.lists(st.sampled_from(KINDS), max_size=5),
       attempts=st.integers(0, 3), anywhere=st.booleans(), form=st.sampled_from(sorted(FORMS)))
def test_a_call_has_one_effect_within_its_budget_and_none_beyond(lab: Lab, call: str, faults: list[Kind],
                                                                 attempts: int, anywhere: bool, form: str) -> None:
    fake = FakeTime()
    client, model, run = lab.prepare(attempts, fake)
    operation = OPERATIONS[call]
    for kind in faults:  # each fires once, in order; "*" is fine: the call sends only its own operation
        lab.backend.faults.add(Fault(operation="*" if anywhere else operation, times=1, **kind.fault))
    runs_before = {r.id: r.name for r in lab.org().model_runs.values()}
    journal_before = len(lab.backend.journal.entries())
    want = expected(call, faults, attempts)
    event(f"{call}: {'succeeds' if want.succeeds else 'fails'} after {want.requests} request(s)")
    rewrite = FORMS[form] if call in DOCUMENTS else None

    outcome: Exception | None = None
    result: Any = None
    try:
        if rewrite is not None:  # the same document in another form, sent as is
            document, operation_name = rewrite(*DOCUMENTS[call], operation)
            variables = {"id": model.uid} if call == "query" else {"name": "new", "config": None,
                                                                     "modelId": model.uid}
            data = client.execute(document, variables, raise_return_resource_not_found=True,
                                  operation_name=operation_name)
            result = lb.Model.from_api(client, data["model"]) if call == "query" else data
        elif call == "query":
            result = client.get_model(model.uid)
        elif call == "mutation":
            result = model.create_model_run("new")
        else:
            result = run.update_config({"added": 1})
    except Exception as error:
        outcome = error

    sent = [e for e in lab.backend.journal.entries()[journal_before:] if e.operation == operation]
    assert len(sent) == want.requests, (faults, attempts, outcome)
    assert len(lab.backend.faults.pending()) == max(len(faults) - want.requests, 0)
    runs_after = {r.id: r.name for r in lab.org().model_runs.values()}
    config = lab.org().model_runs[run.uid].training_metadata
    if want.succeeds:
        assert outcome is None, (faults, attempts, outcome)
        if call == "query":
            assert result.uid == model.uid and runs_after == runs_before
        elif call == "mutation":
            assert sorted(runs_after.values()) == sorted([*runs_before.values(), "new"])  # exactly one effect
        else:
            assert config == {"kept": True, "added": 1}
    else:
        assert want.error is not None and isinstance(outcome, want.error), (faults, attempts, outcome)
        if not isinstance(outcome, (exc.InvalidQueryError,)) and want.error is not exc.LabelboxError:
            assert operation in str(outcome)  # transport and HTTP failures name the call; GraphQL errors are the server's
        assert runs_after == runs_before and config == {"kept": True}  # no effect
    assert sum(fake.sleeps) <= lb.RetryPolicy().deadline


def test_the_model_itself() -> None:
    by_name = {kind.name: kind for kind in KINDS}
    assert expected("query", [by_name["503+retry-after"]] * 2, attempts=2) == Expected(True, 3, None)
    assert expected("query", [by_name["503+retry-after"]] * 3, attempts=2) == Expected(
        False, 3, exc.InternalServerError)
    assert expected("mutation", [by_name["429"], by_name["dropped connection"]], attempts=3) == Expected(
        False, 2, exc.NetworkError)
    assert expected("mutation", [by_name["slow answer"], by_name["500"]], attempts=0) == Expected(True, 1, None)
