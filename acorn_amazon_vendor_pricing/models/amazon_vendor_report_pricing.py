from odoo import fields, models


class AmazonVendorReportMargin(models.Model):
    """Amazon's net pure product margin of one ASIN over one period (NPPM report row)."""
    _name = "amazon.vendor.report.margin"
    _description = "Amazon Net PPM (Report Row)"
    _order = "end_date desc, asin"
    _inherit = "amazon.vendor.report.row"

    start_date = fields.Date(required=True, readonly=True)
    end_date = fields.Date(required=True, index=True, readonly=True)
    net_ppm = fields.Float(string="Net PPM (%)", readonly=True, digits=(16, 2))


class AmazonVendorReportHourlySales(models.Model):
    """Amazon's customer orders of one ASIN over one hour (Real-Time Sales report row)."""
    _name = "amazon.vendor.report.hourly.sales"
    _description = "Amazon Hourly Sales (Report Row)"
    _order = "start_time desc, asin"
    _inherit = "amazon.vendor.report.row"

    start_time = fields.Datetime(required=True, index=True, readonly=True)
    end_time = fields.Datetime(required=True, readonly=True)
    ordered_units = fields.Float(readonly=True)
    ordered_revenue = fields.Float(readonly=True)


class AmazonVendorReportSales(models.Model):
    _inherit = "amazon.vendor.report.sales"

    ordered_revenue = fields.Float(readonly=True)
    shipped_cogs = fields.Float(string="Shipped COGS", readonly=True,
                                help="What Amazon paid for the units it shipped.")
