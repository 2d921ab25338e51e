"""The simulated clock: real time (plus any advance) by default, frozen when started at ``now``.

Token expiry, transaction settlement, report processing and document URL expiry all read this
clock, so tests can move time instead of sleeping.
"""
import datetime
import threading

from ..amazon_dates import iso, to_utc  # noqa: F401 - the simulator's clock helpers

UTC = datetime.UTC


class SimClock:
    def __init__(self, now=None):
        self._lock = threading.Lock()
        self._frozen = to_utc(now) if now is not None else None
        self._offset = datetime.timedelta(0)

    def now(self):
        with self._lock:
            base = self._frozen or datetime.datetime.now(UTC)
            return base + self._offset

    def advance(self, seconds):
        with self._lock:
            self._offset += datetime.timedelta(seconds=seconds)

    def set(self, when):
        when = to_utc(when)
        with self._lock:
            if self._frozen is not None:
                self._frozen, self._offset = when, datetime.timedelta(0)
            else:
                self._offset = when - datetime.datetime.now(UTC)

    def rewind(self):
        """Undo every advance and set of a running clock (a frozen clock keeps its moment)."""
        with self._lock:
            self._offset = datetime.timedelta(0)

    @property
    def frozen(self):
        return self._frozen is not None
