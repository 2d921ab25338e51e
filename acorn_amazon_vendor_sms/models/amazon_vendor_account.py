from markupsafe import Markup

from odoo import _, models
from odoo.tools import html2plaintext

SMS_BODY_LIMIT = 320  # two SMS segments: the summary and the start of the reason


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    def _amazon_vendor_alert_sms(self, subscriptions, record, summary, message):
        """Queue one SMS per subscribed user to their contact's mobile (sent by the SMS queue
        cron through Odoo's SMS service); a user without a valid mobile is skipped with a note
        on the record's chatter (the account's when there is no record)."""
        result = super()._amazon_vendor_alert_sms(subscriptions, record, summary, message)
        users = subscriptions.filtered("channel_sms").user_id
        if not users:
            return result
        text = html2plaintext(message) if isinstance(message, Markup) else str(message or "")
        body = f"{summary}\n{text}".strip()
        if len(body) > SMS_BODY_LIMIT:
            body = body[:SMS_BODY_LIMIT - 1].rstrip() + "…"
        values, skipped = [], []
        for user in users:
            partner = user.partner_id
            # The mobile, else the phone (many users keep their only number there).
            raw = partner.mobile or partner.phone
            number = raw and partner._phone_format(number=raw)
            if number:
                values.append({"number": number, "body": body, "partner_id": partner.id,
                               "state": "outgoing"})
            else:
                skipped.append(user)
        self.env["sms.sms"].sudo().create(values)
        if skipped:
            target = record if record is not None and hasattr(record, "message_post") else self
            target.sudo().message_post(body=_(
                "SMS alert \"%(summary)s\" not sent to %(users)s: no valid mobile number on "
                "their contact.", summary=summary, users=", ".join(u.name for u in skipped)))
        return True
