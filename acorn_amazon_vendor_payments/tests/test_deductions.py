"""The deductions ledger: rules the accountant edits, deadlines and their warnings, every way a
dispute ends (won, partly won, lost), and the dispute packet built from the ledger."""
import datetime
import io
import json
import zipfile
from decimal import Decimal

from odoo.addons.acorn_amazon_vendor.tests.test_asn import ShipmentCase
from odoo.exceptions import ValidationError
from odoo.tests import freeze_time, tagged

from .common import PaymentsCase


@tagged("post_install", "-at_install")
class TestDeductions(PaymentsCase):
    def _deduction(self, invoice, number, amount, description="", issued=None, payment="91"):
        record = self.store(self.remittance(payment, [
            self.line(invoice.name, invoice.amount_total),
            self.line(number, amount, description=description, date=issued)]))
        record.action_book()
        self.assertEqual(record.state, "booked", record.problem)
        return record.line_ids[1].deduction_id

    def test_deadlines_follow_amazons_windows_and_warn_once_before_they_pass(self):
        invoice = self._invoice_for("PAYDED01")
        today = datetime.date.today()
        issued = today - datetime.timedelta(days=25)
        chargeback = self._deduction(invoice, "8812345VCBSINV", "-39.21",
                                     description="Chargeback - ASN accuracy", issued=issued)
        self.assertEqual(chargeback.deduction_type, "chargeback")
        self.assertEqual(chargeback.deadline, issued + datetime.timedelta(days=30),
                         "chargebacks: 30 days from issue")
        second = self._invoice_for("PAYDED02", 1)
        shortage = self._deduction(second, f"{second.name}SC", "-12.00",
                                   description="Shortage claim", payment="92")
        self.assertEqual(shortage.deduction_type, "shortage")
        self.assertEqual(shortage.deadline, shortage.invoice_id.invoice_date_due
                         + datetime.timedelta(days=30),
                         "shortages: 30 days after the invoice's due date")
        self.account.responsible_user_id = self.env.user
        Deduction = self.env["amazon.vendor.deduction"]
        Deduction._cron_deadline_alerts()
        activity_type = self.env.ref("acorn_amazon_vendor_payments.mail_activity_deadline")
        alerts = chargeback.activity_ids.filtered(lambda a: a.activity_type_id == activity_type)
        self.assertEqual(len(alerts), 1, "5 days left: warned")
        self.assertEqual(alerts.date_deadline, chargeback.deadline)
        self.assertFalse(shortage.activity_ids, "weeks left: not yet")
        Deduction._cron_deadline_alerts()
        self.assertEqual(len(chargeback.activity_ids), 1, "warned once")
        chargeback.action_dispute()
        self.assertFalse(chargeback.activity_ids, "a dispute closes the warning")
        with freeze_time(shortage.deadline - datetime.timedelta(days=3)):
            Deduction._cron_deadline_alerts()
        self.assertEqual(len(shortage.activity_ids), 1)

    def test_an_accountant_rule_classifies_before_the_defaults(self):
        Rule = self.env["amazon.vendor.deduction.rule"]
        self.assertTrue(Rule.search_count([("code", "!=", False)]), "defaults installed")
        with self.assertRaises(ValidationError):
            Rule.create({"name": "Broken", "deduction_type": "other",
                         "invoice_pattern": "([unclosed"})
        Rule.create({"name": "Our damage allowance", "sequence": 1,
                     "deduction_type": "damage_allowance", "invoice_pattern": r"^DMGALW",
                     "deadline_days": 60})
        invoice = self._invoice_for("PAYDED03")
        issued = datetime.date.today()
        deduction = self._deduction(invoice, "DMGALW-2026-11", "-80.00", issued=issued)
        self.assertEqual(deduction.deduction_type, "damage_allowance")
        self.assertEqual(deduction.rule_id.name, "Our damage allowance")
        self.assertEqual(deduction.deadline, issued + datetime.timedelta(days=60),
                         "the rule's own window")

    def test_partially_won_books_what_amazon_keeps_and_settles_on_repayment(self):
        invoice = self._invoice_for("PAYDED04")
        deduction = self._deduction(invoice, f"{invoice.name}SC", "-20.00",
                                    description="Shortage claim")
        deduction.action_dispute()
        deduction.recovered_amount = 5.0
        deduction.action_partially_won()
        self.assertEqual(deduction.state, "partially_won")
        self.assertAlmostEqual(deduction.credit_note_id.amount_total, 15.0, places=2)
        self.assertAlmostEqual(deduction.open_amount, 5.0, places=2)
        self.assertAlmostEqual(deduction.receivable_line_id.amount_residual, 5.0, places=2)
        repaid = self.store(self.remittance("93", [
            self.line(f"{invoice.name}SCR", "5.00", description="Shortage claim reversal")]))
        self.assertEqual(repaid.line_ids.match_state, "repayment")
        repaid.action_book()
        self.assertEqual(deduction.state, "settled")
        self.assertTrue(deduction.receivable_line_id.reconciled)
        self.assertAlmostEqual(self.balance(self.deduction_account), 15.0, places=2)

    def test_a_chargeback_naming_its_po_is_disputed_with_a_packet_and_lost_in_full(self):
        invoice = self._invoice_for("PAYDED05")
        deduction = self._deduction(invoice, "8812399VCBSINV", "-39.21",
                                    description="Chargeback - carton labels PO PAYDED05")
        self.assertFalse(deduction.invoice_id, "a chargeback names no invoice")
        self.assertEqual(deduction.sale_order_ids.amazon_vendor_po_number, "PAYDED05")
        deduction.action_dispute()
        self.assertEqual(deduction.state, "disputed")
        self.assertTrue(deduction.packet_attachment_id)
        unnamed = self._deduction(self._invoice_for("PAYDED06", 1), "8812400VCBSINV", "-10.00",
                                  description="Chargeback - ASN accuracy", payment="95")
        unnamed.action_dispute()
        self.assertEqual(unnamed.state, "disputed", "recorded even without a packet")
        self.assertFalse(unnamed.packet_attachment_id)
        self.assertIn("link them", unnamed.message_ids[:1].body)
        deduction.action_lost()
        self.assertEqual(deduction.state, "lost")
        self.assertAlmostEqual(deduction.credit_note_id.amount_total, 39.21, places=2)
        self.assertTrue(deduction.receivable_line_id.reconciled)
        self.assertEqual(deduction.open_amount, 39.21 - 39.21)
        self.assertFalse(
            deduction.invoice_id.line_ids.filtered(
                lambda ln: ln.account_type == "asset_receivable" and not ln.reconciled),
            "nothing of this deduction stays open")


@tagged("post_install", "-at_install")
class TestDisputePacket(PaymentsCase, ShipmentCase):
    def test_the_packet_holds_the_asn_as_sent_the_delivery_the_invoice_and_the_po(self):
        item = self._item(0)
        order = self._confirmed("PAYPKT01", [(item, 6, "Eaches", 1)])
        picking = order.picking_ids
        self._pack_and_validate(picking, [[self.products[item["vendor_sku"]]]])
        self.env["ir.attachment"].create({
            "name": "BOL-7781.pdf", "raw": b"%PDF-1.4 bill of lading", "res_model":
            "stock.picking", "res_id": picking.id})
        asn = picking.amazon_vendor_asn_document_id
        asn._send_to_amazon()
        self._settle(asn)
        invoice = order._create_invoices()
        invoice.action_post()
        record = self.store(self.remittance("94", [
            self.line(invoice.name, invoice.amount_total),
            self.line(f"{invoice.name}SC", Decimal("-12.00"), description="Shortage claim")]))
        record.action_book()
        deduction = record.line_ids[1].deduction_id
        self.assertEqual(deduction.picking_ids, picking)
        self.assertEqual(deduction.sale_order_ids, order)
        deduction.action_dispute()
        archive = zipfile.ZipFile(io.BytesIO(deduction.packet_attachment_id.raw))
        names = archive.namelist()
        base = picking.name.replace("/", "_")
        self.assertIn(f"asn/{base}-asn-as-sent.json", names)
        sent = json.loads(archive.read(f"asn/{base}-asn-as-sent.json"))
        self.assertEqual(sent, asn._get_payload("payload_out"), "exactly as sent")
        self.assertIn(f"asn/{base}-amazon-answer.json", names)
        self.assertIn(f"delivery/{base}-BOL-7781.pdf", names)
        self.assertIn(f"delivery/{base}-packing-list.pdf", names)
        self.assertIn(f"delivery/{base}-carton-labels.pdf", names)
        invoice_base = invoice.name.replace("/", "_")
        self.assertIn(f"invoice/{invoice_base}.pdf", names)
        self.assertTrue(archive.read(f"invoice/{invoice_base}.pdf").startswith(b"%PDF"))
        self.assertIn("purchase-order/PAYPKT01-amazon-po.json", names)
        readme = archive.read("README.txt").decode()
        self.assertIn("PAYPKT01", readme)
        self.assertIn(str(deduction.deadline), readme)
