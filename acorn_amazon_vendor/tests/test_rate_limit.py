"""Amazon's quota is shared through PostgreSQL: every worker (here: two pacers, as two
processes would hold) takes from the same bucket, and Amazon's rate header wins."""
import werkzeug.test

from odoo import http
from odoo.tests import tagged

from ..lib.transport.errors import AmazonApiError
from ..models.amazon_vendor_rate_limit import MAX_WAIT, WAIT_BUDGET, DatabasePacer, WaitBudget
from .common import AmazonVendorCase


@tagged("post_install", "-at_install")
class TestSharedRateLimit(AmazonVendorCase):
    def _pacers(self):
        waits = []
        return waits, [DatabasePacer(self.env.registry, sleep=waits.append) for _i in range(2)]

    def test_two_workers_share_one_bucket(self):
        waits, (first, second) = self._pacers()
        key = "test-key-shared"
        for index in range(10):  # Amazon's burst for getPurchaseOrders: 10
            (first if index % 2 else second).take(key, "getPurchaseOrders")
        self.assertEqual(waits, [], "the burst passes at once")
        first.take(key, "getPurchaseOrders")
        second.take(key, "getPurchaseOrders")
        self.assertEqual(len(waits), 2, "the 11th and 12th request wait, whichever worker")
        self.assertAlmostEqual(waits[0], 0.1, delta=0.05)
        self.assertAlmostEqual(waits[1], 0.2, delta=0.05, msg="the second queues behind the first")
        bucket = self.env["amazon.vendor.rate.limit"].search([("key", "=", key)])
        self.assertEqual((bucket.operation, bucket.rate, bucket.burst),
                         ("getPurchaseOrders", 10.0, 10.0))

    def test_operations_and_accounts_have_their_own_buckets(self):
        waits, (pacer, _other) = self._pacers()
        for _i in range(10):
            pacer.take("account-a", "getPurchaseOrders")
        pacer.take("account-a", "getTransaction")
        pacer.take("account-b", "getPurchaseOrders")
        self.assertEqual(waits, [])

    def test_amazons_rate_header_slows_every_worker(self):
        waits, (first, second) = self._pacers()
        key = "test-key-header"
        first.take(key, "submitInvoices")
        second.observe(key, "submitInvoices", 0.5)
        for _i in range(9):
            first.take(key, "submitInvoices")
        self.assertEqual(waits, [])
        second.take(key, "submitInvoices")
        self.assertAlmostEqual(waits[0], 2.0, delta=0.1)

    def test_a_rate_near_zero_never_parks_a_worker_for_hours(self):
        waits, (first, second) = self._pacers()
        key = "test-key-crawl"
        first.take(key, "submitInvoices")
        second.observe(key, "submitInvoices", 0.0001)
        for _i in range(10):
            first.take(key, "submitInvoices")
        self.assertTrue(waits)
        self.assertEqual(max(waits), MAX_WAIT, "capped, Amazon's 429 paces beyond")

    def test_a_run_whose_quota_is_used_up_stops_instead_of_outliving_odoos_time_limit(self):
        waits = []
        pacer = DatabasePacer(self.env.registry, sleep=waits.append)
        key = "test-key-budget"
        # createReport: one a minute after a burst of 15 (Amazon's published plan).
        for _i in range(15):
            pacer.take(key, "createReport")
        pacer.take(key, "createReport")
        self.assertAlmostEqual(waits[0], 60.0, delta=1.0)
        bucket = self.env["amazon.vendor.rate.limit"].search([("key", "=", key)])
        before = bucket.tokens
        with self.assertRaises(AmazonApiError) as caught:
            pacer.take(key, "createReport")  # a second minute would pass the run's budget
        self.assertEqual(len(waits), 1, "no second wait")
        self.assertLessEqual(sum(waits), WAIT_BUDGET)
        error = caught.exception
        self.assertEqual((error.kind, error.operation), ("throttled", "createReport"))
        self.assertTrue(error.retryable)
        self.assertFalse(error.outcome_unknown, "nothing was sent")
        bucket.invalidate_recordset()
        self.assertAlmostEqual(bucket.tokens, before, delta=0.05,
                               msg="the request not sent gives its token back")
        # A new run (a new session) has its own budget.
        fresh = DatabasePacer(self.env.registry, sleep=waits.append)
        fresh.take(key, "createReport")
        self.assertEqual(len(waits), 2)

    def test_one_job_shares_its_budget_across_its_accounts(self):
        """A cron serving several throttled accounts waits 90 s in all, not 90 s each."""
        waits = []
        job = WaitBudget()
        first, second = (DatabasePacer(self.env.registry, sleep=waits.append, spent=job)
                         for _i in range(2))
        for key, pacer in (("test-key-job-1", first), ("test-key-job-2", second)):
            for _i in range(15):  # createReport: a burst of 15, then one a minute
                pacer.take(key, "createReport")
        first.take("test-key-job-1", "createReport")
        self.assertEqual(len(waits), 1)
        with self.assertRaises(AmazonApiError) as caught:
            second.take("test-key-job-2", "createReport")  # the job's budget is spent
        self.assertEqual(caught.exception.kind, "throttled")
        self.assertEqual((len(waits), job.waited), (1, waits[0]))
        # the pacer of an account's API session reads the job's budget from the context
        Bucket = self.env["amazon.vendor.rate.limit"].with_context(amazon_vendor_wait_budget=job)
        self.assertIs(Bucket._amazon_vendor_pacer().spent, job)
        self.assertIsNot(self.env["amazon.vendor.rate.limit"]._amazon_vendor_pacer().spent, job)
        # every run of a job, scheduled or manual, gets a budget of its own, kept by the
        # batches Odoo runs within it (it passes the cron _add_progress returned to the next)
        cron = self.env.ref("acorn_amazon_vendor.ir_cron_import_purchase_orders")
        runs = [cron._add_progress()[0] for _i in range(2)]
        budgets = [run.env.context.get("amazon_vendor_wait_budget") for run in runs]
        self.assertTrue(all(isinstance(budget, WaitBudget) for budget in budgets))
        self.assertIsNot(budgets[0], budgets[1])
        next_batch = runs[0]._add_progress()[0]
        self.assertIs(next_batch.env.context.get("amazon_vendor_wait_budget"), budgets[0])

    def test_one_click_shares_its_budget_across_its_api_sessions(self):
        """A button sending 30 invoices opens an API session per invoice: within one HTTP
        request they all share one budget (Odoo's time limit covers the request)."""
        Bucket = self.env["amazon.vendor.rate.limit"]
        outside = Bucket._amazon_vendor_pacer().spent
        self.assertIsNot(Bucket._amazon_vendor_pacer().spent, outside,
                         "outside a request (a shell, a script): one budget per session")
        budgets = []
        for _click in range(2):
            environ = werkzeug.test.EnvironBuilder(path="/web/dataset/call_button").get_environ()
            http._request_stack.push(http.Request(http.HTTPRequest(environ)))
            try:
                first, second = Bucket._amazon_vendor_pacer(), Bucket._amazon_vendor_pacer()
            finally:
                http._request_stack.pop()
            self.assertIsInstance(first.spent, WaitBudget)
            self.assertIs(first.spent, second.spent, "the sessions of one click share it")
            budgets.append(first.spent)
        self.assertIsNot(budgets[0], budgets[1], "the next click has its own")
        job = WaitBudget()  # a job's budget in the context wins, request or not
        environ = werkzeug.test.EnvironBuilder(path="/web").get_environ()
        http._request_stack.push(http.Request(http.HTTPRequest(environ)))
        try:
            pacer = Bucket.with_context(amazon_vendor_wait_budget=job)._amazon_vendor_pacer()
        finally:
            http._request_stack.pop()
        self.assertIs(pacer.spent, job)

    def test_a_batch_outside_odoos_limits_may_wait_longer(self):
        Bucket = self.env["amazon.vendor.rate.limit"]
        self.assertEqual(Bucket._amazon_vendor_pacer().budget, WAIT_BUDGET)
        pacer = Bucket.with_context(amazon_vendor_pacing_budget=900)._amazon_vendor_pacer()
        self.assertEqual(pacer.budget, 900.0)

    def test_the_accounts_api_paces_through_the_database(self):
        with self.account._amazon_vendor_api() as api:
            api.get_purchase_order_status("NOSUCHPO")
        buckets = self.env["amazon.vendor.rate.limit"].search([
            ("operation", "=", "getPurchaseOrdersStatus")])
        self.assertEqual(len(buckets), 1)
        self.assertLess(buckets.tokens, buckets.burst, "the request took its token")
