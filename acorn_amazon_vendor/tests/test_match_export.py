import io

import openpyxl

from odoo import Command, fields
from odoo.tests import tagged

from .common import AmazonVendorCase


@tagged("post_install", "-at_install")
class TestMatchExport(AmazonVendorCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create({"name": "Desk lamp", "type": "consu"})
        cls.env.ref("base.EUR").active = True
        cls.pricelists = {name: cls.env["product.pricelist"].create({
            "name": f"Amazon {name}", "currency_id": cls.env.ref(f"base.{name}").id})
            for name in ("USD", "EUR")}

    def _order(self, number, currency, lines):
        return self.env["sale.order"].create({
            "partner_id": self.amazon_partner.id,
            "pricelist_id": self.pricelists[currency].id,
            "amazon_vendor_account_id": self.account.id,
            "amazon_vendor_po_number": number,
            "amazon_vendor_po_date": fields.Datetime.now(),
            "order_line": [Command.create({
                "product_id": self.product.id, "product_uom_qty": qty, "price_unit": cost,
                "amazon_vendor_item_sequence": str(seq), "amazon_vendor_ordered_qty": qty,
                "amazon_vendor_net_cost": cost,
            }) for seq, (qty, cost) in enumerate(lines, 1)],
        })

    def test_one_total_per_currency(self):
        usd = self._order("PO0USD01", "USD", [(3, 10.125), (2, 4.5)])
        eur = self._order("PO0EUR01", "EUR", [(5, 7.25)])
        self.assertEqual(usd.currency_id.name, "USD")
        self.assertEqual(eur.currency_id.name, "EUR")
        rows = self.env["amazon.vendor.match"].search([("account_id", "=", self.account.id)])
        self.assertEqual(len(rows), 2)
        book = openpyxl.load_workbook(io.BytesIO(rows._xlsx_content()), data_only=True)
        sheet = book.active
        header = [c.value for c in sheet[1]]
        currency_col = header.index("Currency") + 1
        ordered_col = header.index("Ordered Amount") + 1
        qty_col = header.index("Ordered") + 1
        totals = {sheet.cell(r, currency_col).value: r for r in range(2, sheet.max_row + 1)
                  if sheet.cell(r, 1).value == "Total"}
        self.assertEqual(sorted(totals), ["EUR", "USD"], "one total row per currency")
        self.assertAlmostEqual(sheet.cell(totals["USD"], ordered_col).value, 39.375)
        self.assertAlmostEqual(sheet.cell(totals["EUR"], ordered_col).value, 36.25)
        self.assertEqual(sheet.cell(totals["USD"], qty_col).value, 5)
        self.assertEqual(sheet.cell(totals["EUR"], qty_col).value, 5)
        # The formulas (what a spreadsheet recomputes) sum one currency each as well.
        formulas = openpyxl.load_workbook(io.BytesIO(rows._xlsx_content())).active
        formula = formulas.cell(totals["EUR"], ordered_col).value
        self.assertTrue(formula.startswith("=SUMIF("), formula)
        self.assertIn('"EUR"', formula)
        # A single currency keeps a single plain total.
        sheet = openpyxl.load_workbook(io.BytesIO(
            rows.filtered(lambda r: r.currency_name == "EUR")._xlsx_content())).active
        self.assertEqual([sheet.cell(r, 1).value for r in range(2, sheet.max_row + 1)],
                         ["PO0EUR01", "Total"])
        self.assertTrue(sheet.cell(3, ordered_col).value.startswith("=SUM("))
