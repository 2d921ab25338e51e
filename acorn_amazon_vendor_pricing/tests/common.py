import datetime
import itertools

from odoo import Command, fields
from odoo.addons.acorn_amazon_vendor.tests.common import AmazonVendorCase

SALES = "GET_VENDOR_SALES_REPORT"
NPPM = "GET_VENDOR_NET_PURE_PRODUCT_MARGIN_REPORT"
INVENTORY = "GET_VENDOR_INVENTORY_REPORT"
_serial = itertools.count(1)


class PricingCase(AmazonVendorCase):
    """An account with an Amazon pricelist, and helpers to give products the report rows
    Amazon sends (daily sales, net PPM, inventory)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["amazon.vendor.account"])
        cls.usd = cls.env.ref("base.USD")
        cls.pricelist = cls.env["product.pricelist"].create({
            "name": "Amazon USD (pricing)", "currency_id": cls.usd.id})
        cls.manager = cls.env.ref("base.user_admin")
        cls.account.write({
            "pricelist_id": cls.pricelist.id, "pricing_asp_below_list_pct": 15.0,
            "pricing_min_net_ppm_pct": 5.0, "pricing_cost_tolerance_pct": 0.5,
            "pricing_target_margin_pct": 20.0, "pricing_observed_gap_pct": 10.0,
            "alert_user_ids": [Command.set([cls.manager.id])]})
        cls.documents = {}

    def setUp(self):
        super().setUp()
        type(self).documents = {}  # the documents of a test are rolled back with it

    @classmethod
    def _product(cls, name, *, cost=10.0, list_price=20.0, map_price=0.0, own_cost=6.0,
                 on_file=0.0):
        product = cls.env["product.product"].create({
            "name": name, "default_code": f"PRC-{next(_serial)}",
            "amazon_vendor_asin": f"B0PRC{next(_serial):05d}", "list_price": list_price,
            "amazon_vendor_net_cost": cost, "amazon_vendor_map_price": map_price,
            "standard_price": own_cost})
        if on_file:
            cls._amazon_prices(product, cost_on_file=on_file)
        return product

    @classmethod
    def _amazon_prices(cls, product, account=None, **values):
        """What Amazon says of ``product`` in ``account``'s marketplace (list_price,
        cost_on_file), as the price read keeps it."""
        account = account or cls.account
        Price = cls.env["amazon.vendor.product.price"]
        row = Price.search([("account_id", "=", account.id),
                            ("product_tmpl_id", "=", product.product_tmpl_id.id)])
        if row:
            row.write(values)
            return row
        return Price.create(dict(values, account_id=account.id,
                                 product_tmpl_id=product.product_tmpl_id.id))

    @classmethod
    def _document(cls, report_type):
        if report_type not in cls.documents:
            cls.documents[report_type] = cls.env["amazon.vendor.document"].create({
                "account_id": cls.account.id, "kind": "report",
                "external_id": f"R{report_type[-12:]}{next(_serial)}",
                "report_type": report_type})
        return cls.documents[report_type]

    @classmethod
    def _sales(cls, product, price, days=7, units=10, cost=None, end=None):
        end = end or cls.today - datetime.timedelta(days=1)
        cost = cost if cost is not None else product.amazon_vendor_net_cost
        document = cls._document(SALES)
        cls.env["amazon.vendor.report.sales"].create([{
            "document_id": document.id, "account_id": cls.account.id,
            "product_id": product.id, "asin": product.amazon_vendor_asin,
            "start_date": day, "end_date": day, "ordered_units": units,
            "ordered_revenue": units * price, "shipped_units": units,
            "shipped_revenue": units * price, "shipped_cogs": units * cost}
            for day in (end - datetime.timedelta(days=n) for n in range(days))])

    @classmethod
    def _nppm(cls, product, ppm_pct, end=None):
        end = end or cls.today - datetime.timedelta(days=1)
        cls.env["amazon.vendor.report.margin"].create({
            "document_id": cls._document(NPPM).id, "account_id": cls.account.id,
            "product_id": product.id, "asin": product.amazon_vendor_asin,
            "start_date": end, "end_date": end, "net_ppm": ppm_pct})

    @classmethod
    def _inventory(cls, product, on_hand, open_po=0.0):
        end = cls.today - datetime.timedelta(days=1)
        cls.env["amazon.vendor.report.inventory"].create({
            "document_id": cls._document(INVENTORY).id, "account_id": cls.account.id,
            "product_id": product.id, "asin": product.amazon_vendor_asin,
            "start_date": end - datetime.timedelta(days=6), "end_date": end,
            "sellable_on_hand_units": on_hand, "open_po_units": open_po})

    def monitor(self):
        return self.account._amazon_pricing_monitor(today=self.today)

    def alerts(self, product=None, kind=None, state="open"):
        domain = [("account_id", "=", self.account.id), ("state", "=", state)]
        if product:
            domain.append(("product_id", "=", product.id))
        if kind:
            domain.append(("kind", "=", kind))
        return self.env["amazon.vendor.price.alert"].search(domain)

    def suggestions(self, product, kind=None):
        domain = [("product_id", "=", product.id)]
        if kind:
            domain.append(("kind", "=", kind))
        return self.env["amazon.vendor.price.suggestion"].search(domain)
