"""Amazon's quotas shared by every Odoo worker and server: token buckets in PostgreSQL.

Each request takes one token from the bucket of its (account, operation) in a short
transaction of its own, so no business transaction ever holds the bucket's row lock.
"""
import logging
import time

from odoo import api, fields, models
from odoo.http import request

from ..lib.transport.errors import AmazonApiError
from ..lib.transport.pacing import memory_pacer
from ..lib.usage_plans import plan_for
from .autonomous_transaction import autonomous_cursor

_logger = logging.getLogger(__name__)
MAX_WAIT = 60.0  # seconds one request may wait for the shared bucket
# Seconds one run of a scheduled job (every account and batch it serves together,
# ir_cron.py) or one click (one HTTP request: a button sending 30 invoices opens 30 API
# sessions) may spend waiting in all; elsewhere (a shell, a script) one API session. Odoo
# stops a run that goes past its real-time limit (120 s by default: the threaded server even
# reloads itself), so a run whose quota is used up stops cleanly instead:
# its work is throttled and picked up by the next run, as after Amazon's own 429. (Several
# jobs due in the same polling pass each have their own budget.)
WAIT_BUDGET = 90.0


class WaitBudget:
    """Seconds waited so far, shared by the API sessions of one job run or one request."""

    def __init__(self):
        self.waited = 0.0


class AmazonVendorRateLimit(models.Model):
    _name = "amazon.vendor.rate.limit"
    _description = "Amazon Vendor Rate Limit Bucket"
    _log_access = False

    key = fields.Char(required=True, readonly=True,
                      help="Digest of the application and selling partner (never a secret).")
    operation = fields.Char(required=True, readonly=True)
    rate = fields.Float(required=True, readonly=True, help="Requests per second.")
    burst = fields.Float(required=True, readonly=True)
    tokens = fields.Float(required=True, readonly=True)
    updated_at = fields.Datetime(readonly=True)

    _sql_constraints = [("bucket_unique", "unique(key, operation)",
                         "One bucket per account and operation.")]

    @api.model
    def _amazon_vendor_pacer(self):
        # A batch outside Odoo's request and cron limits may allow itself a longer wait.
        budget = self.env.context.get("amazon_vendor_pacing_budget") or WAIT_BUDGET
        spent = self.env.context.get("amazon_vendor_wait_budget")
        if not isinstance(spent, WaitBudget) and request:
            # a person's click: Odoo's time limit covers the whole request, not each session
            spent = getattr(request, "_amazon_vendor_wait_budget", None)
            if not isinstance(spent, WaitBudget):
                spent = request._amazon_vendor_wait_budget = WaitBudget()
        return DatabasePacer(self.env.registry, budget=float(budget), spent=spent)


class DatabasePacer:
    """The transport's pacer (``take``/``observe``) over the table above."""

    TAKE = """
        WITH seed AS (
            INSERT INTO amazon_vendor_rate_limit (key, operation, rate, burst, tokens, updated_at)
            VALUES (%(key)s, %(operation)s, %(rate)s, %(burst)s, %(burst)s,
                    clock_timestamp() AT TIME ZONE 'UTC')
            ON CONFLICT (key, operation) DO NOTHING)
        UPDATE amazon_vendor_rate_limit
           SET tokens = LEAST(burst, tokens + rate * GREATEST(EXTRACT(EPOCH FROM
                   (clock_timestamp() AT TIME ZONE 'UTC') - updated_at), 0)) - 1,
               updated_at = clock_timestamp() AT TIME ZONE 'UTC'
         WHERE key = %(key)s AND operation = %(operation)s
     RETURNING tokens, rate
    """

    REFUND = """UPDATE amazon_vendor_rate_limit SET tokens = LEAST(burst, tokens + 1)
                 WHERE key = %(key)s AND operation = %(operation)s"""

    def __init__(self, registry, sleep=time.sleep, budget=WAIT_BUDGET, spent=None):
        self.registry = registry
        self.sleep = sleep
        self.budget = budget
        self.spent = spent if isinstance(spent, WaitBudget) else WaitBudget()

    @property
    def waited(self):
        return self.spent.waited

    def take(self, key, operation):
        rate, burst = plan_for(operation)
        params = {"key": key, "operation": operation, "rate": rate, "burst": burst}
        try:
            with autonomous_cursor(self.registry) as cr:
                cr.execute(self.TAKE, params)
                row = cr.fetchone()
                if row is None:  # the bucket was created by this very statement: retry once
                    cr.execute(self.TAKE, params)
                    row = cr.fetchone()
        except Exception as exc:  # noqa: BLE001 - pacing must never stop the exchange
            _logger.info("shared pacing unavailable (%s): pacing in this process only", exc)
            memory_pacer().take(key, operation)
            return
        tokens, rate = row
        if tokens < 0:
            # A rate Amazon announced near zero (or a crowded bucket) never parks a worker for
            # hours: Amazon's own 429 answer paces us beyond this.
            wait = min(-tokens / rate if rate > 0 else MAX_WAIT, MAX_WAIT)
            if self.waited + wait > self.budget:
                self._refund(params)
                raise AmazonApiError(
                    "throttled", f"Amazon's quota for {operation} is used up for now "
                    f"(this job run or click already waited {self.waited:.0f} s): the rest "
                    "waits for the next run", operation=operation, retry_after=wait,
                    may_have_arrived=False)
            self.spent.waited += wait
            self.sleep(wait)

    def _refund(self, params):
        """Give back the token of a request that will not be sent."""
        try:
            with autonomous_cursor(self.registry) as cr:
                cr.execute(self.REFUND, params)
        except Exception as exc:  # noqa: BLE001 - the bucket refills with time anyway
            _logger.info("could not give back a token of %s (%s)", params["operation"], exc)

    def observe(self, key, operation, rate):
        try:
            with autonomous_cursor(self.registry) as cr:
                cr.execute("""UPDATE amazon_vendor_rate_limit SET rate = %s
                               WHERE key = %s AND operation = %s AND rate != %s""",
                           (rate, key, operation, rate))
        except Exception as exc:  # noqa: BLE001
            _logger.info("could not record Amazon's rate for %s (%s)", operation, exc)
