"""Vendor Central's remittance exports imported through the wizard: every layout variant, the
choices a person makes for ambiguous files, refusals that import nothing, and the same payment
never imported twice (whether it came from a file or from the API)."""
import base64
import datetime
import pathlib
from decimal import Decimal

from odoo.addons.acorn_amazon_vendor.lib.mapping.remittance_export import (
    parse_remittance_export,
)
from odoo.exceptions import UserError
from odoo.tests import Form, tagged

from .common import PaymentsCase

FIXTURES = (pathlib.Path(__file__).resolve().parents[2] / "tests" / "mapping" / "fixtures"
            / "remittance_exports")
VARIANTS = ("us_remittance_export.xlsx", "us_remittance_export.csv",
            "eu_remittance_export_semicolon.csv", "de_remittance_german_headers.csv",
            "fr_remittance_utf16.txt", "uk_payments_summary.csv", "in_remittance_export.xlsx",
            "jp_remittance_sjis.csv", "us_single_payment_detail.csv")
REFUSED = ("corrupt.xlsx", "half_valid.csv", "unknown_format.csv")


@tagged("post_install", "-at_install")
class TestRemittanceImport(PaymentsCase):
    def _wizard(self, content, filename, **values):
        form = Form(self.env["amazon.vendor.remittance.import"])
        self.assertEqual(form.account_id, self.account, "the only account is the default")
        self.assertEqual((form.date_order, form.decimal_separator), ("MDY", "auto"),
                         "a US account reads month first unless the file shows otherwise")
        form.file = base64.b64encode(content)
        for name, value in values.items():
            setattr(form, name, value)
        wizard = form.save()
        wizard.filename = filename  # set by the upload widget (invisible for Form)
        return wizard

    def _remittances(self):
        return self.env["amazon.vendor.remittance"].search([("account_id", "=", self.account.id)])

    def test_every_export_variant_is_stored_line_for_line_and_only_once(self):
        for name in VARIANTS:
            with self.subTest(file=name):
                content = (FIXTURES / name).read_bytes()
                expected = parse_remittance_export(content, name)
                before = self._remittances()
                # Files of every region into one (US) account: the file decides the dates.
                self._wizard(content, name, book=False, date_order="auto").action_import()
                stored = self._remittances() - before
                if name == "us_remittance_export.csv":  # the same payments as the XLSX
                    self.assertFalse(stored, "the CSV of an imported XLSX adds nothing")
                    continue
                self.assertEqual(sorted(stored.mapped("payment_number")),
                                 sorted(r.payment_number for r in expected))
                for remittance in expected:
                    record = stored.filtered(
                        lambda r, number=remittance.payment_number: r.payment_number == number)
                    self.assertEqual(record.currency_id.name, remittance.currency)
                    self.assertAlmostEqual(record.amount, float(remittance.amount), places=2)
                    self.assertEqual(record.payment_date, remittance.payment_date)
                    self.assertEqual(record.source, "export")
                    self.assertEqual(record.line_ids.mapped("invoice_number"),
                                     [line.invoice_number for line in remittance.lines])
                    self.assertAlmostEqual(sum(record.line_ids.mapped("amount_paid")),
                                           float(sum((line.amount_paid for line in
                                                      remittance.lines), Decimal(0)))
                                           , places=2)
                    self.assertEqual(record.document_id.kind, "remittance")
                again = self._wizard(content, name, book=False,
                                     date_order="auto").action_import()
                self.assertEqual(again["tag"], "display_notification")
                self.assertEqual(self._remittances() - before, stored, "imported once")

    def test_us_export_lines_are_classified_by_the_rules(self):
        content = (FIXTURES / "us_remittance_export.xlsx").read_bytes()
        self._wizard(content, "us.xlsx", book=False).action_import()
        lines = self._remittances().line_ids
        kinds = {line.invoice_number: (line.match_state, line.deduction_id.deduction_type)
                 for line in lines}
        self.assertEqual(kinds["SYN-US-1001SC"], ("deduction", "shortage"))
        self.assertEqual(kinds["8812345VCBSINV"], ("deduction", "chargeback"))
        self.assertEqual(kinds["2900-12345678"], ("deduction", "coop"))
        self.assertEqual(kinds["IPAPUS1234567"], ("deduction", "price_protection"))
        self.assertEqual(kinds["260115_PROVISION_FOR_RECEIVABLES"], ("deduction", "provision"))
        # Odoo does not know these invoices: kept, with the reason.
        unknown = lines.filtered(lambda ln: ln.invoice_number == "SYN-US-1002")
        self.assertEqual(unknown.match_state, "unknown")
        self.assertIn("SYN-US-1002", unknown.match_note)
        shortage = lines.filtered(lambda ln: ln.invoice_number == "SYN-US-1001SC").deduction_id
        self.assertEqual((shortage.amount, shortage.state), (120.0, "new"))
        self.assertTrue(shortage.deadline, "a shortage has a dispute deadline")

    def test_refused_files_import_nothing_and_say_why(self):
        documents = self.env["amazon.vendor.document"].search_count([("kind", "=", "remittance")])
        for name in REFUSED:
            with self.subTest(file=name), self.assertRaises(UserError) as caught:
                self._wizard((FIXTURES / name).read_bytes(), name).action_import()
            self.assertIn("nothing was imported", str(caught.exception))
        self.assertIn("row", str(caught.exception).lower(), "the problem rows are named")
        self.assertFalse(self._remittances())
        self.assertEqual(self.env["amazon.vendor.document"].search_count(
            [("kind", "=", "remittance")]), documents)

    def test_ambiguous_dates_need_the_person_to_choose(self):
        content = (FIXTURES / "ambiguous_dates.csv").read_bytes()
        with self.assertRaises(UserError) as caught:
            self._wizard(content, "ambiguous_dates.csv", date_order="auto").action_import()
        self.assertIn("choose the date order", str(caught.exception))
        self.assertFalse(self._remittances())
        self._wizard(content, "ambiguous_dates.csv", date_order="DMY",
                     book=False).action_import()
        day_first = self._remittances()
        expected = parse_remittance_export(content, "x.csv", date_order="DMY")
        self.assertEqual(sorted(day_first.mapped("payment_date")),
                         sorted(r.payment_date for r in expected))

    def _lines_csv(self, payment_number, date, lines):
        rows = ["Payment Number,Payment Date,Invoice Number,Invoice Date,Invoice Amount,"
                "Invoice Currency,Amount Paid"]
        rows += [f"{payment_number},{date:%m/%d/%Y},{number},{date:%m/%d/%Y},{amount:.2f},USD,"
                 f"{paid:.2f}" for number, amount, paid in lines]
        return ("\r\n".join(rows) + "\r\n").encode()

    def test_an_export_books_and_reconciles_the_invoices_it_pays(self):
        invoice = self._invoice_for("PAYIMP01")
        date = datetime.date.today()
        content = self._lines_csv("300000001", date, [
            (invoice.name, invoice.amount_total, invoice.amount_total),
            (f"{invoice.name}SC", -10.0, -10.0)])
        self._wizard(content, "lines.csv").action_import()
        record = self._remittances()
        self.assertEqual(record.state, "booked", record.problem)
        self.assertEqual(invoice.amount_residual, 0.0)
        deduction = record.line_ids.deduction_id
        self.assertEqual((deduction.deduction_type, deduction.invoice_id),
                         ("shortage", invoice))
        self.assertAlmostEqual(record.payment_id.amount, invoice.amount_total - 10.0, places=2)

    def test_a_payment_seen_in_the_summary_gains_its_lines_from_the_detail(self):
        invoice = self._invoice_for("PAYIMP02")
        date = datetime.date.today()
        total = invoice.amount_total
        summary = (
            "Payment Number,Payment Date,Payment Currency,Amount in Payment Currency,"
            "Payment Status\r\n"
            f"300000002,{date:%m/%d/%Y},USD,{total:.2f},Paid\r\n").encode()
        self._wizard(summary, "summary.csv").action_import()
        record = self._remittances()
        self.assertEqual(record.state, "draft", "nothing to reconcile without the lines")
        self.assertIn("remittance detail", record.problem)
        self._wizard(self._lines_csv("300000002", date, [(invoice.name, total, total)]),
                     "detail.csv").action_import()
        self.assertEqual(self._remittances(), record, "the same payment, completed")
        self.assertEqual(record.line_ids.mapped("invoice_number"), [invoice.name])
        self.assertEqual(record.state, "booked", record.problem)
        self.assertEqual(invoice.amount_residual, 0.0)

    def test_a_payment_read_from_the_api_is_not_imported_again_from_an_export(self):
        invoice = self._invoice_for("PAYIMP03")
        date = datetime.date.today()
        api = self.remittance("AMZN-UNIQUE-77", [self.line(invoice.name, invoice.amount_total)],
                              number="300000003", date=date)
        self.store(api).action_book()
        content = self._lines_csv("300000003", date, [
            (invoice.name, invoice.amount_total, invoice.amount_total)])
        answer = self._wizard(content, "again.csv").action_import()
        self.assertEqual(answer["tag"], "display_notification")
        self.assertEqual(len(self._remittances()), 1)
        self.assertEqual(self.env["account.payment"].search_count(
            [("memo", "=", "300000003")]), 1)
