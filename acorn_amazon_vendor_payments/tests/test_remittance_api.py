"""Amazon's payments read through the real transport from the simulator: the whole cycle from a
delivery Amazon received short to the payment booked, the shortage claim disputed and given
back, and Amazon's status on the invoice."""
import datetime

from odoo.addons.acorn_amazon_vendor.lib.amazon_dates import parse_date_time
from odoo.addons.acorn_amazon_vendor.tests.test_asn import ShipmentCase
from odoo.tests import new_test_user, tagged

from .common import PaymentsCase

DAY = 86400


@tagged("post_install", "-at_install")
class TestRemittanceApi(PaymentsCase, ShipmentCase):
    def _shipped_and_invoiced(self, number, index=0, quantity=6):
        item = self._item(index)
        order = self._confirmed(number, [(item, quantity, "Eaches", 1)])
        self._pack_and_validate(order.picking_ids, [[self.products[item["vendor_sku"]]]])
        asn = order.picking_ids.amazon_vendor_asn_document_id
        asn._send_to_amazon()
        self._settle(asn)
        self.assertEqual(asn.state, "accepted", asn.error_message)
        move = order._create_invoices()
        move.action_post()
        document = move.amazon_vendor_document_id
        document._send_to_amazon()
        self._settle(document)
        self.assertEqual(document.state, "accepted", document.error_message)
        return order, move

    def _advance(self, days):
        reply = self.simulator_control("clock", {"advance": days * DAY})
        return parse_date_time(reply["now"]).replace(tzinfo=None)

    def test_a_short_delivery_paid_claimed_disputed_and_given_back(self):
        # Every carton arrives short; lines come one per page to read every page.
        self.simulator_control("settings", {"shortage_rate": 1.0, "finance_page_sizes": {
            "remittances": 1, "remittance_items": 1}})
        order, invoice = self._shipped_and_invoiced("PAYAPI01")
        other_order, other = self._shipped_and_invoiced("PAYAPI02", 1)
        now = self._advance(70)  # past the 60-day terms and a weekly payment run
        new = self.account._amazon_vendor_import_remittances(now=now)
        self.assertEqual(len(new), 1, "one payment run, one vendor code, one currency")
        self.assertEqual(new.state, "booked", new.problem)
        self.assertEqual(new.document_id.kind, "remittance")
        lines = new.line_ids
        by_number = {line.invoice_number: line for line in lines}
        self.assertEqual(set(by_number), {invoice.name, other.name, f"{invoice.name}SC",
                                          f"{other.name}SC"}, "every page read")
        for move in (invoice, other):
            self.assertEqual(by_number[move.name].match_state, "invoice")
            self.assertEqual(move.amount_residual, 0.0, "paid in full by its own line")
            claim = by_number[f"{move.name}SC"]
            self.assertEqual(claim.match_state, "deduction")
            self.assertEqual(claim.deduction_id.deduction_type, "shortage")
            self.assertEqual(claim.deduction_id.invoice_id, move)
        deduction = by_number[f"{invoice.name}SC"].deduction_id
        self.assertEqual(deduction.picking_ids, order.picking_ids)
        self.assertAlmostEqual(new.payment_id.amount,
                               sum(lines.mapped("amount_paid")), places=2)
        self.assertAlmostEqual(
            self.balance(self.receivable, self.amazon_partner.commercial_partner_id),
            sum(-line.amount_paid for line in lines if line.amount_paid < 0), places=2,
            msg="the claims stay open on the Amazon customer, to the cent")

        # Importing again changes nothing.
        self.assertFalse(self.account._amazon_vendor_import_remittances(now=now))

        # Amazon's own status of the invoices.
        updated = self.account._amazon_vendor_fetch_invoice_statuses(now=now)
        self.assertIn(invoice, updated)
        self.assertEqual(invoice.amazon_vendor_payment_status, "PARTIALLY_PAID")
        self.assertIn(f"{invoice.name}SC", invoice.amazon_vendor_shortage_invoices)
        self.assertLess(invoice.amazon_vendor_pqv_amount, 0)
        self.assertIn("PQV", invoice.amazon_vendor_variance_ids.mapped("variance_types"))
        self.assertEqual(invoice.amazon_vendor_variance_ids[:1].defect_types,
                         "SHORTAGES_IN_TRANSIT")

        # The dispute is won in Vendor Central: Amazon gives the claim back next run.
        deduction.action_dispute()
        self.assertTrue(deduction.packet_attachment_id)
        self.simulator_control(f"deductions/{deduction.name}/reverse", {})
        later = self._advance(7)
        repaid = self.account._amazon_vendor_import_remittances(now=later)
        self.assertEqual(repaid.line_ids.mapped("match_state"), ["repayment"])
        self.assertEqual(repaid.state, "booked", repaid.problem)
        self.assertEqual(deduction.state, "settled")
        self.assertAlmostEqual(deduction.repaid_amount, deduction.amount, places=2)
        self.assertTrue(deduction.receivable_line_id.reconciled)
        other_claim = by_number[f"{other.name}SC"].deduction_id
        self.assertEqual(other_claim.state, "new", "the other claim is still to decide")
        self.env["account.move"].invalidate_model()
        self.account._amazon_vendor_fetch_invoice_statuses(now=later)
        self.assertEqual(invoice.amazon_vendor_payment_status, "PAID")
        self.assertEqual(other_order.amazon_vendor_po_number, "PAYAPI02")

    def test_a_payment_in_progress_is_booked_once_paid_and_a_failed_one_is_said(self):
        _order, invoice = self._shipped_and_invoiced("PAYAPI05")
        now = self._advance(70)
        unique_id = self._control_get("payments")["remittances"][0]["uniquePaymentId"]
        self.simulator_control(f"remittances/{unique_id}/status", {"status": "IN_PROGRESS"})
        new = self.account._amazon_vendor_import_remittances(now=now)
        self.assertEqual((new.status, new.state), ("IN_PROGRESS", "draft"))
        self.assertIn("nothing reached the bank", new.problem)
        self.assertEqual(invoice.amount_residual, invoice.amount_total)
        # Amazon reports it paid: the next run books it, without a second copy
        self.simulator_control(f"remittances/{unique_id}/status", {"status": "SUCCESSFUL"})
        self.assertEqual(self.account._amazon_vendor_import_remittances(now=now), new)
        self.assertEqual((new.status, new.state), ("SUCCESSFUL", "booked"), new.problem)
        self.assertEqual(invoice.amount_residual, 0.0)
        self.assertEqual(self.env["amazon.vendor.remittance"].search_count(
            [("unique_payment_id", "=", unique_id)]), 1)
        # then reports it failed: people are told to check the bank and reverse it
        self.simulator_control(f"remittances/{unique_id}/status", {"status": "FAILED"})
        self.assertFalse(self.account._amazon_vendor_import_remittances(now=now))
        self.assertEqual((new.status, new.state), ("FAILED", "booked"))
        self.assertTrue(any("reverse payment" in (body or "")
                            for body in new.message_ids.mapped("body")))
        self.assertTrue(new.activity_ids)

    def test_the_past_due_alert_goes_to_its_subscribers(self):
        _order, invoice = self._shipped_and_invoiced("PAYAPI04")
        invoice.invoice_date_due = datetime.date.today() - datetime.timedelta(days=1)
        self.account.responsible_user_id = self.env.user
        accountant = new_test_user(self.env, "past_due_accountant",
                                   groups="acorn_amazon_vendor.group_amazon_vendor_user")
        self.env["amazon.vendor.alert.subscription"].create({
            "alert_type": "payment_past_due", "user_id": accountant.id,
            "account_id": self.account.id})
        self.env["account.move"]._amazon_vendor_alert_past_due()
        todo = self.env["mail.activity"].search([
            ("res_model", "=", "account.move"), ("res_id", "=", invoice.id)])
        self.assertEqual(todo.user_id, accountant, "not the account's responsible")
        self.assertIn(invoice.name, todo.summary)

    def test_an_invoice_accepted_and_unpaid_past_its_due_date_raises_one_alert(self):
        _order, invoice = self._shipped_and_invoiced("PAYAPI03")
        invoice.invoice_date_due = datetime.date.today() - datetime.timedelta(days=1)
        self.account.responsible_user_id = self.env.user
        self.env["account.move"]._amazon_vendor_alert_past_due()
        self.assertTrue(invoice.amazon_vendor_past_due_alerted)
        self.env["account.move"]._amazon_vendor_alert_past_due()
        todo = self.env["mail.activity"].search([
            ("res_model", "=", "account.move"), ("res_id", "=", invoice.id)])
        self.assertEqual(len(todo), 1, "one alert, where the accountant works")
        self.assertIn(invoice.name, todo.summary)
