from odoo import _, fields, models


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    dashboard_stockout_risk = fields.Integer(compute="_compute_dashboard_stockout_risk")

    def _compute_dashboard_stockout_risk(self):
        counts = dict(self.env["amazon.vendor.forecast.plan"]._read_group(
            [("company_id", "in", self.company_id.ids), ("stockout_risk", "=", True)],
            ["company_id"], ["__count"]))
        for account in self:
            account.dashboard_stockout_risk = counts.get(account.company_id, 0)

    def action_dashboard_open_stockouts(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "acorn_amazon_vendor_forecast.action_amazon_vendor_forecast_plan")
        action["domain"] = [("company_id", "=", self.company_id.id),
                            ("stockout_risk", "=", True)]
        action["name"] = _("Stock-out risks")
        action["context"] = {}
        return action
