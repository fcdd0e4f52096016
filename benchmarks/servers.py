"""Servers the benchmarks talk to, each run in its own process on 127.0.0.1.

    python -m benchmarks.servers mock [--rows N]     the standalone mock (RunningServer), optionally seeded
    python -m benchmarks.servers static --body TEXT  the floor: fixed bytes over HTTP/1.1 keep-alive

Each prints one JSON line ({"url": ..., plus what it seeded}) when it listens and
stops when its stdin closes.
"""

from __future__ import annotations

import argparse
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from .bulk_client import API_KEY, TOOL_NAME, bench_row_id

HOST = "127.0.0.1"


def bench_seed(rows: int) -> dict[str, Any]:
    """An ontology with one box tool, a model on it, and `rows` data rows with known ids."""
    return {
        "ontologies": [{"name": "bench", "tools": [{"tool": "rectangle", "name": TOOL_NAME}]}],
        "datasets": [{"name": "bench", "data_rows": [
            {"id": bench_row_id(i), "row_data": f"https://example.com/{i}.jpg", "global_key": f"bench-{i}"}
            for i in range(rows)
        ]}],
        "models": [{"name": "bench", "ontology": "bench"}],
    }


class StaticHandler(BaseHTTPRequestHandler):
    """Reads the request body, answers the same fixed bytes; nothing else.

    HTTP/1.1, so connections stay open; TCP_NODELAY, so a response is never held
    back by Nagle's algorithm waiting for the client's delayed ACK.
    """

    protocol_version = "HTTP/1.1"
    body = b"{}"

    def setup(self) -> None:
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(self.body)))
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        pass


class StaticServer(ThreadingHTTPServer):
    # the mock listens with a backlog of 512; the stdlib's default of 5 drops the SYNs of 64 clients
    # connecting at once, and each dropped one waits a second or more to retry
    request_queue_size = 512


def serve_static(body: bytes) -> None:
    from .processes import serve_until_stdin_closes

    handler = type("Handler", (StaticHandler,), {"body": body})
    server = StaticServer((HOST, 0), handler)
    server.daemon_threads = True
    import threading

    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        serve_until_stdin_closes({"url": f"http://{HOST}:{server.server_address[1]}"})
    finally:
        server.shutdown()
        server.server_close()


def serve_mock(rows: int) -> None:
    from mockserver import RunningServer
    from mockserver.backend import Backend
    from mockserver.transports.server import settle_process

    from .processes import serve_until_stdin_closes

    backend = Backend([API_KEY])
    created = backend.seed(bench_seed(rows))
    with RunningServer(backend, host=HOST) as server:
        settle_process()  # as `labelbox-mock serve` does: this process is the mock's own
        serve_until_stdin_closes({"url": server.url, "model_id": created["models"][0], "rows": rows})


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.servers")
    parser.add_argument("kind", choices=("mock", "static"))
    parser.add_argument("--rows", type=int, default=0, help="data rows to seed into the mock")
    parser.add_argument("--body", default="{}", help="the static server's answer")
    args = parser.parse_args()
    if args.kind == "static":
        serve_static(args.body.encode("utf-8"))
    else:
        serve_mock(args.rows)


if __name__ == "__main__":
    main()
