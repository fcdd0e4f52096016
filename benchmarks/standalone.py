"""Per-call cost against a server on loopback: requests per second and latency over keep-alive.

Two servers, each in its own process so neither shares the client's GIL:
- the standalone mock (RunningServer, the same one `labelbox-mock serve` runs);
- the floor: http.server's ThreadingHTTPServer answering the same bytes the mock
  answers, over HTTP/1.1 keep-alive.

The same small query (the GetModel document) is sent from one requests.Session per
server, in bounded batches interleaved between the servers. Then, for context, the
clients themselves: labelbox_lite's and the reference SDK's Client.get_model
against the same mock.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from .bulk_client import API_KEY
from .figures import FLOOR, REFERENCE, SUBJECT, Check, Figure, SectionResult, skipped_figure
from .per_call import on_own_thread
from .processes import ServerProcess, has_module

SECTION = "per call, standalone over keep-alive (loopback)"
TIMEOUT = 10.0


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


class _Subject:
    def __init__(self, key: str, label: str, role: str, call: Callable[[], Any]) -> None:
        self.call = call
        self.latencies_us: list[float] = []
        self.rps = Figure(f"standalone.{key}.rps", SECTION, label, "requests/s", "req/s", role, better="higher")
        self.p50 = Figure(f"standalone.{key}.p50", SECTION, label, "latency p50 (per batch)", "µs", role)
        self.p99 = Figure(f"standalone.{key}.p99", SECTION, label, "latency p99 (per batch)", "µs", role)

    def batch(self, requests: int) -> None:
        latencies = []
        started = time.perf_counter()
        for _ in range(requests):
            sent = time.perf_counter()
            self.call()
            latencies.append((time.perf_counter() - sent) * 1e6)
        elapsed = time.perf_counter() - started
        self.rps.samples.append(requests / elapsed)
        self.p50.samples.append(_percentile(latencies, 0.50))
        self.p99.samples.append(_percentile(latencies, 0.99))

    def figures(self, note: str) -> list[Figure]:
        for figure in (self.rps, self.p50, self.p99):
            figure.note = note
        return [self.rps, self.p50, self.p99]


def _raw_poster(session: Any, url: str, body: bytes) -> Callable[[], Any]:
    headers = {"Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}

    def post() -> bytes:
        response = session.post(url, data=body, headers=headers, timeout=TIMEOUT)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered HTTP {response.status_code}: {response.text[:200]}")
        return bytes(response.content)

    return post


def _connections_opened(session: Any, url: str) -> int:
    """How many connections the session's pools opened to `url`'s host (keep-alive means one)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    manager = session.get_adapter(url).poolmanager
    pools = [manager.pools[key] for key in list(manager.pools.keys())]  # a RecentlyUsedContainer, not a dict
    return sum(pool.num_connections for pool in pools if (pool.host, pool.port) == (parts.hostname, parts.port))


def run(batches: int = 10, requests_per_batch: int = 300, warmup: int = 100) -> SectionResult:
    import requests

    import labelbox_lite as lb
    from labelbox_lite import documents

    result = SectionResult()
    with ServerProcess(["-m", "benchmarks.servers", "mock"]) as mock:
        model_id = mock.info["model_id"]
        graphql = mock.url + "/graphql"
        body = json.dumps({"query": documents.GET_MODEL, "variables": {"id": model_id}}).encode("utf-8")
        mock_session = requests.Session()
        answer = _raw_poster(mock_session, graphql, body)()
        if not json.loads(answer).get("data", {}).get("model"):
            raise RuntimeError(f"the mock did not answer the model: {answer[:200]!r}")
        with ServerProcess(["-m", "benchmarks.servers", "static", "--body", answer.decode("utf-8")]) as static:
            static_session = requests.Session()
            static_url = static.url + "/graphql"
            lite = lb.Client(api_key=API_KEY, endpoint=graphql)
            subjects = [
                _Subject("mock", "requests.Session → mock server", SUBJECT, _raw_poster(mock_session, graphql, body)),
                _Subject("static", "requests.Session → static server (floor)", FLOOR,
                         _raw_poster(static_session, static_url, body)),
                _Subject("lite_client", "labelbox_lite Client.get_model → mock server", SUBJECT,
                         lambda: lite.get_model(model_id)),
            ]
            skipped = []
            reason = None if has_module("labelbox") else "labelbox is not installed (tox -e bench installs 7.17.0)"
            if reason is None:
                import labelbox

                reference = labelbox.Client(api_key=API_KEY, endpoint=graphql,
                                            rest_endpoint=mock.url + "/api/v1")
                subjects.append(_Subject("reference_client", "labelbox 7.17.0 Client.get_model → mock server",
                                         REFERENCE, lambda: reference.get_model(model_id)))
            else:
                skipped = [skipped_figure(f"standalone.reference_client.{m}", SECTION,
                                          "labelbox 7.17.0 Client.get_model → mock server", metric, unit, reason,
                                          REFERENCE)
                           for m, metric, unit in (("rps", "requests/s", "req/s"),
                                                   ("p50", "latency p50 (per batch)", "µs"),
                                                   ("p99", "latency p99 (per batch)", "µs"))]
            def measure() -> None:
                for subject in subjects:
                    for _ in range(warmup):
                        subject.call()
                for _ in range(batches):
                    for subject in subjects:
                        subject.batch(requests_per_batch)

            on_own_thread(measure)  # a short stack, as in a user script: see per_call
            note = f"{batches} batches of {requests_per_batch} requests, one connection"
            for subject in subjects:
                result.figures.extend(subject.figures(note))
            result.figures.extend(skipped)
            opened = {"mock": _connections_opened(mock_session, graphql),
                      "static": _connections_opened(static_session, static_url)}
            result.checks.append(Check(
                "keep-alive: each raw session used one connection for all its requests",
                ok=all(n == 1 for n in opened.values()),
                detail=", ".join(f"{name}: {n} connection(s)" for name, n in opened.items()),
            ))
            lite.close()
            mock_session.close()
            static_session.close()
    return result
