"""The one polling loop every wait in the client uses.

Clock and sleep are injectable, so tests can run a long wait in no wall time:
pass `Poller(clock=fake.now, sleep=fake.sleep)` to the Client.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from attrs import define, field

from .exceptions import TimeoutError

logger = logging.getLogger(__name__)

T = TypeVar("T")


@define
class Poller:
    clock: Callable[[], float] = field(default=time.monotonic)
    sleep: Callable[[float], None] = field(default=time.sleep)

    def wait(self, check: Callable[[], T | None], *, timeout: float, interval: float, what: str) -> T:
        """Calls `check` until it returns something other than None.

        `check` raises to stop early (a failed task); on timeout this raises
        TimeoutError naming `what`.
        """
        if interval <= 0:
            raise ValueError(f"polling interval must be positive, got {interval}")
        deadline = self.clock() + timeout
        polls = 0
        while True:
            polls += 1
            outcome = check()
            if outcome is not None:
                return outcome
            remaining = deadline - self.clock()
            if remaining <= 0:
                raise TimeoutError(f"{what} did not finish within {timeout:g} seconds ({polls} checks)")
            logger.debug("%s still in progress after %d checks; next in %.3gs", what, polls, min(interval, remaining))
            self.sleep(min(interval, remaining))
