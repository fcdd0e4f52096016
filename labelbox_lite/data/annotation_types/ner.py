"""Entities in documents and conversations, with the SDK's names (`labelbox.data.annotation_types.ner`)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from attrs import define, field, frozen

from ...types import TextEntity


def _page(_instance: Any, _attribute: Any, value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"Page must be greater than 1; got {value!r}")


def _token_ids(value: Iterable[str]) -> list[str]:
    return list(value)  # typed, unlike converter=list (see types._points)


@frozen
class DocumentTextSelection:
    """Tokens of one text layer group on one page (pages count from 1)."""

    token_ids: list[str] = field(converter=_token_ids)
    group_id: str
    page: int = field(validator=_page)


def _selections(value: Any) -> list[DocumentTextSelection]:
    return [DocumentTextSelection(**s) if isinstance(s, dict) else s for s in value]


@define
class DocumentEntity:
    """The value of an ObjectAnnotation on a PDF: the text it selects."""

    object_value: ClassVar[bool] = True
    text_selections: list[DocumentTextSelection] = field(converter=_selections)

    def __attrs_post_init__(self) -> None:
        if not all(isinstance(s, DocumentTextSelection) for s in self.text_selections):
            raise TypeError("a DocumentEntity's text_selections are DocumentTextSelection objects")


@frozen
class ConversationEntity(TextEntity):
    """A span of one message of a conversation, by character offsets."""

    message_id: str = field(kw_only=True)


__all__ = ["ConversationEntity", "DocumentEntity", "DocumentTextSelection", "TextEntity"]
