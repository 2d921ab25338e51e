from odoo import fields, models


class AmazonVendorAlertSubscription(models.Model):
    _inherit = "amazon.vendor.alert.subscription"

    alert_type = fields.Selection(
        selection_add=[("df_ship_by", "Direct Fulfillment ship-by date"),
                       ("df_deliver_by", "Direct Fulfillment delivery promise")],
        ondelete={"df_ship_by": "cascade", "df_deliver_by": "cascade"})
