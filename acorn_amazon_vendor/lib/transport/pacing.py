"""Pacing within Amazon's usage plans, and retry delays.

Amazon's quotas belong to an application and selling partner, not to a process. A pacer hands
out one request slot at a time per (account key, operation); the Odoo addon gives the
transport a pacer that keeps its buckets in PostgreSQL so every worker of every server shares
them. ``MemoryPacer`` is the in-process fallback (standalone tools, tests of the transport).
"""
import random
import threading
import time

from ..usage_plans import plan_for


def wait_for_slot(tokens, rate, burst, elapsed):
    """One token-bucket step: (tokens left after taking one, seconds to wait before going).

    Tokens may go below zero: the caller then waits for the slot it reserved, so concurrent
    callers queue up instead of all retrying at once.
    """
    tokens = min(float(burst), tokens + max(elapsed, 0.0) * rate) - 1
    return tokens, (-tokens / rate if tokens < 0 else 0.0)


class MemoryPacer:
    """Token buckets in this process's memory, per (account key, operation)."""

    def __init__(self, clock=time.monotonic, sleep=time.sleep):
        self.clock, self.sleep = clock, sleep
        self._buckets = {}  # (key, operation) -> [tokens, updated, rate, burst]
        self._lock = threading.Lock()

    def take(self, key, operation):
        with self._lock:
            now = self.clock()
            rate, burst = plan_for(operation)
            bucket = self._buckets.setdefault((key, operation), [float(burst), now, rate, burst])
            bucket[0], wait = wait_for_slot(bucket[0], bucket[2], bucket[3], now - bucket[1])
            bucket[1] = now
        if wait:
            self.sleep(wait)

    def observe(self, key, operation, rate):
        """Amazon's ``x-amzn-RateLimit-Limit`` for this operation wins over the usage plan."""
        with self._lock:
            bucket = self._buckets.get((key, operation))
            if bucket:
                bucket[2] = rate


_shared = MemoryPacer()


def memory_pacer():
    """The process-wide in-memory pacer."""
    return _shared


def backoff_delay(attempt, base, cap, retry_after=None, rand=random.random):
    """Exponential backoff with full jitter; honour the server's Retry-After when given."""
    if retry_after:
        return min(cap, retry_after)
    return rand() * min(cap, base * (2 ** attempt))
