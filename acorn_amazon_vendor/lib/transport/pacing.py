"""Client-side pacing and retries within Amazon's documented usage plans."""
import random
import threading
import time

from ..usage_plans import plan_for


class TokenBucket:
    def __init__(self, rate, burst, clock=time.monotonic, sleep=time.sleep):
        self.rate, self.burst = rate, burst
        self.tokens = float(burst)
        self.clock, self.sleep = clock, sleep
        self.updated = clock()
        self.lock = threading.Lock()

    def take(self):
        with self.lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
            self.updated = now
            wait = 0.0 if self.tokens >= 1 else (1 - self.tokens) / self.rate
            self.tokens -= 1
        if wait:
            self.sleep(wait)


_buckets = {}
_buckets_lock = threading.Lock()


def bucket_for(account_key, operation):
    key = (account_key, operation)
    with _buckets_lock:
        if key not in _buckets:
            _buckets[key] = TokenBucket(*plan_for(operation))
        return _buckets[key]


def backoff_delay(attempt, base, cap, retry_after=None, rand=random.random):
    """Exponential backoff with full jitter; honour the server's Retry-After when given."""
    if retry_after:
        return min(cap, retry_after)
    return rand() * min(cap, base * (2 ** attempt))
