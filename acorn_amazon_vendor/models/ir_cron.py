from odoo import models

from .amazon_vendor_rate_limit import WaitBudget


class IrCron(models.Model):
    _inherit = "ir.cron"

    def _add_progress(self, *, timed_out_counter=None):
        """Every run of a job (scheduled or "Run Manually") gets one budget of seconds to wait
        for Amazon's quotas, shared by all the accounts it serves and by the batches Odoo runs
        within it (it calls this before each batch, passing the cron it returned): Odoo's
        real-time limit covers the whole run, not each account."""
        cron, progress = super()._add_progress(timed_out_counter=timed_out_counter)
        budget = self.env.context.get("amazon_vendor_wait_budget")
        if not isinstance(budget, WaitBudget):
            budget = WaitBudget()
        return cron.with_context(amazon_vendor_wait_budget=budget), progress
