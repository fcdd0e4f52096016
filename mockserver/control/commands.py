"""The steering commands, in one table: name, admin route, body, validation, and what each does.

Everything that steers a mock is derived from `COMMANDS`:

- the admin routes under /_mock/ (http/admin.py) find the command by method and path,
  parse the body with its `parse` and run its `apply`;
- `MockLabelbox` (in-process) and `MockServerClient` (a standalone mock's admin API) have a
  method per command, with the same name and parameters: the first turns the arguments into
  the body with `to_body`, parses it back with `parse` (so a Python call is validated exactly
  as an HTTP one) and runs `apply`; the second sends that body to the route. Both hand back
  `result` of the answer, so one test body drives either mock;
- the recorder keeps a state-changing command as the admin request that does it (its
  `route` and `to_body`), and a replay sends that request back through the admin routes:
  a renamed route or body field cannot silently break replay.

A command acts for a `Caller`: one organisation (its id), or the whole mock (no tenant:
in-process code and the admin token). `apply` receives a `Target`: the mock's
Backend and what the HTTP layer adds (replay, the read-only views).
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Mapping
from typing import Any, Protocol
from urllib.parse import unquote

import attrs

from ..engines.export import Chunking
from ..engines.tasks import Transition
from ..state.errors import InvalidInput
from .faults import Fault

# A journal page holds at most this many entries (the journal's default size: one page for a full journal).
MAX_JOURNAL_PAGE = 10_000
ADMIN_PREFIX = "/_mock"


class CommandError(ValueError):
    """A steering call refused, with the HTTP status its admin route answers."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@attrs.frozen
class Caller:
    """Who steers: one organisation (by id), or the whole mock (tenant None), which may name by key the
    organisation its seeds go to (in-process code: `mock.seed(doc, api_key=...)`)."""

    tenant: str | None
    api_key: str | None = attrs.field(default=None, repr=False)

    @property
    def is_admin(self) -> bool:
        return self.tenant is None


class Target(Protocol):
    """What commands act on: a mock's Backend, and the steps of the layer above that need its handler."""

    @property
    def backend(self) -> Any: ...

    def replay(self, doc: Any, caller: Caller) -> dict[str, int]: ...

    def view(self, name: str, tenant: str | None) -> Any: ...


@attrs.frozen
class Inputs:
    """What a route received: the JSON body ({} when empty), the query, and the id ending an item route."""

    body: Any = attrs.Factory(dict)
    query: Mapping[str, list[str]] = attrs.Factory(dict)
    item: str | None = None


Args = dict[str, Any]


def _no_body(_args: Args) -> Any:
    return None


def _no_args(_inputs: Inputs) -> Args:
    return {}


def _nothing(_answer: Any) -> Any:
    return None


def _same(answer: Any) -> Any:
    return answer


@attrs.frozen
class Command:
    name: str  # the method of MockLabelbox and MockServerClient
    method: str
    path: str  # under ADMIN_PREFIX; an item route ends in "/{id}"
    apply: Callable[[Target, Caller, Args], Any]  # the JSON-able answer
    parse: Callable[[Inputs], Args] = _no_args  # ValueError (CommandError) naming what is wrong
    to_body: Callable[[Args], Any] = _no_body  # the arguments as the JSON body that does the same
    to_query: Callable[[Args], dict[str, str]] = lambda _args: {}  # and those sent in the query
    result: Callable[[Any], Any] = _same  # the answer as the Python method returns it
    item: str | None = None  # the argument an item route carries in its path
    admin_only: bool = False  # acts on the whole mock by nature: the admin token only
    doc: str = ""

    @property
    def full_path(self) -> str:
        return ADMIN_PREFIX + self.path

    def route(self, args: Args) -> str:
        """The path that runs this command with `args` (an item route names its item)."""
        if self.item is None:
            return self.full_path
        return self.full_path.replace("{id}", str(args[self.item]))

    def validated(self, args: Args) -> Args:
        """`args` as the admin route would take them: through the body and back, so every check applies."""
        item = str(args[self.item]) if self.item is not None else None
        body = self.to_body(args)
        query = {name: [value] for name, value in self.to_query(args).items()}
        return self.parse(Inputs(body={} if body is None else body, query=query, item=item))


# -- the checks (one place for each) -----------------------------------------------------------------------

def _object(body: Any, what: str) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise CommandError(400, f"{what} is a JSON object")
    return body


def _count(query: Mapping[str, list[str]], name: str, default: int, low: int, high: int) -> int:
    values = query.get(name, [])
    if not values:
        return default
    if len(values) > 1 or not (values[0].isascii() and values[0].isdigit()) or not low <= int(values[0]) <= high:
        raise CommandError(400, f"{name} must be one integer between {low} and {high}, got {', '.join(values)!r}")
    return int(values[0])


def _parse_transition(inputs: Inputs) -> Args:
    kind, transition = Transition.from_json(_object(inputs.body, "a transition"))
    return {"kind": kind, **attrs.asdict(transition)}


def fault_args(fault: Fault) -> Args:
    """A fault as the keyword arguments (and body) that arm it: the kinds it does not use left out."""
    return attrs.asdict(fault, filter=lambda _attribute, value: value is not None and value is not False)


def _parse_fault(inputs: Inputs) -> Args:
    return fault_args(Fault.from_json(inputs.body))


def _parse_clock(inputs: Inputs) -> Args:
    body = _object(inputs.body, "a clock step")
    if set(body) != {"advance"}:
        raise CommandError(400, "expected {\"advance\": <non-negative seconds>}")
    return {"seconds": body["advance"]}  # what a step may be is the clock's to say (MockClock.advance)


def _parse_file(inputs: Inputs) -> Args:
    body = _object(inputs.body, "a hosted file")
    if not isinstance(body.get("url"), str):
        raise CommandError(400, "expected {\"url\": <string>, \"content\": <string>} (or \"content_base64\")")
    if isinstance(body.get("content"), str):
        content = body["content"].encode("utf-8")
    elif isinstance(body.get("content_base64"), str):
        try:
            content = base64.b64decode(body["content_base64"], validate=True)
        except ValueError:
            raise CommandError(400, "content_base64 is not valid base64") from None
    else:
        raise CommandError(400, "expected \"content\" (text) or \"content_base64\"")
    content_type = body.get("content_type", "application/octet-stream")
    if not isinstance(content_type, str):
        raise CommandError(400, "content_type must be a string")
    return {"url": body["url"], "content": content, "content_type": content_type}


def _file_body(args: Args) -> Any:
    content = args["content"]
    data = content.encode("utf-8") if isinstance(content, str) else bytes(content)
    return {"url": args["url"], "content_base64": base64.b64encode(data).decode(),
            "content_type": args.get("content_type", "application/octet-stream")}


def _parse_recording(inputs: Inputs) -> Args:
    seed = _object(inputs.body, "a recording start").get("id_seed")
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        raise CommandError(400, "id_seed must be an integer")
    return {"id_seed": seed}


def _parse_requests(inputs: Inputs) -> Args:
    if not inputs.query:
        return {}
    unknown = sorted(set(inputs.query) - {"after", "limit"})
    if unknown:
        raise CommandError(400, f"unknown query parameters {', '.join(unknown)}: "
                                "GET /_mock/requests takes after and limit")
    return {"after": _count(inputs.query, "after", 0, 0, 2**63),
            "limit": _count(inputs.query, "limit", MAX_JOURNAL_PAGE, 1, MAX_JOURNAL_PAGE)}


def _parse_chunking(inputs: Inputs) -> Args:
    body = _object(inputs.body, "a chunking")
    size, align = body.get("chunk_bytes"), body.get("align_to_lines", True)
    if not isinstance(size, int) or isinstance(size, bool) or size < 1 or not isinstance(align, bool):
        raise CommandError(400, "expected {\"chunk_bytes\": <positive integer>, \"align_to_lines\": <boolean>}")
    return {"chunk_bytes": size, "align_to_lines": align}


# -- what each does ------------------------------------------------------------------------------------------

def _remove_fault(target: Target, caller: Caller, args: Args) -> Any:
    fault_id = args["fault_id"]
    try:
        target.backend.remove_fault(fault_id, caller.tenant)
    except KeyError:  # another organisation's fault is not named: it answers as one that never was
        raise CommandError(404, f"no pending fault {fault_id!r}") from None
    except PermissionError:
        raise CommandError(403, f"fault {fault_id!r} is server-wide (set without an API key): "
                                "clearing it needs the admin token") from None
    return {"removed": fault_id}


def _requests(target: Target, caller: Caller, args: Args) -> Any:
    """Without `after`/`limit`, the whole journal as a list (oldest first); with them one page: {"entries",
    "last_seq" (the next `after`), "more", "reset" (the caller's entries were cleared since its cursor,
    so this page starts over from the oldest)}."""
    journal = target.backend.journal
    if not args:
        return [entry.to_json() for entry in journal.entries(caller.tenant)]
    page = journal.page(caller.tenant, args["after"], args["limit"])
    return {"entries": [entry.to_json() for entry in page.entries], "last_seq": page.last_seq,
            "more": page.more, "reset": page.reset}


def _start_recording(target: Target, caller: Caller, args: Args) -> Any:
    seed = args["id_seed"]
    if caller.tenant is None:  # the whole mock: every call
        return {"recording": True, "id_seed": target.backend.start_recording(seed)}
    if seed is not None:
        raise CommandError(400, "id_seed restarts the id sequence of the whole mock, so it needs the admin token; "
                                "an organisation's recording keeps the ids its calls were issued instead")
    target.backend.start_tenant_recording(caller.tenant)
    return {"recording": True, "id_seed": None}


def _add_fault(target: Target, caller: Caller, args: Args) -> Any:
    fault = Fault(**args)
    return {"id": target.backend.add_fault(fault, caller.tenant), **attrs.asdict(fault)}


def _set_transition(target: Target, caller: Caller, args: Args) -> Any:
    transition = Transition(**{key: value for key, value in args.items() if key != "kind"})
    target.backend.set_transition(args["kind"], transition, caller.tenant)
    return {"kind": args["kind"], **attrs.asdict(transition)}


def _host_file(target: Target, caller: Caller, args: Args) -> Any:
    try:
        target.backend.host_file(args["url"], args["content"], args["content_type"], caller.tenant)
    except InvalidInput as exc:  # a quota (409) or a URL too long (400), named
        raise CommandError(409 if str(exc).startswith("quota exceeded") else 400, str(exc)) from None
    return {"url": args["url"]}


def _advance_clock(target: Target, caller: Caller, args: Args) -> Any:
    target.backend.advance_clock(args["seconds"], caller.tenant)
    return {"now": target.backend.clock.now()}


def _set_chunking(target: Target, _caller: Caller, args: Args) -> Any:
    target.backend.exports.set_chunking(Chunking(args["chunk_bytes"], args["align_to_lines"]))
    return attrs.asdict(target.backend.exports.chunking)


def _view(name: str) -> Callable[[Target, Caller, Args], Any]:
    def apply(target: Target, caller: Caller, _args: Args) -> Any:
        return target.view(name, caller.tenant)

    return apply


def _table(*commands: Command) -> dict[str, Command]:
    return {command.name: command for command in commands}


COMMANDS: dict[str, Command] = _table(
    Command("seed", "POST", "/seed",
            # a whole-mock caller seeds the organisation of the key it names (the mock's first by default)
            lambda target, caller, args: target.backend.seed(args["doc"], api_key=caller.api_key,
                                                             tenant=caller.tenant),
            parse=lambda inputs: {"doc": inputs.body}, to_body=lambda args: args["doc"],
            doc="loads a seed document; answers the ids created"),
    Command("reset", "POST", "/reset", lambda target, caller, _args: target.backend.reset(caller.tenant) or
            {"reset": True}, result=_nothing,
            doc="empties state, transitions, faults, files, the journal and the clock offset; keys stay valid"),
    Command("state", "GET", "/state", lambda target, caller, _args: target.backend.dump(caller.tenant),
            doc="state as plain data (never API keys)"),
    Command("set_transition", "POST", "/transitions", _set_transition, parse=_parse_transition,
            to_body=lambda args: args, result=_nothing, doc="how tasks of a kind progress from now on"),
    Command("clear_transitions", "DELETE", "/transitions",
            lambda target, caller, _args: target.backend.clear_transitions(caller.tenant) or {"cleared": True},
            result=_nothing, doc="every kind back to the default (immediate, COMPLETE)"),
    Command("transitions", "GET", "/transitions", _view("transitions"), doc="the transitions in force, by kind"),
    Command("inject_fault", "POST", "/faults", _add_fault, parse=_parse_fault, to_body=lambda args: args,
            result=lambda answer: answer["id"], doc="fails the next requests for an operation; answers its id"),
    Command("faults", "GET", "/faults",
            lambda target, caller, _args: [
                {"id": armed.id, **attrs.asdict(armed.fault), "server_wide": armed.owner is None}
                for armed in target.backend.faults.armed(caller.tenant)],
            doc="the faults still pending, each with its id"),
    Command("clear_faults", "DELETE", "/faults",
            lambda target, caller, _args: target.backend.clear_faults(caller.tenant) or {"cleared": True},
            result=_nothing, doc="drops every pending fault"),
    Command("remove_fault", "DELETE", "/faults/{id}", _remove_fault,
            parse=lambda inputs: {"fault_id": inputs.item}, item="fault_id", result=_nothing,
            doc="drops one pending fault (404 if the caller cannot see it)"),
    Command("requests", "GET", "/requests", _requests, parse=_parse_requests,
            to_query=lambda args: {name: str(args[name]) for name in ("after", "limit") if name in args},
            doc="the request journal (?after=<seq>&limit=<n> pages it)"),
    Command("advance_clock", "POST", "/clock", _advance_clock, parse=_parse_clock,
            to_body=lambda args: {"advance": args["seconds"]}, result=_nothing,
            doc="moves the mock clock forward"),
    Command("clock", "GET", "/clock", _view("clock"), result=lambda answer: answer["now"],
            doc="the mock clock's time"),
    Command("host_file", "POST", "/files", _host_file, parse=_parse_file, to_body=_file_body, result=_nothing,
            doc="serves content to imports that name the URL"),
    Command("start_recording", "POST", "/recording", _start_recording, parse=_parse_recording,
            to_body=lambda args: {"id_seed": args["id_seed"]} if args.get("id_seed") is not None else {},
            result=lambda answer: answer["id_seed"],
            doc="records every state-changing call from now on; answers the id seed a replay reuses"),
    Command("recording", "GET", "/recording",
            lambda target, caller, _args: target.backend.recording(caller.tenant), doc="the recording so far"),
    Command("stop_recording", "DELETE", "/recording",
            lambda target, caller, _args: target.backend.stop_recording(caller.tenant) or {"recording": False},
            result=_nothing, doc="stops recording"),
    Command("replay", "POST", "/replay", lambda target, caller, args: target.replay(args["recording"], caller),
            parse=lambda inputs: {"recording": inputs.body}, to_body=lambda args: args["recording"],
            doc="empties the mock (or the organisation) and rebuilds the recorded state"),
    Command("set_export_chunking", "POST", "/export-chunking", _set_chunking, parse=_parse_chunking,
            to_body=lambda args: {"chunk_bytes": args["chunk_bytes"], "align_to_lines": args["align_to_lines"]},
            result=_nothing, admin_only=True, doc="how export streams are cut into files"),
    Command("tasks", "GET", "/tasks", _view("tasks"), doc="tasks with kind, status and progression"),
    Command("imports", "GET", "/imports", _view("imports"),
            doc="imports (prediction, label, MAL) with each row's outcome and cause"),
    Command("datasets", "GET", "/datasets", _view("datasets"),
            doc="datasets with a page of their rows, attachments and metadata"),
    Command("organization", "GET", "/organization", _view("organization"),
            doc="the organisation's id and name (the admin token: every organisation's)"),
    Command("models", "GET", "/models", _view("models"),
            doc="models with a page of their runs: splits, config and a page of rows with labels and predictions counted"),
    Command("projects", "GET", "/projects", _view("projects"),
            doc="projects with their workflow steps, a page of their batches, ontology, label count and tags"),
    Command("ontologies", "GET", "/ontologies", _view("ontologies"),
            doc="ontologies with their top-level features, and the root feature schemas no ontology places"),
)


def find(method: str, path: str) -> tuple[Command, str | None] | None:
    """The command an admin request runs, by its method and path, with the id an item route names."""
    path = path.rstrip("/")
    for command in COMMANDS.values():
        if command.method != method:
            continue
        if command.item is None:
            if command.full_path == path:
                return command, None
            continue
        prefix = command.full_path[: -len("{id}")]
        item = path[len(prefix):] if path.startswith(prefix) else ""
        if item and "/" not in item:
            return command, unquote(item)
    return None


def known_paths() -> list[str]:
    return sorted({command.full_path.replace("{id}", "<id>") for command in COMMANDS.values()})
