"""The standalone mock beside a static reply, at 1, 4, 16 and 64 keep-alive clients (issue 24).

Two servers, each in its own process on 127.0.0.1:
- the mock (RunningServer, what `labelbox-mock serve` runs), answering the GetModel query;
- the floor: the stdlib's ThreadingHTTPServer answering the same bytes (benchmarks.servers static).

The clients are one asyncio loop in this process (uvloop where installed), each client a raw socket
that sends a request, reads its whole answer (Content-Length framed) and sends the next: keep-alive,
never pipelined. A round opens its connections and sends one request on each before the clock
starts, so neither server's connection set-up (the floor starts a thread per connection) is timed.
Each client count is measured in many short rounds, the servers alternating and the first of each
pair alternating too, so a load change on a shared machine falls on both; the mock's share of the
floor's requests/s is taken per pair of rounds, and its median and quartiles are reported beside
each server's requests/s, p50 and p99 (per-request latency).

    python -m benchmarks.keepalive [--seconds 1] [--rounds 10] [--clients 1,4,16,64]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import time
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar
from urllib.parse import urlsplit

from .bulk_client import API_KEY
from .figures import FLOOR, SUBJECT, Check, Figure, SectionResult, quartiles
from .processes import ServerProcess

_T = TypeVar("_T")

SECTION = "standalone over keep-alive, by client count (loopback)"
CLIENTS = (1, 4, 16, 64)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else float("nan")


def build_request(url: str, body: bytes) -> bytes:
    parts = urlsplit(url)
    return (f"POST {parts.path or '/'} HTTP/1.1\r\nHost: {parts.netloc}\r\nAuthorization: Bearer {API_KEY}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode("ascii") + body


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> None:
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 200"):
        raise RuntimeError(f"answered {head[:60]!r}")
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    await reader.readexactly(length)


async def _connect(host: str, port: int, request: bytes) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection(host, port)
    await _exchange(reader, writer, request)  # untimed: the connection is up and its server has served it once
    return reader, writer


async def _client(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes, stop_at: float,
                  latencies: list[float]) -> None:
    while True:
        sent = time.perf_counter()
        if sent >= stop_at:
            return
        await _exchange(reader, writer, request)
        latencies.append(time.perf_counter() - sent)


async def _drive(host: str, port: int, request: bytes, clients: int, seconds: float,
                 cpu: Callable[[], float]) -> tuple[float, list[float], float]:
    connections = await asyncio.gather(*(_connect(host, port, request) for _ in range(clients)))
    latencies: list[float] = []
    try:
        cpu_before = cpu()
        started = time.perf_counter()
        stop_at = started + seconds
        await asyncio.gather(*(_client(reader, writer, request, stop_at, latencies) for reader, writer in connections))
        elapsed = time.perf_counter() - started
        return len(latencies) / elapsed, latencies, (cpu() - cpu_before) / max(1, len(latencies))
    finally:
        for _, writer in connections:
            writer.close()


def drive(url: str, request: bytes, clients: int, seconds: float,
          cpu: Callable[[], float] = lambda: math.nan) -> tuple[float, list[float], float]:
    """requests/s, each request's latency (seconds) and `cpu()`'s growth per request (the server's CPU
    seconds, when given) for `clients` keep-alive connections."""
    parts = urlsplit(url)
    return _run_loop(_drive(parts.hostname or "127.0.0.1", parts.port or 80, request, clients, seconds, cpu))


def _run_loop(main: Coroutine[Any, Any, _T]) -> _T:
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is not on every platform
        return asyncio.run(main)
    return uvloop.run(main)


def run(seconds: float = 1.0, rounds: int = 10, clients: tuple[int, ...] = CLIENTS) -> SectionResult:
    import requests

    from labelbox_lite import documents

    result = SectionResult()
    with ServerProcess(["-m", "benchmarks.servers", "mock"]) as mock:
        graphql = mock.url + "/graphql"
        body = json.dumps({"query": documents.GET_MODEL, "variables": {"id": mock.info["model_id"]}}).encode()
        answer = requests.post(graphql, data=body, timeout=10, headers={
            "Authorization": f"Bearer {API_KEY}", "Content-Type": "application/json"}).content
        if not json.loads(answer).get("data", {}).get("model"):
            raise RuntimeError(f"the mock did not answer the model: {answer[:200]!r}")
        with ServerProcess(["-m", "benchmarks.servers", "static", "--body", answer.decode("utf-8")]) as static:
            targets = {"mock": (graphql, "labelbox-mock serve (uvicorn)", SUBJECT, mock.cpu_seconds),
                       "static": (static.url + "/graphql", "stdlib ThreadingHTTPServer, same bytes (floor)", FLOOR,
                                  static.cpu_seconds)}
            for url, *_ in targets.values():  # warm up: documents parsed, caches filled
                drive(url, build_request(url, body), 4, 0.3)
            note = f"{rounds} rounds of {seconds:g} s each, alternating servers"
            for count in clients:
                result.extend(_measure(targets, body, count, seconds, rounds, note, last=count == max(clients)))
    return result


def _measure(targets: dict[str, tuple[str, str, str, Callable[[], float]]], body: bytes, count: int, seconds: float, rounds: int,
             note: str, *, last: bool) -> SectionResult:
    figures = {}
    for name, (_, label, role, _) in targets.items():
        figures[name] = (
            Figure(f"keepalive.{name}.c{count}.rps", SECTION, f"{label}, {count} clients",
                   "requests/s", "req/s", role, better="higher", note=note),
            Figure(f"keepalive.{name}.c{count}.p50", SECTION, f"{label}, {count} clients",
                   "latency p50", "ms", role, note=note),
            Figure(f"keepalive.{name}.c{count}.p99", SECTION, f"{label}, {count} clients",
                   "latency p99", "ms", role, note=note),
            # the server process's CPU (user + system, /proc) per request: less swayed by other work on
            # the machine than requests/s, which measure the scheduler's share as much as the server
            Figure(f"keepalive.{name}.c{count}.cpu", SECTION, f"{label}, {count} clients",
                   "server CPU per request", "µs", role, note=note),
        )
    share = Figure(f"keepalive.ratio.c{count}", SECTION, f"mock / floor requests/s, {count} clients",
                   "ratio per pair of rounds", "x", SUBJECT, better="higher", note=note)
    names = list(targets)
    for number in range(rounds):
        rates = {}
        for name in names if number % 2 == 0 else reversed(names):  # neither server always goes first
            url, _, _, cpu = targets[name]
            rates[name], latencies, cpu_per_request = drive(url, build_request(url, body), count, seconds, cpu)
            rate, p50, p99, cpu_figure = figures[name]
            rate.samples.append(rates[name])
            p50.samples.append(_percentile(latencies, 0.50) * 1000)
            p99.samples.append(_percentile(latencies, 0.99) * 1000)
            cpu_figure.samples.append(cpu_per_request * 1e6)
        share.samples.append(rates["mock"] / rates["static"])
    result = SectionResult(figures=[figure for group in figures.values() for figure in group] + [share])
    q1, ratio, q3 = quartiles(share.samples)
    result.checks.append(Check(
        f"keep-alive, {count} clients: the mock serves >= 0.6x the static server's requests/s",
        ok=ratio >= 0.6, detail=f"{ratio:.2f}x, quartiles {q1:.2f}-{q3:.2f}x over {rounds} rounds "
                                f"({figures['mock'][0].median:.0f} vs {figures['static'][0].median:.0f} req/s; server "
                                f"CPU {figures['mock'][3].median:.0f} vs {figures['static'][3].median:.0f} µs a request)"))
    if last:
        q1, p99_ms, q3 = quartiles(figures["mock"][2].samples)
        result.checks.append(Check(f"keep-alive, {count} clients: the mock's p99 within 25 ms",
                                   ok=p99_ms <= 25.0, detail=f"{p99_ms:.1f} ms, quartiles {q1:.1f}-{q3:.1f} ms"))
    return result


def _print(result: SectionResult) -> None:
    print(f"{'subject':<62} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'CPU µs':>8}")
    rows: dict[str, dict[str, float]] = {}
    for figure in result.figures:
        rows.setdefault(figure.subject, {})[figure.key.rsplit(".", 1)[1]] = figure.median
    for subject, values in rows.items():
        if "rps" in values:
            print(f"{subject:<62} {values['rps']:>9.0f} {values['p50']:>8.2f} {values['p99']:>8.2f} "
                  f"{values['cpu']:>8.0f}")
    for check in result.checks:
        print(f"{'ok  ' if check.ok else 'MISS'} {check.name}: {check.detail}")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.keepalive", description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=1.0, help="length of one measurement (default 1)")
    parser.add_argument("--rounds", type=int, default=10, help="measurements per server and client count")
    parser.add_argument("--clients", default=",".join(map(str, CLIENTS)), help="client counts, comma-separated")
    args = parser.parse_args()
    _print(run(args.seconds, args.rounds, tuple(int(part) for part in args.clients.split(","))))


if __name__ == "__main__":
    main()
