from odoo import _, fields, models


class AmazonVendorDfAddress(models.Model):
    """The end customer's name, street and phone of a Direct Fulfillment order.

    Amazon gives them only with a Restricted Data Token; they are personal data. They live
    here, readable by Amazon Vendor managers only (the delivery partner on the order keeps the
    city, postal code and country), and are purged a number of days after delivery
    (account setting) or when a database is neutralized."""

    _name = "amazon.vendor.df.address"
    _description = "Amazon Direct Fulfillment Customer Address"

    order_id = fields.Many2one("sale.order", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="order_id.company_id", store=True, index=True)
    name = fields.Char(string="Customer")
    attention = fields.Char()
    street = fields.Char()
    street2 = fields.Char()
    phone = fields.Char()
    purged = fields.Boolean(readonly=True)
    purged_at = fields.Datetime(readonly=True)

    _sql_constraints = [
        ("order_unique", "unique(order_id)", "One customer address per order."),
    ]

    def _purge(self):
        self.write({"name": _("(purged)"), "attention": False, "street": False,
                    "street2": False, "phone": False, "purged": True,
                    "purged_at": fields.Datetime.now()})
