from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from . import test_asn


@tagged("post_install", "-at_install")
class TestOperationLog(test_asn.ShipmentCase):
    """Every action on an Amazon document, done through the real buttons against the
    simulator, leaves a row telling who did what to which record, and when."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.clerk = new_test_user(cls.env, "av_log_clerk", groups=(
            "acorn_amazon_vendor.group_amazon_vendor_user,sales_team.group_sale_salesman_all_leads,"
            "stock.group_stock_user"))
        cls.manager = new_test_user(cls.env, "av_log_manager", groups=(
            "acorn_amazon_vendor.group_amazon_vendor_manager,sales_team.group_sale_manager,"
            "stock.group_stock_user,account.group_account_invoice"))

    def _rows(self, since):
        return self.env["amazon.vendor.operation"].search([("id", ">", since)], order="id")

    def _last_id(self):
        return self.env["amazon.vendor.operation"].search([], limit=1, order="id desc").id or 0

    def test_acknowledge_approve_send_resend_cancel_are_logged(self):
        self.account.ack_requires_approval = True
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 100)
        self._po("PO000001", [(item, 10, "Eaches", 1)])
        order = self._import()
        start, started_at = self._last_id(), fields.Datetime.now()
        order.with_user(self.clerk).action_amazon_vendor_reprocess()
        order.action_amazon_vendor_propose()

        order.with_user(self.clerk).action_confirm()
        order.with_user(self.manager).action_amazon_vendor_approve()
        order.with_user(self.clerk).action_confirm()
        ack = order.amazon_vendor_document_id.search(
            [("kind", "=", "acknowledgement"), ("external_id", "=", "PO000001")])
        self.assertEqual(ack.state, "sent", ack.error_message)

        picking = order.picking_ids
        self._pack_and_validate(picking, [picking.move_ids.product_id])
        picking.with_user(self.manager).action_amazon_vendor_send_asn()
        asn = picking.amazon_vendor_asn_document_id
        self.assertEqual(asn.state, "sent", asn.error_message)

        self.simulator_control("purchase-orders/PO000001/receive", {"all": True})
        move = order._create_invoices()
        move.action_post()
        move.with_user(self.manager).action_amazon_vendor_send()
        invoice = move.amazon_vendor_document_id
        self.assertEqual(invoice.state, "sent", invoice.error_message)

        stray = self.env["amazon.vendor.document"].create({
            "account_id": self.account.id, "kind": "invoice", "external_id": "INV/LOG/1"})
        stray._send_to_amazon()  # no payload: failed
        stray.with_user(self.manager).action_resend()
        stray.with_user(self.manager).action_cancel()

        rows = self._rows(start)
        root = self.env.user
        self.assertEqual([(r.operation, r.user_id, r.res_model, r.res_id, r.document_id,
                           r.document_state) for r in rows], [
            ("reprocessed", self.clerk, "sale.order", order.id, order.amazon_vendor_document_id,
             "processed"),
            ("approval_requested", self.clerk, "sale.order", order.id, order.env[
                "amazon.vendor.document"], False),
            ("approved", self.manager, "sale.order", order.id, order.env[
                "amazon.vendor.document"], False),
            ("acknowledged", self.clerk, "sale.order", order.id, ack, "sent"),
            # validating queued the ASN, posting the invoice (then sent by hand)
            ("queued", root, "stock.picking", picking.id, asn, "to_send"),
            ("sent", self.manager, "stock.picking", picking.id, asn, "sent"),
            ("queued", root, "account.move", move.id, invoice, "to_send"),
            ("sent", self.manager, "account.move", move.id, invoice, "sent"),
            ("resent", self.manager, "amazon.vendor.document", stray.id, stray, "to_send"),
            ("cancelled", self.manager, "amazon.vendor.document", stray.id, stray,
             "cancelled"),
        ])
        self.assertEqual(rows[1].external_id, "PO000001")
        self.assertEqual(rows[3].document_kind, "acknowledgement")
        self.assertEqual(rows[5].reference, picking.name)
        self.assertEqual(rows[7].external_id, move.name)
        self.assertTrue(all(started_at <= r.date <= fields.Datetime.now()
                            and r.account_id == self.account for r in rows))
        self.assertEqual(set(rows.company_id), {self.env.company})
        # newest first, and the row opens the record acted on
        log = self.env["amazon.vendor.operation"].with_user(self.clerk).search(
            [("id", "in", rows.ids)])
        self.assertEqual(log[0], rows[-1])
        action = log.filtered(lambda r: r.res_model == "stock.picking")[:1].action_open_record()
        self.assertEqual((action["res_model"], action["res_id"]), ("stock.picking", picking.id))
        self.assertEqual(log.filtered(lambda r: r.operation == "acknowledged")
                         .action_open_record()["res_id"], order.id)

    def test_what_odoo_queues_and_the_send_job_sends_is_logged(self):
        """Posting queues the invoice (the poster's "queued" row), the send job sends it
        (a "sent" row by the job's user); a validated delivery queues its ASN."""
        item = self._item(0)
        self._stock(self.products[item["vendor_sku"]], 100)
        self._po("PO000002", [(item, 4, "Eaches", 1)])
        order = self._import()
        order.action_amazon_vendor_propose()
        order.action_confirm()
        start = self._last_id()
        picking = order.picking_ids
        self._pack_and_validate(picking.with_user(self.manager), [picking.move_ids.product_id])
        asn = picking.amazon_vendor_asn_document_id
        self.simulator_control("purchase-orders/PO000002/receive", {"all": True})
        move = order._create_invoices()
        move.with_user(self.manager).action_post()
        invoice = move.amazon_vendor_document_id
        self.assertEqual((asn.state, invoice.state), ("to_send", "to_send"))
        cron_user = self.env.ref("base.user_root")
        self.env["amazon.vendor.document"].with_user(cron_user)._cron_send_documents()
        self.assertEqual((asn.state, invoice.state), ("sent", "sent"))
        rows = self._rows(start)
        self.assertEqual([(r.operation, r.user_id, r.res_model, r.res_id, r.document_id,
                           r.document_state) for r in rows], [
            ("queued", self.manager, "stock.picking", picking.id, asn, "to_send"),
            ("queued", self.manager, "account.move", move.id, invoice, "to_send"),
            ("sent", cron_user, "amazon.vendor.document", asn.id, asn, "sent"),
            ("sent", cron_user, "amazon.vendor.document", invoice.id, invoice, "sent"),
        ])

    def test_log_is_read_only_and_per_company(self):
        stray = self.env["amazon.vendor.document"].create({
            "account_id": self.account.id, "kind": "invoice", "external_id": "INV/LOG/2"})
        stray._send_to_amazon()
        stray.with_user(self.manager).action_cancel()
        row = self.env["amazon.vendor.operation"].search([("document_id", "=", stray.id)])
        self.assertEqual((row.operation, row.user_id), ("cancelled", self.manager))
        for user in (self.clerk, self.manager):
            with self.assertRaises(AccessError):
                row.with_user(user).write({"operation": "sent"})
            with self.assertRaises(AccessError):
                row.with_user(user).unlink()
        other_company = self.env["res.company"].create({"name": "Other Brand Ltd"})
        outsider = new_test_user(
            self.env, "av_log_outsider", groups="acorn_amazon_vendor.group_amazon_vendor_manager",
            company_id=other_company.id, company_ids=[Command.set(other_company.ids)])
        self.assertFalse(self.env["amazon.vendor.operation"].with_user(outsider).search(
            [("id", "=", row.id)]))
