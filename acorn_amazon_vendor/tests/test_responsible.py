import datetime

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged

from .common_po import PurchaseOrderCase

USER = "acorn_amazon_vendor.group_amazon_vendor_user"
MANAGER = "acorn_amazon_vendor.group_amazon_vendor_manager"


@tagged("post_install", "-at_install")
class TestResponsibleAndOpenWork(PurchaseOrderCase):
    """New purchase orders go to the person of their fulfilment centre, else marketplace, else
    account; managers see the open Amazon work per person."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.by_account = new_test_user(cls.env, "resp_account", groups=USER)
        cls.by_marketplace = new_test_user(cls.env, "resp_market", groups=USER)
        cls.by_centre = new_test_user(cls.env, "resp_centre", groups=USER)
        cls.manager = new_test_user(cls.env, "resp_manager", groups=MANAGER)
        cls.account.write({"responsible_user_id": cls.by_account.id, "responsible_ids": [
            Command.create({"marketplace_id": cls.marketplace_us.id,
                            "user_id": cls.by_marketplace.id}),
            Command.create({"ship_to_code": "abe2", "user_id": cls.by_centre.id})]})

    def test_the_most_specific_rule_takes_the_new_orders_and_their_activities(self):
        self.assertIn("ABE2", self.account.responsible_ids.mapped("ship_to_code"),
                      "centre codes are kept in capitals, as Amazon sends them")
        self._po("PO0RS001", [(self._item(0), 5, "Eaches", 1), (self.unmapped, 2, "Eaches", 1)],
                 ship_to="ABE2")
        self._po("PO0RS002", [(self._item(1), 5, "Eaches", 1), (self.unmapped, 2, "Eaches", 1)],
                 ship_to="PHL4")
        orders = self._import()
        by_number = {o.amazon_vendor_po_number: o for o in orders}
        centre, marketplace = by_number["PO0RS001"], by_number["PO0RS002"]
        self.assertEqual(centre.user_id, self.by_centre, "the centre beats the marketplace")
        self.assertEqual(marketplace.user_id, self.by_marketplace,
                         "the marketplace (ship-to in the US) beats the account")
        # The to-do to map the unknown item is the order's responsible's.
        self.assertEqual(centre.activity_ids.user_id, self.by_centre)
        self.assertEqual(marketplace.activity_ids.user_id, self.by_marketplace)
        self.account.responsible_ids.filtered("marketplace_id").unlink()
        self._po("PO0RS003", [(self._item(0), 5, "Eaches", 1)], ship_to="PHL4")
        third = self._import().filtered(lambda o: o.amazon_vendor_po_number == "PO0RS003")
        self.assertEqual(third.user_id, self.by_account, "no rule matches: the account's")

    def test_a_rule_twice_or_for_a_foreign_marketplace_is_refused(self):
        with self.assertRaises(ValidationError):
            self.env["amazon.vendor.responsible"].create({
                "account_id": self.account.id, "ship_to_code": "ABE2",
                "user_id": self.by_account.id})
        with self.assertRaises(ValidationError):
            self.env["amazon.vendor.responsible"].create({
                "account_id": self.account.id, "user_id": self.by_account.id,
                "marketplace_id": self.env.ref("acorn_amazon_vendor.marketplace_ca").id})
        with self.assertRaises(AccessError):
            self.env["amazon.vendor.responsible"].with_user(self.by_account).create({
                "account_id": self.account.id, "ship_to_code": "PHL4",
                "user_id": self.by_account.id})

    def test_open_work_per_person_for_managers_only(self):
        self._po("PO0RS004", [(self.unmapped, 2, "Eaches", 1)], ship_to="ABE2")
        order = self._import()
        order.activity_schedule("mail.mail_activity_data_todo", user_id=self.by_centre.id,
                                summary="Call the carrier",
                                date_deadline=fields.Date.today() - datetime.timedelta(days=2))
        # Work outside Amazon is not counted.
        other = self.env["sale.order"].create({"partner_id": self.amazon_partner.id})
        other.activity_schedule("mail.mail_activity_data_todo", user_id=self.by_centre.id)
        self.env.flush_all()
        Work = self.env["amazon.vendor.open.work"].with_user(self.manager)
        work = Work.search([("user_id", "=", self.by_centre.id)])
        self.assertEqual(set(work.mapped("res_id")), {order.id})
        self.assertEqual(set(work.mapped("record_kind")), {"sale.order"})
        self.assertEqual(work.account_id, self.account)
        overdue = work.filtered("overdue")
        self.assertEqual(overdue.summary, "Call the carrier")
        self.assertEqual(overdue.state, "overdue")
        groups = Work.read_group([], ["user_id"], ["user_id"])
        self.assertIn((self.by_centre.id, 2),
                      [(g["user_id"][0], g["user_id_count"]) for g in groups])
        action = overdue.action_open_record()
        self.assertEqual((action["res_model"], action["res_id"]), ("sale.order", order.id))
        with self.assertRaises(AccessError):
            self.env["amazon.vendor.open.work"].with_user(self.by_centre).search([])
