import base64
import io

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PricingCase


@tagged("post_install", "-at_install")
class TestPriceImport(PricingCase):

    def run_import(self, content, name):
        wizard = self.env["amazon.vendor.price.import"].create({
            "file": base64.b64encode(content), "file_name": name})
        return wizard.action_import()

    def test_csv_and_xlsx_are_imported(self):
        product = self._product("Observed", list_price=20.0)
        other = self._product("Observed by SKU")
        csv = (f"asin;price;currency;date;source\n{product.amazon_vendor_asin};17,90;USD;"
               f"{self.today.isoformat()};Walmart\n").encode()
        self.run_import(csv, "prices.csv")
        import openpyxl

        book = openpyxl.Workbook()
        book.active.append(["SKU", "Price", "Source", "URL"])
        book.active.append([other.default_code, 12.5, "Target", "https://example.com/x"])
        out = io.BytesIO()
        book.save(out)
        self.run_import(out.getvalue(), "prices.xlsx")
        observed = self.env["amazon.vendor.price.observation"].search(
            [("product_id", "in", (product | other).ids)], order="price")
        self.assertEqual(observed.mapped("price"), [12.5, 17.9])
        self.assertEqual(observed.mapped("source"), ["Target", "Walmart"])
        self.assertEqual(set(observed.mapped("origin")), {"import"})

    def test_bad_files_are_refused_with_a_clear_error(self):
        product = self._product("Observed")
        cases = [
            (b"\n\n", "empty.csv", "empty"),
            (b"name,amount\nx,1\n", "nocolumns.csv", "first row must name the columns"),
            (f"asin,price\n{product.amazon_vendor_asin},abc\n".encode(), "bad.csv",
             "row 2: price abc is not a positive number"),
            (f"asin,price,date\n{product.amazon_vendor_asin},5,31/12/2026\n".encode(),
             "bad.csv", "row 2: date 31/12/2026 is not a date"),
            (b"asin,price\nB0NOSUCH01,5\n", "unknown.csv", "row 2: no product with ASIN"),
            (b"PK\x03\x04 not really a workbook", "broken.xlsx", "not a readable XLSX"),
            (b"\xd0\xcf\x11\xe0", "old.xls", "(.xls) are not read"),
        ]
        for content, name, expected in cases:
            with self.subTest(name=name), self.assertRaises(UserError) as caught:
                self.run_import(content, name)
            self.assertIn(expected, str(caught.exception))
        self.assertFalse(self.env["amazon.vendor.price.observation"].search(
            [("product_id", "=", product.id)]))
