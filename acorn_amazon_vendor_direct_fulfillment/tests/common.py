from odoo import Command
from odoo.addons.acorn_amazon_vendor.tests.common import AmazonVendorCase, simulator_control


class DirectFulfillmentCase(AmazonVendorCase):
    """A Simulation account with Direct Fulfillment on, ACWH1 mapped to the main warehouse,
    and the simulator's USD catalogue as storable products."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1)
        cls.pricelist = cls.env["product.pricelist"].create({
            "name": "Amazon USD", "currency_id": cls.env.ref("base.USD").id})
        cls.account.write({
            "warehouse_id": cls.warehouse.id, "pricelist_id": cls.pricelist.id,
            "df_enabled": True, "df_label_attachment": "pdf",
            "alert_user_ids": [Command.link(cls.env.ref("base.user_admin").id)],
            "df_warehouse_ids": [Command.create({"code": "ACWH1",
                                                 "warehouse_id": cls.warehouse.id})],
        })
        catalogue = simulator_control("catalogue", method="GET")["items"]
        cls.usd_items = [i for i in catalogue if i["currency"] == "USD"]
        cls.products = {}
        for item in cls.usd_items:
            cls.products[item["vendor_sku"]] = cls.env["product.product"].create({
                "name": f"Item {item['vendor_sku']}", "is_storable": True,
                "invoice_policy": "delivery", "default_code": item["vendor_sku"],
                "amazon_vendor_asin": item["asin"], "barcode": item["ean"],
                "list_price": float(item["list_price"]), "weight": 0.5})

    def setUp(self):
        super().setUp()
        self.simulator_control("reset", {"seed": 7, "default_data": False})

    def stock(self, quantity=50):
        for product in self.products.values():
            self.env["stock.quant"]._update_available_quantity(
                product, self.warehouse.lot_stock_id, quantity)

    def new_df_orders(self, count=1, **options):
        return self.simulator_control("df", dict({"generate": count, "currency": "USD",
                                                  "warehouse": "ACWH1", "age_seconds": 600},
                                                 **options))["created"]

    def settle(self):
        self.simulator_control("transactions/settle", {})

    def sim_order(self, number):
        return self.simulator.state.df.orders[number]

    def poll(self, docs):
        self.settle()
        docs._poll_amazon_status()
        return docs
