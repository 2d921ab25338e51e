from odoo import models

from .amazon_vendor_rate_limit import WaitBudget


class IrCron(models.Model):
    _inherit = "ir.cron"

    def _add_progress(self, *, timed_out_counter=None):
        """Every run of a job (scheduled or "Run Manually") gets one budget of seconds to wait
        for Amazon's quotas, shared by all the accounts it serves: Odoo's time limit is per
        job, not per account."""
        cron, progress = super()._add_progress(timed_out_counter=timed_out_counter)
        return cron.with_context(amazon_vendor_wait_budget=WaitBudget()), progress
