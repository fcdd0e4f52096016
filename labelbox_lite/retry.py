"""How hard one call tries: a retry policy, and the budget one call draws from.

The transport runs the one retry loop (transport.py); this module decides, for
each failure the loop reports, whether another try may start and how long to
wait first:

- at most `attempts` retries, and none that would start past the call's deadline;
- waits that grow exponentially with jitter, or what Retry-After asks, capped,
  so a server cannot park the client;
- a sleep and a clock that tests replace, so no test waits for real.

Which failures are worth a retry at all (by kind of call: a mutation that may
have landed is never sent again) is the transport's decision; the statuses are here.
"""

from __future__ import annotations

import datetime
import email.utils
import logging
import random
import re
import time
from collections.abc import Callable

from attrs import define, field, validators

logger = logging.getLogger(__name__)

# Queries have no side effect: a gateway error, a rate limit or a server error is worth another try.
QUERY_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A 429 is refused before the request is processed, so a mutation can be sent again safely.
MUTATION_RETRY_STATUSES = frozenset({429})

_SECONDS = re.compile(r"\s*[0-9]+\s*")


@define(frozen=True)
class RetryPolicy:
    """How hard the client tries before it gives up; set on the Client.

    A call makes at most `attempts + 1` tries, and no retry starts once waiting
    for it would take the call past `deadline` seconds. Waits grow as
    `backoff_factor * 2**(n-1)` (the first retry goes at once) plus up to `jitter`
    seconds, capped at `backoff_max`; a Retry-After answer is honoured instead,
    capped at `max_retry_after`. Each try is bounded by the Client's `timeout`,
    so a call that keeps failing ends within about `deadline + timeout`.
    `sleep` and `clock` are replaceable so tests run the waits in no time.
    """

    attempts: int = field(default=5, validator=validators.ge(0))  # retries after the first try
    deadline: float = field(default=120.0, validator=validators.ge(0))
    backoff_factor: float = field(default=0.5, validator=validators.ge(0))
    backoff_max: float = field(default=30.0, validator=validators.ge(0))
    jitter: float = field(default=0.25, validator=validators.ge(0))
    max_retry_after: float = field(default=60.0, validator=validators.ge(0))
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False, eq=False)
    clock: Callable[[], float] = field(default=time.monotonic, repr=False, eq=False)

    @staticmethod
    def retry_statuses(idempotent: bool) -> frozenset[int]:
        """The HTTP statuses worth another try: any passing failure for a query, only 429 for a mutation."""
        return QUERY_RETRY_STATUSES if idempotent else MUTATION_RETRY_STATUSES

    def backoff(self, failures: int) -> float:
        """The wait after the `failures`-th failure in a row: none after the first."""
        if failures <= 1:
            return 0.0
        wait = self.backoff_factor * 2.0 ** (failures - 1) + random.uniform(0, self.jitter)
        return min(wait, self.backoff_max)

    def wait_before_retry(self, failures: int, retry_after: str | None = None) -> float:
        """What Retry-After asks (capped), or else the backoff."""
        if retry_after:
            asked = _retry_after_seconds(retry_after)
            if asked is not None:
                return min(asked, self.max_retry_after)
            logger.debug("ignoring unparsable Retry-After %r; backing off instead", retry_after[:40])
        return self.backoff(failures)

    def start(self) -> CallBudget:
        """The budget of one call, starting now."""
        return CallBudget(self, deadline=self.clock() + self.deadline)


@define
class CallBudget:
    """One call's share of the policy: what was tried so far, and why retrying stopped."""

    policy: RetryPolicy
    deadline: float  # a reading of the policy's clock
    sent: int = 0  # tries made
    stop_reason: str | None = None

    def retry(self, what: str, retry_after: str | None = None) -> bool:
        """After a failure worth retrying: waits and answers True, or records why not and answers False."""
        policy = self.policy
        if self.sent > policy.attempts:
            self.stop_reason = f"the retry policy allows {policy.attempts} retries"
            return False
        delay = policy.wait_before_retry(self.sent, retry_after)
        if policy.clock() + delay > self.deadline:
            self.stop_reason = f"the next retry would pass the {policy.deadline:g} s deadline"
            return False
        logger.debug("retrying %s in %.3g s (failure %d)", what, delay, self.sent)
        if delay > 0:
            policy.sleep(delay)
        return True

    def refuse(self, reason: str) -> None:
        """Records that a failure is not retried at all, whatever the budget left."""
        self.stop_reason = reason


def _retry_after_seconds(value: str) -> float | None:
    """A Retry-After header as seconds from now: delta-seconds or an HTTP date (RFC 9110 10.2.3)."""
    if _SECONDS.fullmatch(value):
        return float(int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:  # "-0000": HTTP dates are in GMT
        when = when.replace(tzinfo=datetime.timezone.utc)
    return max(when.timestamp() - time.time(), 0.0)
