import datetime

from freezegun import freeze_time

from odoo.addons.acorn_amazon_vendor.tests.common_po import PurchaseOrderCase
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

USER = "acorn_amazon_vendor.group_amazon_vendor_user"


@tagged("post_install", "-at_install")
class TestSmsAlerts(PurchaseOrderCase):
    """With Odoo's sms module, a subscription may ask for an SMS: it is queued to the user's
    mobile for the SMS cron (never sent from here), or skipped with a note without one."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.driver = new_test_user(cls.env, "sms_ops", groups=USER)
        cls.driver.partner_id.write({"mobile": "+1 415-555-0123",
                                     "country_id": cls.env.ref("base.us").id})
        cls.no_mobile = new_test_user(cls.env, "sms_nomobile", groups=USER)
        cls.Subscription = cls.env["amazon.vendor.alert.subscription"]

    def _deadline_alert(self):
        self._po("PO0SMS01", [(self._item(0), 10, "Eaches", 1)], age_hours=2)
        order = self._import()
        with freeze_time(order.amazon_vendor_ack_deadline - datetime.timedelta(hours=3)):
            self.env["sale.order"]._cron_amazon_vendor_ack_deadlines()
        return order

    def test_sms_subscription_queues_an_sms_to_the_users_mobile_only(self):
        self.Subscription.create([
            {"alert_type": "ack_deadline", "user_id": self.driver.id,
             "channel_activity": False, "channel_sms": True},
            {"alert_type": "asn_late", "user_id": self.no_mobile.id, "channel_sms": True}])
        before = self.env["sms.sms"].search([])
        order = self._deadline_alert()
        sms = self.env["sms.sms"].search([]) - before
        self.assertEqual(len(sms), 1)
        partner = self.driver.partner_id
        self.assertEqual(sms.number, partner._phone_format(number=partner.mobile),
                         "the mobile as Odoo formats it for SMS (E.164 with phonenumbers)")
        self.assertEqual("".join(c for c in sms.number if c.isdigit()), "14155550123")
        self.assertEqual(sms.partner_id, self.driver.partner_id)
        self.assertEqual(sms.state, "outgoing", "queued for the SMS cron, never sent here")
        self.assertTrue(sms.body.startswith("Acknowledge Amazon PO PO0SMS01\n"), sms.body)
        self.assertIn("late acknowledgements cause chargebacks", sms.body)
        self.assertFalse(order.activity_ids, "SMS only: no activity, not the alert user's")

    def test_a_user_without_mobile_is_skipped_with_a_note(self):
        self.Subscription.create({"alert_type": "ack_deadline", "user_id": self.no_mobile.id,
                                  "channel_sms": True})
        before = self.env["sms.sms"].search([])
        order = self._deadline_alert()
        self.assertFalse(self.env["sms.sms"].search([]) - before)
        self.assertEqual(order.activity_ids.user_id, self.no_mobile, "the other channel works")
        notes = order.message_ids.filtered(lambda m: "SMS alert" in (m.body or ""))
        self.assertEqual(len(notes), 1)
        self.assertIn("no valid mobile number", notes.body)
        self.assertIn(self.no_mobile.name, notes.body)

    def test_a_subscription_needs_a_channel(self):
        with self.assertRaises(ValidationError):
            self.Subscription.create({"alert_type": "asn_late", "user_id": self.driver.id,
                                      "channel_activity": False})
        subscription = self.Subscription.create({
            "alert_type": "asn_late", "user_id": self.driver.id, "channel_activity": False,
            "channel_sms": True})
        self.assertTrue(subscription.channel_sms)
