"""Resource tags: the organisation's labels for its projects (text and a colour), and which projects wear them.

Bounded like every store an organisation fills: at most MAX_TAGS tags, each text at most
MAX_TEXT_BYTES of UTF-8, so the tags of one organisation never hold more than their product.
"""

from __future__ import annotations

import re
from typing import Any

from ..clock import MockClock
from ..ids import IdFactory
from .errors import Conflict, InvalidInput
from .model_run_rows import listing
from .organization import Organization
from .records import Project, ResourceTag

MAX_TAGS = 1_000
MAX_TEXT_BYTES = 256
_COLOR = re.compile(r"#?([0-9A-Fa-f]{6})")


def _text(text: Any) -> str:
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(f"a resource tag needs a non-empty text, got {text!r}")
    if len(text.encode()) > MAX_TEXT_BYTES:
        raise InvalidInput(f"a resource tag's text is at most {MAX_TEXT_BYTES} bytes, got {len(text.encode())}")
    return text


def _color(color: Any) -> str:
    """Labelbox keeps a colour as six hex digits and answers it without the '#' it may be given with."""
    found = _COLOR.fullmatch(color) if isinstance(color, str) else None
    if found is None:
        raise InvalidInput(f"a resource tag's color must be six hex digits such as '#ff0000', got {color!r}")
    return found.group(1).lower()


def create_tag(org: Organization, ids: IdFactory, clock: MockClock, text: Any, color: Any) -> ResourceTag:
    text, color = _text(text), _color(color)
    if any(tag.text == text for tag in org.resource_tags.values()):
        raise Conflict(f"the organisation already has a resource tag with the text {text!r}")
    if len(org.resource_tags) >= MAX_TAGS:
        raise InvalidInput(f"the organisation already has {len(org.resource_tags)} resource tags, the most the "
                           "mock keeps; delete some first")
    tag = ResourceTag(id=ids.new(), text=text, color=color, created_at=clock.now())
    org.resource_tags[tag.id] = tag
    return tag


def delete_tag(org: Organization, tag_id: str) -> ResourceTag:
    """The tag goes, and with it from every project that wore it."""
    tag = org.resource_tag(tag_id)
    for project in org.projects.values():
        if tag.id in project.resource_tag_ids:
            project.resource_tag_ids.remove(tag.id)
    del org.resource_tags[tag.id]
    return tag


def set_project_tags(org: Organization, clock: MockClock, project_id: str, tag_ids: list[str] | None) -> Project:
    """The project wears exactly these tags afterwards (none for an empty or null list); an unknown id
    refuses the whole change."""
    project = org.project(project_id)
    wanted = list(dict.fromkeys(tag_ids or []))
    missing = [key for key in wanted if key not in org.resource_tags]
    if missing:
        raise InvalidInput(f"resourceTagIds: no resource tag of this organisation has the id {listing(missing)}")
    project.resource_tag_ids = wanted
    project.updated_at = clock.now()
    return project


def project_tags(org: Organization, project: Project) -> list[ResourceTag]:
    return [org.resource_tags[key] for key in project.resource_tag_ids if key in org.resource_tags]
