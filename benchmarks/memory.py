"""The standalone mock's memory under a shared load: RSS of a `labelbox-mock serve` process.

    python -m benchmarks.memory                       20,000 mixed requests, then 100 exports
    python -m benchmarks.memory --requests 2000 --exports 10

The server runs in its own process (its RSS is read from /proc, so Linux only),
with four tenants. Four threads, one per tenant, send a mix that a shared CI mock
sees plus what an adversary sends: reads, writes (model runs), journal reads,
distinct invalid documents (never cached), 256 KiB bodies without a key (never
kept), and 64 KiB seeds that are refused. Before that, the memory attacks of
issue 15 (see _attacks). Then one tenant exports a 500-row run 100 times and
reads every export whole. RSS is sampled every 1,000 requests and every 10
exports; the figures go to docs/reliability.md with this command.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import requests

import labelbox_lite as lb

KEYS = [f"memory-tenant-{n}" for n in range(4)]
ADMIN_TOKEN = "memory-benchmark-admin-token"  # noqa: S105 - a loopback server's throwaway token
ROWS = 500
TIMEOUT = 30.0


def _rss_mib(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc status")


@contextmanager
def _server() -> Iterator[tuple[str, int]]:
    env = dict(os.environ, LABELBOX_MOCK_API_KEYS=",".join(KEYS), LABELBOX_MOCK_ADMIN_TOKEN=ADMIN_TOKEN)
    process = subprocess.Popen([sys.executable, "-m", "mockserver", "serve", "--port", "0",
                                "--export-seconds", "0"],  # memory, not the export lifecycle
                               stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        line = process.stdout.readline()  # "labelbox-mock listening on http://127.0.0.1:PORT (...)"
        url = line.split(" on ", 1)[1].split()[0]
        yield url, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def _seed(url: str, key: str, rows: int) -> dict[str, Any]:
    doc = {
        "ontologies": [{"name": "o", "tools": [{"name": "box", "tool": "rectangle"}]}],
        "datasets": [{"name": "d", "data_rows": [{"row_data": f"https://example.com/{i}.jpg", "global_key": f"gk-{i}"}
                                                 for i in range(rows)]}],
        "models": [{"name": "m", "ontology": "o"}],
    }
    response = requests.post(url + "/_mock/seed", json=doc, headers={"Authorization": f"Bearer {key}"},
                             timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()  # type: ignore[no-any-return]


def _worker(url: str, key: str, model_id: str, count: int, offset: int, errors: list[str],
            progress: threading.Semaphore) -> None:
    session = requests.Session()
    client = lb.Client(api_key=key, endpoint=url + "/graphql")
    model = client.get_model(model_id)
    auth = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    junk = json.dumps({"query": "{ user { id } }", "variables": {"x": "y" * 256 * 1024}}).encode()
    seed = {"models": [{"name": "m" * 64 * 1024, "ontology": "no-such-ontology"}]}
    for number in range(count):
        kind = number % 20
        try:
            if kind < 8:
                client.get_user()
            elif kind < 12:
                model.create_model_run(f"run-{offset}-{number}")
            elif kind < 14:
                session.get(url + "/_mock/requests", headers=auth, timeout=TIMEOUT).raise_for_status()
            elif kind < 17:  # a distinct document each time: refused, never cached
                body = json.dumps({"query": f"query Q{offset}x{number} {{ user {{ nope{number} }} }}"})
                session.post(url + "/graphql", data=body, headers=auth, timeout=TIMEOUT).raise_for_status()
            elif kind < 19:  # no key: refused before it is read, and kept nowhere
                answer = session.post(url + "/graphql", data=junk, headers={"Content-Type": "application/json"},
                                      timeout=TIMEOUT)
                assert answer.status_code == 401
            else:  # a 64 KiB seed naming an ontology that is not there: refused whole
                answer = session.post(url + "/_mock/seed", json=seed, headers=auth, timeout=TIMEOUT)
                assert answer.status_code == 400
        except Exception as exc:
            errors.append(f"{kind}: {exc!r}")
        progress.release()


def _attacks(url: str, key: str, pid: int, samples: list[tuple[str, float]]) -> None:
    """The memory attacks of issue 15: distinct 235 KiB alias documents (without a key, then with one:
    over the cost limit, so never cached), 4 MiB bodies without a key, and 6 MiB of `{},` as variables
    with a key (answered, then journaled as a note of its size)."""
    session = requests.Session()
    for with_key in (False, True):
        headers = {"Content-Type": "application/json"}
        if with_key:
            headers["Authorization"] = f"Bearer {key}"
        for number in range(100):
            aliases = " ".join(f"a{number}_{i}: user {{ id }}" for i in range(9_000))
            body = json.dumps({"query": "{ " + aliases[: 235 * 1024] + " }"})
            answer = session.post(url + "/graphql", data=body, headers=headers, timeout=TIMEOUT)
            assert answer.status_code == (200 if with_key else 401)
        samples.append((f"100 distinct 235 KiB alias documents, {'with' if with_key else 'no'} key", _rss_mib(pid)))
    blob = b'{"query": "{ user { id } }", "variables": {"x": "' + b"y" * (4 * 1024 * 1024) + b'"}}'
    for _ in range(50):
        answer = session.post(url + "/graphql", data=blob, headers={"Content-Type": "application/json"},
                              timeout=TIMEOUT)
        assert answer.status_code == 401
    samples.append(("50 keyless 4 MiB bodies", _rss_mib(pid)))
    many = b'{"query": "{ user { id } }", "variables": {"x": [' + b"{}," * (2 * 1024 * 1024) + b'{}]}}'
    for _ in range(3):
        session.post(url + "/graphql", data=many, timeout=TIMEOUT,
                     headers={"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    samples.append(("3 x 6 MiB of `{},` with a key", _rss_mib(pid)))


def run(requests_total: int, exports: int) -> list[tuple[str, float]]:
    samples: list[tuple[str, float]] = []
    with _server() as (url, pid):
        samples.append(("started", _rss_mib(pid)))
        models = [_seed(url, key, ROWS if key == KEYS[0] else 10)["models"][0] for key in KEYS]
        samples.append(("seeded", _rss_mib(pid)))
        _attacks(url, KEYS[1], pid, samples)
        errors: list[str] = []
        progress = threading.Semaphore(0)
        per_thread = requests_total // len(KEYS)
        threads = [threading.Thread(target=_worker, args=(url, key, model, per_thread, n, errors, progress),
                                    daemon=True) for n, (key, model) in enumerate(zip(KEYS, models, strict=True))]
        for thread in threads:
            thread.start()
        for done in range(1, per_thread * len(KEYS) + 1):
            if not progress.acquire(timeout=120):
                raise RuntimeError("the load stalled")
            if done % 1000 == 0:
                samples.append((f"{done} requests", _rss_mib(pid)))
        for thread in threads:
            thread.join(timeout=60)
        client = lb.Client(api_key=KEYS[0], endpoint=url + "/graphql")
        run = client.get_model(models[0]).create_model_run("exported")
        run.upsert_data_rows(global_keys=[f"gk-{i}" for i in range(ROWS)])
        for number in range(1, exports + 1):
            task = run.export()
            task.wait_till_done()
            lines = sum(1 for _ in task.get_buffered_stream())
            assert lines == ROWS, lines
            if number % 10 == 0:
                samples.append((f"{number} exports", _rss_mib(pid)))
        state = requests.get(url + "/_mock/state", headers={"Authorization": f"Bearer {ADMIN_TOKEN}"},
                             timeout=TIMEOUT).json()
        tasks = sum(len(org["tasks"]) for org in state["organizations"])
        samples.append((f"end ({len(errors)} errors, {tasks} tasks held)", _rss_mib(pid)))
        if errors:
            print("first errors:", *errors[:5], sep="\n  ", file=sys.stderr)
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory", description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=20_000)
    parser.add_argument("--exports", type=int, default=100)
    args = parser.parse_args(argv)
    samples = run(args.requests, args.exports)
    print("| point | server RSS (MiB) |\n|---|---:|")
    for label, rss in samples:
        print(f"| {label} | {rss:.0f} |")
    peak = max(rss for _, rss in samples)
    print(f"\npeak {peak:.0f} MiB, growth after seeding {peak - samples[1][1]:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
