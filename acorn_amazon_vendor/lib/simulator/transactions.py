"""Asynchronous POSTs: every accepted document becomes a transaction that settles later.

Business rules run when a transaction settles (after ``delay`` seconds of simulated time, or
on the control API's "settle"), in submission order, against the state at that moment. A
settled acknowledgement without errors stays ``Processing`` forever, as Amazon's does.

Amazon is also reported to leave shipment confirmations and invoices in ``Processing`` for
long periods (amzn/selling-partner-api-models#565: an invoice still Processing after 15
minutes). The ``stay_processing`` setting names the kinds that behave so: their rules still
run at settle time and their effects apply (a Failure stays a Failure, a resend is a
duplicate), but a document without errors keeps the status ``Processing``.
"""
import datetime

from .clock import iso
from .errors import INTERNAL_FAILURE, not_found
from .params import Query

DEFAULT_DELAY = 30.0  # seconds of simulated time before a transaction settles
KINDS = ("acknowledgement", "shipment_confirmation", "transport_request", "invoice")
ALWAYS_PROCESSING = frozenset({"acknowledgement"})


class Transaction:
    def __init__(self, tid, kind, body, created, settle_at):
        self.id = tid
        self.kind = kind
        self.body = body
        self.created = created
        self.settle_at = settle_at
        self.settled = False
        self.errors = []
        self.status = "Processing"

    def status_json(self):
        payload = {"transactionId": self.id, "status": self.status}
        if self.errors:
            payload["errors"] = self.errors
        return payload

    def describe(self):
        return {"transactionId": self.id, "kind": self.kind, "status": self.status,
                "settled": self.settled, "errors": self.errors,
                "submittedAt": iso(self.created), "settleAt": iso(self.settle_at),
                "document": self.body}


class TransactionBook:
    """Pending and settled transactions; ``rules[kind](body, when, submitted)`` returns errors
    and, when there are none, applies the document's effects (``submitted``: when Amazon
    received the document)."""

    def __init__(self, rng, rules):
        self.rng = rng
        self.rules = rules
        self.delay = DEFAULT_DELAY
        self.failure_rate = 0.0
        self.stay_processing = frozenset()  # kinds whose clean documents stay Processing
        self.by_id = {}
        self.pending = []

    def new_id(self, now):
        value = self.rng.getrandbits(128)
        hexed = f"{value:032x}"
        return (f"{now:%Y%m%d%H%M%S}-{hexed[:8]}-{hexed[8:12]}-4{hexed[13:16]}-"
                f"{hexed[16:20]}-{hexed[20:]}")

    def submit(self, kind, body, now):
        tid = self.new_id(now)
        tx = Transaction(tid, kind, body, now, now + datetime.timedelta(seconds=self.delay))
        self.by_id[tid] = tx
        self.pending.append(tx)
        return tx

    def settle_due(self, now, everything=False):
        """Settle what is due (or everything), oldest first; returns how many settled."""
        due = [tx for tx in self.pending if everything or tx.settle_at <= now]
        for tx in due:
            self.pending.remove(tx)
            when = min(tx.settle_at, now)
            if self.failure_rate and self.rng.random() < self.failure_rate:
                tx.errors = [dict(INTERNAL_FAILURE, details="Injected by the simulator's "
                                  "transaction failure rate.")]
            else:
                tx.errors = self.rules[tx.kind](tx.body, when, tx.created)
            quiet = tx.kind in ALWAYS_PROCESSING or tx.kind in self.stay_processing
            tx.status = "Failure" if tx.errors else ("Processing" if quiet else "Success")
            tx.settled = True
        return len(due)


def get_transaction(state, request):
    Query(request.params, {})
    tid = request.path_args[0]
    with state.lock:
        tx = state.transactions.by_id.get(tid)
        # Direct Fulfillment documents are answered by the DF Transactions API only.
        if tx is None or tx.kind.startswith("df_"):
            raise not_found("The requested transaction was not found.",
                            f"No transaction {tid} for this selling partner.")
        return 200, {"payload": {"transactionStatus": tx.status_json()}}
