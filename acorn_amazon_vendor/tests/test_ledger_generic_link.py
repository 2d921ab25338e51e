"""The ledger's link to business records is generic (res_model/res_id): orders, deliveries and
invoices are only its first users. A business document the addon has never heard of, added to
the registry for these tests by odoo-test-helper's FakeModelLoader, gets what they get: the
ledger row points to it and opens it, Amazon's outcome reaches its hook and its chatter, the
alert lands on it, a failing follow-up never rolls back Amazon's answer, and deleting it (or
uninstalling its model) leaves the ledger row and its history intact.
"""
from odoo_test_helper import FakeModelLoader

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from . import test_ledger
from .common import AmazonVendorCase

MODEL = "acorn.test.business.document"


@tagged("post_install", "-at_install")
class TestLedgerGenericLink(AmazonVendorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        # Imported only now, after the backup (see fake_business_models.py).
        from .fake_business_models import AcornTestBusinessDocument
        cls.loader.update_registry([AcornTestBusinessDocument])
        cls.addClassCleanup(cls._restore_registry)
        cls.admin = cls.env.ref("base.user_admin")
        cls.account.write({"alert_emails": "ops@example.com",
                           "alert_user_ids": [Command.set(cls.admin.ids)]})

    @classmethod
    def _restore_registry(cls):
        """Take the test model out again. On Odoo 18, odoo-test-helper 2.1.3 puts back each
        model's bases and ``_fields`` but leaves the field attributes of the registry classes
        out of step with them (about a hundred fields of sale.order, res.partner, mail.thread
        and the ledger, measured), and the registry's maps rebuilt for the fields of the test
        setup (dependencies, inverses, triggers). The registry is set up again from the
        restored classes, as after a module update: the test classes run after this one see
        a consistent registry (checked below)."""
        cls.loader.restore_registry()
        cls.registry.setup_models(cls.cr)
        assert MODEL not in cls.registry
        assert MODEL not in cls.registry["mail.thread"]._inherit_children
        for name in ("sale.order", "res.partner", "amazon.vendor.document"):
            model = cls.registry[name]
            assert all(getattr(model, fname) is field for fname, field in model._fields.items())
        total = cls.registry["sale.order"]._fields["amount_total"]
        assert cls.registry.field_depends[total], "dependencies known for the current fields"

    # The purchase order and acknowledgement helpers of the ledger tests (same simulator).
    def _open_purchase_order(self):
        return test_ledger.TestLedger._open_purchase_order(self)

    def _acknowledgement(self, order, refused=False):
        body = test_ledger.TestLedger._acknowledgement(self, order)
        if refused:
            body["acknowledgements"][0]["items"][0]["netCost"] = {"currencyCode": "USD",
                                                                  "amount": "0.01"}
        return body

    def _queue_for(self, record, refused=False):
        """An acknowledgement queued for ``record`` the way orders, deliveries and invoices
        queue theirs, and the business record itself."""
        order = self._open_purchase_order()
        return self.env["amazon.vendor.document"]._queue_outbound(
            self.account, "acknowledgement", order["purchaseOrderNumber"], record,
            self._acknowledgement(order, refused=refused))

    def _alerts(self, record):
        return self.env["mail.activity"].search([
            ("res_model", "=", record._name), ("res_id", "=", record.id)])

    # -- the link ---------------------------------------------------------------------------
    def test_ledger_row_points_to_the_record_and_opens_it(self):
        record = self.env[MODEL].create({"name": "BD-1"})
        doc = self._queue_for(record)
        self.assertEqual((doc.res_model, doc.res_id), (MODEL, record.id))
        self.assertEqual(doc._linked_record(), record)
        self.assertEqual(doc.action_open_record(), {
            "type": "ir.actions.act_window", "res_model": MODEL, "res_id": record.id,
            "view_mode": "form"})
        # The ledger of one business record is found by its link, whatever its model.
        self.assertEqual(self.env["amazon.vendor.document"].search(
            [("res_model", "=", MODEL), ("res_id", "=", record.id)]), doc)
        # The form shows the "Odoo record" button on linked rows.
        arch = doc.get_views([(False, "form")])["views"]["form"]["arch"]
        self.assertIn('name="action_open_record"', arch)

    # -- Amazon's outcome -------------------------------------------------------------------
    def test_amazon_outcome_and_alert_reach_the_record(self):
        record = self.env[MODEL].create({"name": "BD-2"})
        doc = self._queue_for(record, refused=True)
        doc._send_to_amazon()
        self.assertEqual(doc.state, "sent", doc.error_message)
        self.assertEqual(record.amazon_outcomes, "sent")
        self.simulator_control("transactions/settle")
        doc._poll_amazon_status()
        self.assertEqual(doc.state, "failed")
        self.assertIn("netCost", doc.error_message)
        self.assertEqual(record.amazon_outcomes, "sent,failed",
                         "the record follows its document to Amazon's answer")
        self.assertIn(f"Amazon: {doc.display_name} is failed.",
                      record.message_ids.mapped("body")[0])
        # The alert goes where people work: the business record, not the ledger row.
        alert = self._alerts(record)
        self.assertEqual(alert.user_id, self.admin)
        self.assertEqual(alert.summary, f"Amazon: {doc.display_name} needs attention")
        self.assertIn("netCost", str(alert.note))
        self.assertFalse(doc.activity_ids)
        # The e-mail describes the ledger document (its template is the document's).
        mail = self.env["mail.mail"].search([("model", "=", doc._name), ("res_id", "=", doc.id)])
        self.assertEqual(mail.email_to, "ops@example.com")

    def test_broken_follow_up_never_rolls_back_amazons_answer(self):
        record = self.env[MODEL].create({"name": "BD-3", "fail_on_settle": True})
        doc = self._queue_for(record)
        doc._send_to_amazon()
        self.assertEqual(doc.state, "sent", doc.error_message)
        self.assertTrue(doc.transaction_id)
        # The hook wrote, then broke: its write is undone, Amazon's answer is kept.
        self.assertFalse(record.amazon_outcomes)
        self.assertIn("updating BD-3 failed: ValueError: the follow-up of this record broke",
                      " ".join(doc.message_ids.mapped("body")))
        doc.action_mark_received_by_amazon()
        self.assertEqual(doc.state, "accepted")
        record.fail_on_settle = False
        doc.action_resend()  # acknowledgements may be sent again once accepted
        self.assertEqual(doc.state, "to_send")
        doc.action_cancel()
        self.assertEqual((doc.state, record.amazon_outcomes), ("cancelled", "cancelled"))

    # -- the record goes away ---------------------------------------------------------------
    def test_deleted_record_leaves_the_ledger_row_intact(self):
        record = self.env[MODEL].create({"name": "BD-4"})
        record_id = record.id
        doc = self._queue_for(record, refused=True)
        doc._send_to_amazon()
        self.assertEqual(doc.state, "sent", doc.error_message)
        history = len(doc.message_ids)
        # Deleted while Amazon is still processing its document.
        record.unlink()
        self.assertTrue(doc.exists())
        self.assertEqual((doc.res_model, doc.res_id), (MODEL, record_id),
                         "the ledger keeps which record the document was sent for")
        self.assertFalse(doc._linked_record())
        self.simulator_control("transactions/settle")
        doc._poll_amazon_status()
        self.assertEqual(doc.state, "failed", "Amazon's answer is recorded all the same")
        self.assertGreaterEqual(len(doc.message_ids), history)
        # With nowhere else to go, the alert lands on the ledger row itself.
        alert = doc.activity_ids
        self.assertEqual((alert.user_id, alert.summary),
                         (self.admin, f"Amazon: {doc.display_name} needs attention"))
        self.assertFalse(self.env["mail.activity"].search(
            [("res_model", "=", MODEL), ("res_id", "=", record_id)]))
        self.assertFalse(doc.message_ids.filtered(lambda m: "failed" in (m.body or "")
                                                  and "updating" in (m.body or "")),
                         "no follow-up is attempted on a record that is gone")
        with self.assertRaises(UserError):
            doc.action_open_record()

    def test_model_no_longer_installed_leaves_the_ledger_row_intact(self):
        doc = self.env["amazon.vendor.document"].create({
            "account_id": self.account.id, "kind": "invoice", "external_id": "INV-GONE-1",
            "res_model": "acorn.test.uninstalled.model", "res_id": 7})
        self.assertIsNone(doc._linked_record())
        doc.action_cancel()  # tells the linked record, if any: nothing to tell here
        self.assertEqual(doc.state, "cancelled")
        self.assertEqual((doc.res_model, doc.res_id), ("acorn.test.uninstalled.model", 7))
