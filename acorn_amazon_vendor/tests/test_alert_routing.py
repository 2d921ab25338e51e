import copy
import datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common_po import PurchaseOrderCase

USER = "acorn_amazon_vendor.group_amazon_vendor_user"
MANAGER = "acorn_amazon_vendor.group_amazon_vendor_manager"


@tagged("post_install", "-at_install")
class TestAlertRouting(PurchaseOrderCase):
    """Alert subscriptions decide who hears about which alert of which account, and how;
    without any, the account's Alert Users and Alert Emails do, as before."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")
        cls.ops = new_test_user(cls.env, "alert_ops", groups=USER, email="ops.lead@example.com")
        cls.finance = new_test_user(cls.env, "alert_fin", groups=USER,
                                    email="finance@example.com")
        cls.account.alert_emails = "amazon-ops@example.com"
        cls.other_account = cls._create_account("Amazon US 2 (test)",
                                                alert_emails="second@example.com")
        cls.Subscription = cls.env["amazon.vendor.alert.subscription"]

    def _subscribe(self, alert_type, user, account=None, **channels):
        return self.Subscription.create(dict({
            "alert_type": alert_type, "user_id": user.id,
            "account_id": account.id if account else False}, **channels))

    def _mails(self, record):
        return self.env["mail.mail"].search([("model", "=", record._name),
                                             ("res_id", "=", record.id)])

    def _deadline_alert(self):
        self._po("PO0AL001", [(self._item(0), 10, "Eaches", 1)], age_hours=2)
        order = self._import()
        with freeze_time(order.amazon_vendor_ack_deadline - datetime.timedelta(hours=3)):
            self.env["sale.order"]._cron_amazon_vendor_ack_deadlines()
        return order

    def test_without_subscriptions_the_alert_users_and_emails_are_alerted(self):
        # A subscription of another type changes nothing for this one.
        self._subscribe("asn_late", self.ops)
        order = self._deadline_alert()
        self.assertEqual(order.activity_ids.user_id, self.admin)
        self.assertEqual(self._mails(order).email_to, "amazon-ops@example.com")

    def test_account_subscription_replaces_the_default_on_its_channels_only(self):
        self._subscribe("ack_deadline", self.ops, self.account)  # activity (the default)
        self._subscribe("ack_deadline", self.finance, self.account,
                        channel_activity=False, channel_email=True)
        order = self._deadline_alert()
        activity = order.activity_ids
        self.assertEqual(activity.user_id, self.ops, "not the alert user any more")
        self.assertEqual(activity.activity_type_id,
                         self.env.ref("mail.mail_activity_data_warning"))
        self.assertIn("PO0AL001", activity.summary)
        self.assertEqual(self._mails(order).email_to, "finance@example.com",
                         "the subscribers' addresses, not the account's alert e-mails")

    def test_a_users_own_subscription_adds_them_without_silencing_the_others(self):
        # The warehouse user subscribes themselves (as the form allows a plain user to).
        self.Subscription.with_user(self.ops).create({
            "alert_type": "ack_deadline", "user_id": self.ops.id, "account_id": False,
            "channel_email": True})
        order = self._deadline_alert()
        self.assertEqual(order.activity_ids.user_id, self.admin | self.ops)
        self.assertEqual(sorted(self._mails(order).email_to.split(",")),
                         ["amazon-ops@example.com", "ops.lead@example.com"])

    def test_a_user_who_lost_the_amazon_group_hears_nothing_more(self):
        self._subscribe("ack_deadline", self.ops, self.account)
        self._subscribe("ack_deadline", self.finance, self.account)
        self.finance.groups_id = [Command.unlink(self.env.ref(USER).id)]
        order = self._deadline_alert()
        self.assertEqual(order.activity_ids.user_id, self.ops,
                         "no activity on a record they can no longer open")

    def test_subscription_of_another_account_leaves_this_one_alone(self):
        self._subscribe("ack_deadline", self.ops, self.other_account)
        order = self._deadline_alert()
        self.assertEqual(order.activity_ids.user_id, self.admin)
        self.assertEqual(self._mails(order).email_to, "amazon-ops@example.com")

    def test_all_accounts_subscription_covers_every_account_of_the_company(self):
        self._subscribe("invoice_refused", self.finance, channel_email=True)
        docs = self.env["amazon.vendor.document"]
        for account in (self.account, self.other_account):
            docs |= docs.create({"account_id": account.id, "kind": "invoice",
                                 "external_id": f"INV-{account.id}"})
        docs._amazon_vendor_alert("Amazon refused the invoice: netCost differs.")
        for doc in docs:
            self.assertEqual(doc.activity_ids.user_id, self.finance)
            self.assertIn("needs attention", doc.activity_ids.summary)
            self.assertEqual(self._mails(doc).email_to, "finance@example.com")
        # An archived subscription no longer counts: back to the account's alert users.
        self.Subscription.search([]).active = False
        doc = docs.create({"account_id": self.account.id, "kind": "invoice",
                           "external_id": "INV-LATER"})
        doc._amazon_vendor_alert("Refused again.")
        self.assertEqual(doc.activity_ids.user_id, self.admin)
        self.assertEqual(self._mails(doc).email_to, "amazon-ops@example.com")

    def test_each_alert_type_reaches_its_subscribers_only(self):
        self._subscribe("po_import_failed", self.ops)
        self._subscribe("asn_late", self.finance)
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 20)
        good = self._po("PO0AL002", [(item, 4, "Eaches", 1)])
        order = self._import()
        # A purchase order Odoo cannot take: "PO import failed" subscribers.
        bad = copy.deepcopy(good)
        bad["purchaseOrderNumber"] = "PO0BAD01"
        bad["orderDetails"]["purchaseOrderDate"] = "yesterday"
        self.account._upsert_purchase_orders([bad])
        doc = self.env["amazon.vendor.document"].search([("external_id", "=", "PO0BAD01")])
        doc._amazon_vendor_process_purchase_orders()
        self.assertEqual(doc.state, "failed")
        self.assertEqual(doc.activity_ids.user_id, self.ops)
        self.assertIn("needs attention", doc.activity_ids.summary)
        self.assertIn("still expects an acknowledgement", doc.activity_ids.note)
        # A late ASN: "ASN late" subscribers, by activity, never the alert user.
        order.action_amazon_vendor_propose()
        order.action_confirm()
        picking = self._deliver(order)
        picking._amazon_vendor_alert_late_asn()
        late = picking.activity_ids.filtered(lambda a: "Late ASN" in a.summary)
        self.assertEqual(late.user_id, self.finance)
        self.assertFalse(picking.activity_ids.filtered(lambda a: a.user_id == self.admin))

    def test_an_alert_raised_again_adds_no_second_activity(self):
        self._subscribe("invoice_refused", self.ops)
        doc = self.env["amazon.vendor.document"].create({
            "account_id": self.account.id, "kind": "credit_note", "external_id": "CN-1"})
        doc._amazon_vendor_alert("Refused.")
        doc._amazon_vendor_alert("Refused again.")
        self.assertEqual(len(doc.activity_ids), 1)
        doc.activity_ids.action_done()
        doc._amazon_vendor_alert("Refused a third time.")
        self.assertEqual(len(doc.activity_ids), 1, "a new one once the first is done")

    def test_a_user_manages_their_own_subscriptions_a_manager_everyone_s(self):
        manager = new_test_user(self.env, "alert_mgr", groups=MANAGER)
        theirs = self._subscribe("asn_late", self.finance)
        Subscription = self.Subscription.with_user(self.ops)
        mine = Subscription.create({"alert_type": "asn_late", "user_id": self.ops.id})
        mine.write({"channel_email": True})
        self.assertEqual(Subscription.search([("alert_type", "=", "asn_late")]), mine | theirs,
                         "everyone sees who is alerted")
        with self.assertRaises(AccessError):
            theirs.with_user(self.ops).write({"channel_email": True})
        with self.assertRaises(AccessError):
            theirs.with_user(self.ops).unlink()
        with self.assertRaises(AccessError):
            Subscription.create({"alert_type": "ack_deadline", "user_id": self.finance.id})
        theirs.with_user(manager).write({"channel_email": True})
        self.assertTrue(theirs.channel_email)
        mine.with_user(manager).unlink()
        self.assertFalse(mine.exists())

    def test_subscriptions_of_another_company_are_never_used_nor_seen(self):
        company_b = self.env["res.company"].create({"name": "Brand B Ltd"})
        user_b = new_test_user(self.env, "alert_b", groups=MANAGER, company_id=company_b.id,
                               company_ids=[Command.set(company_b.ids)])
        theirs = self.Subscription.with_user(user_b).with_company(company_b).create(
            {"alert_type": "ack_deadline", "user_id": user_b.id})
        self.assertEqual(theirs.company_id, company_b)
        ours = self._subscribe("asn_late", self.finance)
        order = self._deadline_alert()
        self.assertEqual(order.activity_ids.user_id, self.admin)
        self.assertEqual(self.Subscription.with_user(self.ops).search([]), ours)
        self.assertFalse(self.Subscription.with_user(user_b).search(
            [("id", "=", ours.id)]))

    def test_a_manager_sets_subscriptions_and_responsibles_on_the_account_form(self):
        manager = new_test_user(self.env, "alert_form_mgr", groups=MANAGER)
        with Form(self.account.with_user(manager)) as form:
            with form.alert_subscription_ids.new() as line:
                line.alert_type = "invoice_refused"
                line.user_id = self.finance
                line.channel_email = True
            with form.responsible_ids.new() as line:
                line.ship_to_code = " phl4 "
                line.user_id = self.ops
        subscription = self.account.alert_subscription_ids
        self.assertEqual((subscription.user_id, subscription.company_id),
                         (self.finance, self.account.company_id))
        self.assertTrue(subscription.channel_activity and subscription.channel_email)
        self.assertEqual(self.account.responsible_ids.ship_to_code, "PHL4")

    def test_an_import_that_fails_is_told_to_its_subscribers_once_per_outage(self):
        Account = self.env["amazon.vendor.account"]
        self.simulator_control("faults", {"forbidden": True})
        Account._cron_import_purchase_orders()
        self.assertIn("import failed", self.account.message_ids[0].body)
        self.assertFalse(self.account.activity_ids, "nobody subscribed: a chatter message only")
        self.assertFalse(self._mails(self.account))
        self.account.import_failure_alerted = False  # a fresh outage for this test
        self._subscribe("po_import_failed", self.ops, channel_email=True)
        for _run in range(2):
            self.account.last_import_at = False
            Account._cron_import_purchase_orders()
        activity = self.account.activity_ids
        self.assertEqual(activity.user_id, self.ops)
        self.assertIn("cannot be imported", activity.summary)
        self.assertEqual(len(self._mails(self.account)), 1, "told once, not every run")
        self.simulator_control("faults/clear")
        self.account.last_import_at = False
        Account._cron_import_purchase_orders()
        self.assertFalse(self.account.import_failure_alerted, "the outage is over")
        activity.action_done()
        self.simulator_control("faults", {"forbidden": True})
        self.account.last_import_at = False
        Account._cron_import_purchase_orders()
        self.assertEqual(self.account.activity_ids.user_id, self.ops, "a new outage is told")
        self.assertEqual(len(self._mails(self.account)), 2)
