"""How hard one call tries: urllib3's Retry, bounded by attempts and by a deadline.

urllib3 does the retrying (backoff with jitter, Retry-After, counting by kind of
failure); this module adds what it lacks:

- a deadline: no retry starts once waiting for it would pass the call's
  deadline. urllib3's Retry has no notion of elapsed time, so each call opens a
  `CallBudget` (held in a ContextVar, hence per thread) that every retry of that
  call consults, including the retries the transport makes for answers whose
  body was cut short (those happen after urllib3 hands the response over);
- one attempt count per call, shared by those two layers;
- Retry-After capped, so a server cannot park the client;
- a sleep and a clock that tests replace, so no test waits for real;
- retrying on exactly `status_forcelist`: urllib3 would also retry any 413 or
  503 that carries Retry-After, which for a mutation is not safe.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from types import TracebackType
from typing import TYPE_CHECKING, Any

from attrs import define, field, validators
from urllib3.exceptions import (
    InvalidHeader,
    MaxRetryError,
    ProtocolError,
    ReadTimeoutError,
    ResponseError,
)
from urllib3.util.retry import Retry

if TYPE_CHECKING:
    from typing import Self

    from urllib3.connectionpool import ConnectionPool
    from urllib3.response import BaseHTTPResponse

logger = logging.getLogger(__name__)

# Queries have no side effect: a gateway error, a rate limit or a server error is worth another try.
QUERY_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
# A 429 is refused before the request is processed, so a mutation can be sent again safely.
MUTATION_RETRY_STATUSES = frozenset({429})


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

    def for_queries(self) -> PolicyRetry:
        """Retries connection failures, dropped or timed-out answers, and QUERY_RETRY_STATUSES."""
        return self._retry(read=self.attempts, statuses=QUERY_RETRY_STATUSES, idempotent=True)

    def for_mutations(self) -> PolicyRetry:
        """Retries only what provably never reached the server: failed connects and HTTP 429."""
        # read=0: once the request is sent, the server may have acted on it even if its answer was lost
        return self._retry(read=0, statuses=MUTATION_RETRY_STATUSES, idempotent=False)

    def _retry(self, read: int, statuses: frozenset[int], idempotent: bool) -> PolicyRetry:
        return PolicyRetry(
            total=self.attempts,
            connect=self.attempts,
            read=read,
            status=self.attempts,
            other=0,
            redirect=0,
            allowed_methods=None,  # every method: GraphQL queries are POSTs
            status_forcelist=statuses,
            backoff_factor=self.backoff_factor,
            backoff_max=self.backoff_max,
            backoff_jitter=self.jitter,
            respect_retry_after_header=True,
            raise_on_status=True,  # a status still failing at the end raises RetryError, read by the transport
            raise_on_redirect=False,
            policy=self,
            idempotent=idempotent,
        )


@define
class CallBudget:
    """One call's share of the policy: when it must stop retrying, and what happened so far."""

    deadline: float  # a reading of the policy's clock
    failures: int = 0
    last_status: int | None = None
    stop_reason: str | None = None


_current_call: ContextVar[CallBudget | None] = ContextVar("labelbox_lite_current_call", default=None)


@contextlib.contextmanager
def call_budget(policy: RetryPolicy) -> Iterator[CallBudget]:
    """Opens the budget every retry inside the `with` block draws from."""
    budget = CallBudget(deadline=policy.clock() + policy.deadline)
    token = _current_call.set(budget)
    try:
        yield budget
    finally:
        _current_call.reset(token)


class PolicyRetry(Retry):
    """urllib3's Retry, bounded by the current CallBudget and the policy (see the module docstring)."""

    def __init__(self, *args: Any, policy: RetryPolicy | None = None, idempotent: bool = True,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.policy = policy or RetryPolicy()
        self.idempotent = idempotent
        self.planned_delay = 0.0  # what sleep() waits; fixed by increment() so the deadline check agrees

    def new(self, **kw: Any) -> Self:
        retry = super().new(**kw)
        retry.policy = self.policy
        retry.idempotent = self.idempotent
        return retry

    def is_retry(self, method: str, status_code: int, has_retry_after: bool = False) -> bool:
        return self._is_method_retryable(method) and status_code in self.status_forcelist

    def increment(
        self,
        method: str | None = None,
        url: str | None = None,
        response: BaseHTTPResponse | None = None,
        error: Exception | None = None,
        _pool: ConnectionPool | None = None,
        _stacktrace: TracebackType | None = None,
    ) -> Self:
        budget = _current_call.get()
        if budget is not None:
            budget.failures += 1
            budget.last_status = response.status if response is not None and error is None else None
        try:
            retry = super().increment(method, url, response, error, _pool, _stacktrace)
        except MaxRetryError:
            if budget is not None:
                budget.stop_reason = self._why_spent(error)
            raise
        retry.planned_delay = retry._delay_before_next(response)
        if budget is not None:
            refusal = self._refusal(budget, retry.planned_delay)
            if refusal is not None:
                budget.stop_reason = refusal
                reason = error or ResponseError(f"HTTP {budget.last_status}")
                raise MaxRetryError(_pool, url, reason) from reason  # type: ignore[arg-type]
        logger.debug("retrying %s in %.3g s (failure %d)", url, retry.planned_delay, len(retry.history))
        return retry

    def sleep(self, response: BaseHTTPResponse | None = None) -> None:
        if self.planned_delay > 0:
            self.policy.sleep(self.planned_delay)

    def _delay_before_next(self, response: BaseHTTPResponse | None) -> float:
        header = response.headers.get("Retry-After") if response is not None else None
        if header:
            try:
                return min(self.parse_retry_after(header), self.policy.max_retry_after)
            except InvalidHeader:
                logger.debug("ignoring unparsable Retry-After %r; backing off instead", header[:40])
        return self.get_backoff_time()

    def _refusal(self, budget: CallBudget, delay: float) -> str | None:
        if budget.failures > self.policy.attempts:
            return f"the retry policy allows {self.policy.attempts} retries"
        if self.policy.clock() + delay > budget.deadline:
            return f"the next retry would pass the {self.policy.deadline:g} s deadline"
        return None

    def _why_spent(self, error: Exception | None) -> str:
        if isinstance(error, (ProtocolError, ReadTimeoutError)) and not self.idempotent:
            return "not retried: the request had been sent, and a mutation may have taken effect"
        return f"the retry policy allows {self.policy.attempts} retries"
