from odoo import fields, models


class AmazonVendorReportForecast(models.Model):
    """One week of Amazon's sell-through forecast for one ASIN, as one report delivered it."""
    _name = "amazon.vendor.report.forecast"
    _description = "Amazon Forecast (Report Row)"
    _order = "generation_date desc, asin, week_start"
    _inherit = "amazon.vendor.report.row"

    generation_date = fields.Date(string="Generated On", required=True, index=True,
                                  readonly=True)
    week_start = fields.Date(required=True, readonly=True)
    week_end = fields.Date(readonly=True)
    mean_units = fields.Float(string="Mean", readonly=True)
    p70_units = fields.Float(string="P70", readonly=True)
    p80_units = fields.Float(string="P80", readonly=True)
    p90_units = fields.Float(string="P90", readonly=True)
