"""Fault injection (off by default): throttling, 5xx, slow or hung replies, broken JSON, 403.

Most faults stop a request before it is processed. Three leave the caller in doubt although
the operation DID run (what makes blind resends duplicates): ``lost_reply`` (the reply never
arrives), ``500_after`` (processed, then an internal error is answered) and ``malformed_after``
(processed, then a broken body). ``errors_200`` answers 200 with an errors envelope and
``undecodable`` a body its Content-Encoding cannot decode (neither is processed).
"""
import threading

KINDS = ("429", "500", "503", "slow", "timeout", "malformed", "forbidden", "lost_reply",
         "500_after", "malformed_after", "errors_200", "undecodable")
AFTER_PROCESSING = frozenset({"lost_reply", "500_after", "malformed_after"})


class FaultBook:
    def __init__(self):
        self._lock = threading.Lock()
        self.rules, self.forbidden, self.transaction_failure_rate = [], False, 0.0

    def clear(self):
        with self._lock:
            self.rules, self.forbidden, self.transaction_failure_rate = [], False, 0.0

    def configure(self, spec):
        """Apply a control request; returns the resulting settings (ValueError if invalid)."""
        rules = []
        for rule in spec.get("faults", []):
            kind = str(rule.get("kind", ""))
            if kind not in KINDS:
                raise ValueError(f"unknown fault kind {kind!r}; one of {', '.join(KINDS)}")
            count = int(rule.get("count", 1))
            delay = float(rule.get("delay", 30.0 if kind in ("timeout", "lost_reply")
                                   else 2.0))
            if count < 1 or delay < 0:
                raise ValueError("count must be >= 1 and delay >= 0")
            rules.append({"kind": kind, "remaining": count, "operation": rule.get("operation"),
                          "delay": delay})
        rate = float(spec.get("transaction_failure_rate", self.transaction_failure_rate))
        if not 0 <= rate <= 1:
            raise ValueError("transaction_failure_rate must be between 0 and 1")
        with self._lock:
            self.rules.extend(rules)
            self.transaction_failure_rate = rate
            if "forbidden" in spec:
                self.forbidden = bool(spec["forbidden"])
        return self.describe()

    def take(self, operation):
        """The first pending fault for ``operation`` (consumed), or None."""
        with self._lock:
            for rule in self.rules:
                if rule["operation"] in (None, operation):
                    rule["remaining"] -= 1
                    if rule["remaining"] <= 0:
                        self.rules.remove(rule)
                    return dict(rule)
        return None

    def describe(self):
        with self._lock:
            return {"faults": [dict(r) for r in self.rules], "forbidden": self.forbidden,
                    "transaction_failure_rate": self.transaction_failure_rate}
