from odoo import fields, models


class AmazonVendorReportInventory(models.Model):
    """Amazon's stock and open orders for one ASIN over one period, as one report gave them."""
    _name = "amazon.vendor.report.inventory"
    _description = "Amazon Inventory (Report Row)"
    _order = "end_date desc, asin"
    _inherit = "amazon.vendor.report.row"

    start_date = fields.Date(required=True, readonly=True)
    end_date = fields.Date(required=True, index=True, readonly=True)
    sellable_on_hand_units = fields.Float(string="Amazon On Hand", readonly=True)
    open_po_units = fields.Float(string="Open PO Units", readonly=True)
    net_received_units = fields.Float(string="Received", readonly=True)
    confirmation_rate = fields.Float(readonly=True)
    lead_time_days = fields.Float(string="Vendor Lead Time (days)", readonly=True)
    sell_through_rate = fields.Float(string="Sell-through Rate", readonly=True)
    unfilled_units = fields.Float(string="Unfilled Customer Units", readonly=True)
