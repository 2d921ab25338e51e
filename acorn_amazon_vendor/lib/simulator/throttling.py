"""Token buckets per operation with Amazon's published usage plans (rate/s, burst)."""
import threading
import time

from ..usage_plans import plan_for


def rate_header(operation):
    rate = plan_for(operation)[0]
    return f"{rate:g}" if rate < 1 else f"{rate:.1f}"


class Throttle:
    """Answers whether a request for ``operation`` fits its bucket right now (real time), and
    counts per operation, since the last reset, the requests it saw and those it refused
    (429 QuotaExceeded)."""

    def __init__(self, enabled=True, clock=time.monotonic):
        self.enabled = enabled
        self.clock = clock
        self._buckets = {}
        self._throttled = {}
        self._requests = {}
        self._lock = threading.Lock()

    def allow(self, operation):
        with self._lock:
            self._requests[operation] = self._requests.get(operation, 0) + 1
        if not self.enabled:
            return True
        rate, burst = plan_for(operation)
        now = self.clock()
        with self._lock:
            tokens, updated = self._buckets.get(operation, (float(burst), now))
            tokens = min(float(burst), tokens + (now - updated) * rate)
            allowed = tokens >= 1
            self._buckets[operation] = (tokens - 1 if allowed else tokens, now)
            if not allowed:
                self._throttled[operation] = self._throttled.get(operation, 0) + 1
            return allowed

    def throttled(self):
        """{"total": n, "byOperation": {operation: n}}: the 429s answered since the reset."""
        with self._lock:
            counts = dict(self._throttled)
        return {"total": sum(counts.values()), "byOperation": counts}

    def requests(self):
        """{"total": n, "byOperation": {operation: n}}: every request seen since the reset,
        throttled or not (throttling on or off)."""
        with self._lock:
            counts = dict(self._requests)
        return {"total": sum(counts.values()), "byOperation": counts}

    def reset(self):
        """Full buckets and zero counters (simulator reset, throttling switched)."""
        with self._lock:
            self._buckets.clear()
            self._throttled.clear()
            self._requests.clear()
