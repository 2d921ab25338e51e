"""Everything the simulator remembers, behind one lock: POs, transactions, received documents,
ASNs, transport requests, invoices, reports, access tokens and settings."""
import bisect
import copy
import os
import random
import threading

from . import direct_fulfillment
from .catalogue import DEFAULT_CATALOGUE, normalise_catalogue
from .clock import SimClock, iso
from .datagen import generate_default_orders
from .faults import FaultBook
from .invoices import invoice_rules
from .orders import acknowledgement_rules
from .payments import DEFAULT_SETTINGS as PAYMENT_SETTINGS
from .payments import PaymentBook
from .reports import DEFAULT_REPORT_DELAY, DEFAULT_URL_TTL
from .shipments import confirmation_rules, transport_rules
from .throttling import Throttle
from .transactions import DEFAULT_DELAY, TransactionBook


class SimulatorState:
    def __init__(self, *, seed=42, catalogue=None, default_data=True, now=None, throttling=True,
                 base_url=""):
        self.lock = threading.RLock()
        self.clock = SimClock(now)
        self.throttle = Throttle(throttling)
        self.faults = FaultBook()
        self.tokens = {}  # access token -> expiry on the simulated clock
        self.base_url = base_url
        self.url_secret = os.urandom(16)
        self.edi = None  # Amazon's EDI partner (edi_partner.py), started on request
        # stay_processing: transaction kinds whose clean documents keep the status Processing
        # (see transactions.py); the delays are seconds of simulated time; the payment
        # settings (shortage_rate, coop_percent...) are described in payments.py.
        self.settings = {"transaction_delay": DEFAULT_DELAY, "report_delay": DEFAULT_REPORT_DELAY,
                         "document_url_ttl": DEFAULT_URL_TTL, "stay_processing": [],
                         "pricing_role": False,
                         **copy.deepcopy(PAYMENT_SETTINGS)}
        self.reset(seed=seed, catalogue=catalogue, default_data=default_data)

    def reset(self, *, seed=42, catalogue=None, default_data=True):
        """Forget every document and rebuild the data set, with the clock back at today (a
        test that moved it leaves no later test months ahead); tokens and settings survive."""
        with self.lock:
            self.clock.rewind()
            self.seed = seed
            self.rng = random.Random(seed)
            self.catalogue = normalise_catalogue(catalogue) if catalogue is not None \
                else copy.deepcopy(DEFAULT_CATALOGUE)
            self.orders, self.order_list = {}, []
            self.transactions = TransactionBook(random.Random(f"{seed}-transactions"), {
                "acknowledgement": lambda body, when, submitted=None: acknowledgement_rules(
                    self, body, when),
                "shipment_confirmation": lambda body, when, submitted=None: confirmation_rules(
                    self, body, when, submitted),
                "transport_request": lambda body, when, submitted=None: transport_rules(
                    self, body, when),
                "invoice": lambda body, when, submitted=None: invoice_rules(
                    self, body, when, submitted),
            })
            self.documents = []
            self.asns, self.transport, self.labels, self.invoices = {}, {}, [], {}
            self.reports, self.report_documents = {}, {}
            # Amazon's accounts payable (payments.py): payment runs count from now.
            self.payments = PaymentBook(self.clock.now(),
                                        f"{int.from_bytes(os.urandom(3)) % 900000 + 100000}")
            if default_data:
                for po in generate_default_orders(self.rng, self.catalogue, self.clock.now()):
                    self.add_order(po)
            direct_fulfillment.install(self, default_data)  # DF orders, rules (own seed)

    def add_order(self, po):
        with self.lock:
            if po.number in self.orders:
                raise ValueError(f"purchase order {po.number} already exists")
            self.orders[po.number] = po
            keys = [(p.created, p.number) for p in self.order_list]
            self.order_list.insert(bisect.bisect(keys, (po.created, po.number)), po)

    def _configure_transactions(self):
        self.transactions.delay = self.settings["transaction_delay"]
        self.transactions.failure_rate = self.faults.transaction_failure_rate
        self.transactions.stay_processing = frozenset(self.settings["stay_processing"])

    def tick(self):
        """Let simulated time act: settle the transactions that are due."""
        with self.lock:
            self._configure_transactions()
            if self.transactions.pending:
                self.transactions.settle_due(self.clock.now())

    def settle_all(self):
        with self.lock:
            self._configure_transactions()
            return self.transactions.settle_due(self.clock.now(), everything=True)

    def accept(self, kind, body):
        """Queue an accepted document: 202 with Amazon's transactionId."""
        with self.lock:
            self.transactions.delay = self.settings["transaction_delay"]
            tx = self.transactions.submit(kind, body, self.clock.now())
            self.documents.append(tx)
        return 202, {"payload": {"transactionId": tx.id}}

    def describe_documents(self, kind=None):
        with self.lock:
            self.tick()
            return [tx.describe() for tx in self.documents if kind in (None, tx.kind)]

    def health(self):
        with self.lock:
            states = {}
            for po in self.order_list:
                states[po.state] = states.get(po.state, 0) + 1
            return {"simulator": True, "status": "ok", "now": iso(self.clock.now()),
                    "clockFrozen": self.clock.frozen, "seed": self.seed,
                    "purchaseOrders": len(self.order_list), "purchaseOrderStates": states,
                    "catalogueItems": len(self.catalogue),
                    "pendingTransactions": len(self.transactions.pending),
                    "remittances": len(self.payments.remittance_list),
                    "deductions": len(self.payments.claims),
                    "throttling": self.throttle.enabled,
                    "throttled": self.throttle.throttled(),
                    "requests": self.throttle.requests(),
                    "settings": copy.deepcopy(self.settings),
                    "faults": self.faults.describe(),
                    "edi": self.edi.describe() if self.edi is not None else None}
