"""`labelbox-mock`: serve the mock, check a seed file, print the SDL."""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import sys
from collections.abc import Sequence
from typing import Any

from .backend import DEFAULT_API_KEY, Backend
from .engines.tasks import MAX_TRANSITION_SECONDS
from .http.handler import Handler
from .http.replay import replay
from .http.ui import UI_PATH
from .state.seed import SeedError
from .transports.server import MAX_CONNECTIONS, REQUEST_TIMEOUT_SECONDS


def _read_json(path: str) -> Any:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


API_KEYS_ENV = "LABELBOX_MOCK_API_KEYS"  # comma-separated; keeps keys off the command line (and out of `ps`)
ADMIN_TOKEN_ENV = "LABELBOX_MOCK_ADMIN_TOKEN"  # noqa: S105 - the name of a variable, not a secret


def _keys_from(args: argparse.Namespace) -> list[str]:
    """--api-key values, then those of LABELBOX_MOCK_API_KEYS; the default key when neither names one."""
    from_env = [key.strip() for key in os.environ.get(API_KEYS_ENV, "").split(",") if key.strip()]
    return list(args.api_key or []) + from_env or [DEFAULT_API_KEY]


# An export served by `serve` is IN_PROGRESS this long, under the SDK's 2-second poll: a script sees it
# running (it can list or cancel it, as on Labelbox) and its first poll finds it done.
EXPORT_SECONDS = 1.0


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or not 0 <= value <= MAX_TRANSITION_SECONDS:
        raise argparse.ArgumentTypeError(f"expected seconds between 0 and {MAX_TRANSITION_SECONDS:g}, got {text!r}")
    return value


def serve_backend(args: argparse.Namespace) -> Backend:
    """The backend `serve` runs: keys and admin token from the options or the environment."""
    admin_token = args.admin_token or os.environ.get(ADMIN_TOKEN_ENV) or None
    return Backend(_keys_from(args), max_body_bytes=args.max_body_bytes, mea_imports=args.mea_imports,
                   admin_token=admin_token, export_seconds=args.export_seconds)


def _serve(args: argparse.Namespace) -> int:
    from .transports.server import MockHTTPServer, settle_process

    backend = _prepare(args)
    if backend is None:
        return 2
    try:
        server = MockHTTPServer(backend, args.host, args.port, public_url=args.public_url,
                                max_connections=args.max_connections, request_timeout=args.request_timeout)
    except ValueError as exc:
        print(f"labelbox-mock: {exc}", file=sys.stderr)
        return 2
    settle_process()  # after start-up: what it built is kept out of the collector's way
    print(f"labelbox-mock listening on {server.url} (GraphQL at {server.url}/graphql, "
          f"dashboard at {server.url}{UI_PATH})", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _prepare(args: argparse.Namespace) -> Backend | None:
    """The backend `serve` runs: seeded (printing the ids created) and replayed; None when that fails."""
    keys = _keys_from(args)
    try:
        backend = serve_backend(args)
    except ValueError as exc:
        print(f"labelbox-mock: {exc}", file=sys.stderr)
        return None
    if args.seed:
        try:
            created = backend.seed(_read_json(args.seed), api_key=keys[0])
        except (OSError, json.JSONDecodeError, SeedError) as exc:
            print(f"labelbox-mock: cannot load seed {args.seed}: {exc}", file=sys.stderr)
            return None
        # the ids a script needs (models, projects, ...), as one JSON line a wrapper can read
        print(f"seeded {args.seed}: {json.dumps(created)}", flush=True)
    if args.replay:
        try:
            summary = replay(backend, _read_json(args.replay), Handler(backend))
        except (OSError, json.JSONDecodeError, ValueError) as exc:
            print(f"labelbox-mock: cannot replay {args.replay}: {exc}", file=sys.stderr)
            return None
        print(f"replayed {summary['calls']} calls from {args.replay} ({summary['failed']} answered with an error)")
    return backend


def _replay(args: argparse.Namespace) -> int:
    keys = _keys_from(args)
    backend = Backend(keys)
    try:
        summary = replay(backend, _read_json(args.file), Handler(backend))
    except (OSError, json.JSONDecodeError, ValueError) as exc:
        print(f"{args.file}: cannot replay: {exc}", file=sys.stderr)
        return 1
    state = backend.dump()
    counts = {table: sum(len(org[table]) for org in state["organizations"])
              for table in ("models", "model_runs", "projects", "data_rows", "labels", "tasks")}
    # with --dump, stdout is the JSON alone (so it parses) and the summary goes to stderr
    print(f"{args.file}: replayed {summary['calls']} calls ({summary['failed']} answered with an error); "
          + ", ".join(f"{n} {table}" for table, n in counts.items()), file=sys.stderr if args.dump else sys.stdout)
    if args.dump:
        json.dump(state, sys.stdout, indent=2, default=str)
        print()
    return 0


def _check_seed(args: argparse.Namespace) -> int:
    try:
        doc = _read_json(args.file)
    except OSError as exc:
        print(f"{args.file}: cannot read: {exc}", file=sys.stderr)
        return 2
    except json.JSONDecodeError as exc:
        print(f"{args.file}: not JSON: {exc}", file=sys.stderr)
        return 1
    try:
        created = Backend().seed(doc)
    except SeedError as exc:
        for path, message in exc.problems:
            print(f"{args.file}: {path}: {message}", file=sys.stderr)
        return 1
    counts = {key: len(value) for key, value in created.items()}
    print(f"{args.file}: ok ({', '.join(f'{n} {key}' for key, n in counts.items())})")
    return 0


def _ui(args: argparse.Namespace) -> int:
    """Checks a running mock serves its dashboard, then prints the page's URL and opens it."""
    import urllib.error
    import urllib.request
    import webbrowser

    url = args.url.rstrip("/") + UI_PATH
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:  # noqa: S310 - the user names the mock's URL
            answer.read()
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        print(f"labelbox-mock: no mock dashboard at {url} ({reason}); start one with `labelbox-mock serve`",
              file=sys.stderr)
        return 1
    print(url)
    if not args.no_browser:
        webbrowser.open(url)
    return 0


def _schema(args: argparse.Namespace) -> int:
    from .api.service import build_mock_schema, load_sdl

    if args.check:
        schema = build_mock_schema()  # fails loudly if a resolver names a field the SDL lacks
        query, mutation = schema.query_type, schema.mutation_type
        print(f"schema ok: {len(schema.type_map)} types, {len(query.fields) if query else 0} queries, "
              f"{len(mutation.fields) if mutation else 0} mutations")
        return 0
    sys.stdout.write(load_sdl())
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="labelbox-mock", description="An offline Labelbox backend for model-run code.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser(
        "serve", help="run the mock as an HTTP server", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Run the mock as an HTTP server.\n\n"
                    "Each API key is its own organisation, and every /_mock/ admin call acts on\n"
                    "the organisation of its Bearer key only (seed, reset, state, faults, clock,\n"
                    "recording, replay, ...), so CI workers can share one server, each with its\n"
                    "own key:\n\n"
                    f"  {API_KEYS_ENV}=ci-gw0,ci-gw1 labelbox-mock serve --port 8080\n\n"
                    "See docs/reliability.md, 'Share one server between CI workers'.")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1, loopback only)")
    serve.add_argument("--port", type=int, default=8080, help="port to listen on; 0 picks a free one (default: 8080)")
    serve.add_argument("--api-key", action="append", metavar="KEY",
                       help="an API key the mock accepts, each its own organisation; repeatable. Keys in "
                            f"${API_KEYS_ENV} (comma-separated, kept out of `ps`) are added. With neither, "
                            "the one key is test-key")
    serve.add_argument("--admin-token", metavar="TOKEN",
                       help="lets a Bearer TOKEN act on the whole server over HTTP (reset all, dump all, "
                            "a recording of every organisation, export chunking); or "
                            f"${ADMIN_TOKEN_ENV}. At least 16 characters. Not needed for per-key use")
    serve.add_argument("--public-url", metavar="URL",
                       help="where clients reach the server, for the signed file URLs it answers "
                            "(default: the address it binds); requests must name it or a loopback "
                            "address in their Host header")
    serve.add_argument("--max-connections", type=int, default=MAX_CONNECTIONS,
                       help="connections open at once; past it the one waiting longest for its request is "
                            "closed (default: %(default)s)")
    serve.add_argument("--request-timeout", type=float, default=REQUEST_TIMEOUT_SECONDS,
                       help="seconds a connection has to send a whole request, idle time included "
                            "(default: %(default)s)")
    serve.add_argument("--seed", metavar="FILE",
                       help="a seed JSON file loaded into the first key's organisation; the ids created are printed")
    serve.add_argument("--max-body-bytes", type=int, default=Backend().max_body_bytes,
                       help="largest request body accepted; larger ones get 413")
    serve.add_argument("--mea-imports", choices=("accepted", "deprecated"), default="accepted",
                       help="'deprecated' answers MEA prediction imports as Labelbox's service does today "
                            "(9 FAILED_PRECONDITION); default: accepted")
    serve.add_argument("--export-seconds", type=_seconds, default=EXPORT_SECONDS, metavar="SECONDS",
                       help="how long an export stays IN_PROGRESS on its organisation's clock unless a transition "
                            "says otherwise (Labelbox's take seconds); 0 completes it at its first status read "
                            "(default: %(default)s)")
    serve.add_argument("--replay", metavar="FILE",
                       help="a recording (GET /_mock/recording) replayed into the server before serving")
    serve.add_argument("-v", "--verbose", action="store_true", help="log each request")
    serve.set_defaults(run=_serve)

    check = commands.add_parser("check-seed", help="validate a seed file and name every problem",
                                description="Validate a seed file and name every problem.")
    check.add_argument("file")
    check.set_defaults(run=_check_seed)

    replay_command = commands.add_parser("replay", help="replay a recording into a fresh mock and summarise the state",
                                         description="Replay a recording into a fresh mock and summarise the state.")
    replay_command.add_argument("file")
    replay_command.add_argument("--api-key", action="append", metavar="KEY",
                                help="keys for the recording's organisations, in order; repeatable (default: test-key)")
    replay_command.add_argument("--dump", action="store_true",
                                help="print the rebuilt state as JSON on stdout (the summary goes to stderr)")
    replay_command.set_defaults(run=_replay)

    ui = commands.add_parser("ui", help="open the dashboard of a running mock in a browser",
                             description="Open the dashboard of a running mock (labelbox-mock serve) in a browser.")
    ui.add_argument("--url", default="http://127.0.0.1:8080", help="the mock's base URL (default: http://127.0.0.1:8080)")
    ui.add_argument("--no-browser", action="store_true", help="only check the page is served and print its URL")
    ui.set_defaults(run=_ui)

    schema = commands.add_parser("schema", help="print the GraphQL SDL", description="Print the GraphQL SDL the mock serves.")
    schema.add_argument("--check", action="store_true", help="build the schema with its resolvers and summarise it")
    schema.set_defaults(run=_schema)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING)
    return int(args.run(args))


if __name__ == "__main__":
    raise SystemExit(main())
