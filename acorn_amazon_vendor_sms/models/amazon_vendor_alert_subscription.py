from odoo import api, fields, models


class AmazonVendorAlertSubscription(models.Model):
    _inherit = "amazon.vendor.alert.subscription"

    channel_sms = fields.Boolean(
        string="SMS", help="A text message to the user's mobile number (Odoo SMS credits).")

    @api.model
    def _channel_fields(self):
        return (*super()._channel_fields(), "channel_sms")

    @api.constrains("channel_sms")
    def _check_channel_sms(self):
        self._check_channel()
