"""Shapes hold GraphQL field values only (docs/architecture.md): a nested field is resolved by its type's
resolver, which finds its parent's record again by id, never by a callable stored in the parent's shape."""

from __future__ import annotations

import json
import runpy
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from graphql import GraphQLResolveInfo, execute_sync

import labelbox_lite as lb
from mockserver import MockLabelbox
from mockserver.api import service
from mockserver.api.execution import Execution, shaped_field

from ..support import World

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _callables(value: Any, path: str, walked: set[int]) -> Iterator[str]:
    """Where in `value` a callable sits; each container is walked once per request."""
    if callable(value):
        yield path
    elif isinstance(value, dict | list | tuple) and id(value) not in walked:
        walked.add(id(value))
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, item in items:
            yield from _callables(item, f"{path}.{key}", walked)


class ShapeWatcher:
    """A graphql-core middleware that walks every value every resolver answers, whole, selected or not."""

    def __init__(self) -> None:
        self.found: list[str] = []
        self.fields = 0
        self._walked: set[int] = set()

    def resolve(self, next_: Callable[..., Any], root: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        result = next_(root, info, **args)
        self.fields += 1
        self.found.extend(_callables(result, f"{info.parent_type.name}.{info.field_name}", self._walked))
        return result


@pytest.fixture
def watcher(monkeypatch: pytest.MonkeyPatch) -> ShapeWatcher:
    watching = ShapeWatcher()

    def execute_watched(schema: Any, document: Any, context: Any, variables: Any, operation_name: Any) -> Any:
        watching._walked = set()  # ids are only stable while a request's values live
        # graphql-core's execution with the service's context class and default resolver: with a middleware,
        # Execution runs graphql-core's methods throughout, so every field passes through the watcher
        return execute_sync(schema, document, context_value=context, variable_values=variables,
                            operation_name=operation_name, execution_context_class=Execution,
                            field_resolver=shaped_field, middleware=[watching])

    monkeypatch.setattr(service, "execute", execute_watched)
    return watching


def test_no_shape_of_a_representative_session_holds_a_callable(
        watcher: ShapeWatcher, mock: MockLabelbox, client: lb.Client, world: World,
        capsys: pytest.CaptureFixture[str]) -> None:
    runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")  # its own mock: the whole workflow
    capsys.readouterr()
    model = client.get_model(world.model_id)
    run = model.create_model_run("watched")
    run.upsert_data_rows(global_keys=world.global_keys[:3])
    rows = [{"uuid": f"u-{i}", "dataRow": {"globalKey": key}, "name": "box",
             "bbox": {"top": 1, "left": 2, "height": 3, "width": 4}} for i, key in enumerate(world.global_keys[:3])]
    run.add_predictions("preds", rows).wait_till_done()
    assert [r.uid for r in model.model_runs()] == [run.uid]
    assert [m.uid for m in client.get_models()] == [world.model_id]
    nested = client.execute("query Runs($id: ID!) {models(where: {id: $id}) {id modelRuns(first: 5) {id name}}}",
                            {"id": world.model_id})
    assert nested["models"][0]["modelRuns"] == [{"id": run.uid, "name": "watched"}]
    project = client.get_project(world.project_id)
    list(project.labels())
    list(client.get_datasets())
    task = run.export()
    task.wait_till_done()
    assert json.loads(json.dumps(client.get_user().email))
    assert watcher.fields > 100  # the session went through the watched executor
    assert sorted(set(watcher.found)) == [], "\n".join(sorted(set(watcher.found)))


def test_the_watcher_finds_a_callable_at_any_depth() -> None:
    shape = {"id": "m", "modelRuns": [{"id": "r", "rows": lambda: []}]}
    assert list(_callables(shape, "Model", set())) == ["Model.modelRuns.0.rows"]
