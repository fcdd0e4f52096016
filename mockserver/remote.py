"""MockServerClient: steering a standalone mock (`labelbox-mock serve`, RunningServer) from Python.

It has MockLabelbox's steering methods (SteeringMethods: seed, reset, state,
set_transition, advance_clock, inject_fault, host_file, recording, replay,
requests, ...), each sent to its admin route as control/commands.py's table
spells it, so one test body drives an in-process mock or a server:

    with RunningServer() as server:
        mock = MockServerClient(server.url, "test-key")
        ids = mock.seed({"ontologies": [{"name": "o"}]})

Every call acts for the key it is made with: that key's organisation, or the
whole mock with the admin token (`--admin-token`). A refusal raises the
CommandError an in-process call raises (a ValueError), with the route's status; a
refused seed raises SeedError listing every problem, as in-process.
"""

from __future__ import annotations

import json
from typing import Any

import requests

from .control.commands import COMMANDS, CommandError
from .control.steering import SteeringMethods
from .state.seed import SeedError


class MockServerClient(SteeringMethods):
    """The admin API of the mock at `url` (its origin, e.g. RunningServer.url), as `api_key` (an
    organisation's key, or the admin token). `session` is a requests Session of your own, if any."""

    def __init__(self, url: str, api_key: str, *, timeout: float = 30.0,
                 session: requests.Session | None = None) -> None:
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self._session = session or requests.Session()

    def __repr__(self) -> str:  # never the key
        return f"<MockServerClient {self.url}>"

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> MockServerClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _steer(self, name: str, args: dict[str, Any] | None = None, api_key: str | None = None) -> Any:
        command = COMMANDS[name]
        args = args or {}
        body = command.to_body(args)
        answer = self._session.request(
            command.method, self.url + command.route(args), params=command.to_query(args) or None,
            data=json.dumps(body) if body is not None else None, timeout=self.timeout,
            headers={"Authorization": f"Bearer {api_key or self.api_key}", "Content-Type": "application/json"})
        payload = answer.json() if answer.content else None
        if answer.status_code != 200:
            message = payload.get("error") if isinstance(payload, dict) else None
            problems = payload.get("problems") if isinstance(payload, dict) else None
            if isinstance(problems, list):  # a refused seed: the SeedError an in-process seed raises
                raise SeedError([(str(path), str(problem)) for path, problem in problems])
            raise CommandError(answer.status_code, message or answer.text)
        return command.result(payload)
