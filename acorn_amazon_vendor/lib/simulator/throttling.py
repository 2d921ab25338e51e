"""Token buckets per operation with Amazon's published usage plans (rate/s, burst)."""
import threading
import time

from ..usage_plans import plan_for


def rate_header(operation):
    rate = plan_for(operation)[0]
    return f"{rate:g}" if rate < 1 else f"{rate:.1f}"


class Throttle:
    """Answers whether a request for ``operation`` fits its bucket right now (real time)."""

    def __init__(self, enabled=True, clock=time.monotonic):
        self.enabled = enabled
        self.clock = clock
        self._buckets = {}
        self._lock = threading.Lock()

    def allow(self, operation):
        if not self.enabled:
            return True
        rate, burst = plan_for(operation)
        now = self.clock()
        with self._lock:
            tokens, updated = self._buckets.get(operation, (float(burst), now))
            tokens = min(float(burst), tokens + (now - updated) * rate)
            allowed = tokens >= 1
            self._buckets[operation] = (tokens - 1 if allowed else tokens, now)
            return allowed

    def reset(self):
        with self._lock:
            self._buckets.clear()
