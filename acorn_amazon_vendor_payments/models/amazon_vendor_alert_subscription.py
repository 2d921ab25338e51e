from odoo import fields, models


class AmazonVendorAlertSubscription(models.Model):
    _inherit = "amazon.vendor.alert.subscription"

    alert_type = fields.Selection(
        selection_add=[("payment_past_due", "Invoice past due, unpaid by Amazon")],
        ondelete={"payment_past_due": "cascade"})
