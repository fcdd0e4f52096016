"""Converting wire values (GraphQL field values) into Python values."""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Any

logger = logging.getLogger(__name__)

DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"


def parse_datetime(value: Any) -> datetime | None:
    """Labelbox's DateTime; a value in another format is kept as it came, with a debug note."""
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.strptime(value, DATETIME_FORMAT).replace(tzinfo=timezone.utc)
    except (TypeError, ValueError):
        try:
            return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
        except ValueError:
            logger.debug("cannot parse %r as a DateTime", value)
            return value  # type: ignore[no-any-return]
