"""Per-call cost in-process: one small query (Client.get_model) through MockLabelbox.

Side by side, in the same process and interleaved batch by batch:
- labelbox_lite through MockLabelbox (the subject);
- labelbox_lite through a static `responses` reply holding the bytes the mock
  answered (the floor: the same client code path, requests and `responses`,
  with no mock behind it);
- the reference SDK through the same MockLabelbox, and through its own static
  reply (so its client-side cost can be told from the mock's).

The timed loops run on a thread of their own. The reference SDK walks the whole
call stack on every request (inspect.stack() in lbox/call_info.py); under
`python -m` that stack holds runpy's frozen frames, whose missing source makes
each walk about 2.5x dearer. A thread's stack is short and file-backed, as in a
plain user script, so the reference is measured at its best.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from .figures import FLOOR, REFERENCE, SUBJECT, Figure, SectionResult, skipped_figure
from .processes import has_module

SECTION = "per call, in-process (get_model)"
ENDPOINT = "https://api.labelbox.com/graphql"
API_KEY = "test-key"
T = TypeVar("T")


@contextlib.contextmanager
def static_reply(body: bytes) -> Iterator[None]:
    """`responses` answering every POST to the endpoint with `body`, and nothing more."""
    import responses

    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        mock.add(responses.POST, ENDPOINT, body=body, content_type="application/json")
        yield


@contextlib.contextmanager
def stub_adapter(body: bytes) -> Iterator[None]:
    """requests' adapter answering every request with `body` at once: the same client and the same
    bytes with nothing behind them, no `responses`, no socket (the true floor of an in-process call)."""
    import io

    import requests.adapters
    from urllib3 import HTTPResponse

    original = requests.adapters.HTTPAdapter.send

    def send(self: requests.adapters.HTTPAdapter, request: Any, *_args: Any, **_kwargs: Any) -> Any:
        raw = HTTPResponse(body=io.BytesIO(body), headers={"Content-Type": "application/json",
                                                          "Content-Length": str(len(body))},
                           status=200, reason="OK", preload_content=False, decode_content=False)
        return self.build_response(request, raw)

    requests.adapters.HTTPAdapter.send = send  # type: ignore[method-assign]
    try:
        yield
    finally:
        requests.adapters.HTTPAdapter.send = original  # type: ignore[method-assign]


def _answer_of_last_request(mock: Any) -> bytes:
    """What the mock answers to the request it saw last: replayed through its handler, so the
    static reply holds byte for byte what the client parsed from the mock."""
    from mockserver.http.messages import HttpRequest

    last = mock.requests[-1]
    body = json.dumps({"query": last.query, "variables": last.variables}).encode("utf-8")
    request = HttpRequest(method="POST", url=ENDPOINT, body=body,
                          headers={"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"})
    response = mock.handler(request)
    assert response.status == 200, response.body_bytes()
    return bytes(response.body_bytes())


def on_own_thread(work: Callable[[], T]) -> T:
    """Runs `work` on a fresh thread (a short, file-backed stack) and answers its result."""
    outcome: dict[str, Any] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:  # handed back to the caller's thread
            outcome["error"] = error

    thread = threading.Thread(target=target, name="benchmark")
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]  # type: ignore[no-any-return]


def _time_calls(call: Callable[[], Any], calls: int) -> float:
    """Microseconds per call over a batch."""
    started = time.perf_counter()
    for _ in range(calls):
        call()
    return (time.perf_counter() - started) / calls * 1e6


def run(batches: int = 15, calls: int = 300, warmup: int = 50) -> SectionResult:
    import labelbox_lite as lb
    from mockserver import MockLabelbox

    mock = MockLabelbox(api_key=API_KEY)
    model_id = mock.seed({"ontologies": [{"name": "o"}], "models": [{"name": "m", "ontology": "o"}]})["models"][0]
    lite = lb.Client(api_key=API_KEY)

    # Each subject: (figure, the call, how to intercept it). Static bodies are filled in below.
    subjects: list[tuple[Figure, Callable[[], Any], Callable[[], Any]]] = []

    def through_mock() -> Any:
        return mock

    with mock:
        lite.get_model(model_id)
        lite_body = _answer_of_last_request(mock)
    subjects.append((Figure("per_call.lite.mock", SECTION, "labelbox_lite → MockLabelbox", "time per call", "µs",
                            SUBJECT), lambda: lite.get_model(model_id), through_mock))
    subjects.append((Figure("per_call.lite.static", SECTION, "labelbox_lite → static responses reply (floor)",
                            "time per call", "µs", FLOOR), lambda: lite.get_model(model_id),
                     lambda: static_reply(lite_body)))
    subjects.append((Figure("per_call.lite.stub", SECTION, "labelbox_lite → stub adapter, same bytes (floor)",
                            "time per call", "µs", FLOOR), lambda: lite.get_model(model_id),
                     lambda: stub_adapter(lite_body)))

    skipped: list[Figure] = []
    if has_module("labelbox"):
        import labelbox

        reference = labelbox.Client(api_key=API_KEY)
        with mock:
            reference.get_model(model_id)
            reference_body = _answer_of_last_request(mock)
        subjects.append((Figure("per_call.reference.mock", SECTION, "labelbox 7.17.0 → MockLabelbox (reference)",
                                "time per call", "µs", REFERENCE), lambda: reference.get_model(model_id), through_mock))
        subjects.append((Figure("per_call.reference.static", SECTION,
                                "labelbox 7.17.0 → static responses reply", "time per call", "µs", REFERENCE),
                         lambda: reference.get_model(model_id), lambda: static_reply(reference_body)))
    else:
        reason = "labelbox is not installed (tox -e bench installs 7.17.0)"
        skipped = [
            skipped_figure("per_call.reference.mock", SECTION, "labelbox 7.17.0 → MockLabelbox (reference)",
                           "time per call", "µs", reason, REFERENCE),
            skipped_figure("per_call.reference.static", SECTION, "labelbox 7.17.0 → static responses reply",
                           "time per call", "µs", reason, REFERENCE),
        ]

    def measure() -> None:
        for _, call, intercept in subjects:  # warm caches (document cache, imports inside the SDK); not counted
            with intercept():
                for _ in range(warmup):
                    call()
        for _ in range(batches):
            for figure, call, intercept in subjects:
                with intercept():
                    figure.samples.append(_time_calls(call, calls))

    on_own_thread(measure)
    lite.close()
    for figure, _, _ in subjects:
        figure.note = f"{batches} batches of {calls} calls"
    return SectionResult([figure for figure, _, _ in subjects] + skipped)
