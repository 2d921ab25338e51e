import datetime

from odoo import Command

from .common import AmazonVendorCase, simulator_control

UTC = datetime.UTC


def iso(value):
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


class PurchaseOrderCase(AmazonVendorCase):
    """Mapped products for the simulator's catalogue and helpers to place Amazon POs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1)
        usd = cls.env.ref("base.USD")
        cls.pricelist = cls.env["product.pricelist"].create({
            "name": "Amazon USD", "currency_id": usd.id})
        cls.account.write({"warehouse_id": cls.warehouse.id, "pricelist_id": cls.pricelist.id,
                           "alert_user_ids": [Command.link(cls.env.ref("base.user_admin").id)]})
        cls.env.company.partner_id.write({
            "street": "88 Keyuan Road", "city": "Shenzhen", "zip": "518057",
            "country_id": cls.env.ref("base.cn").id, "vat": "91440300MA5FXXXX1X"})
        cls.warehouse.partner_id.write({
            "street": "1200 Harbor Boulevard", "city": "Weehawken", "zip": "07086",
            "state_id": cls.env.ref("base.state_us_25").id,
            "country_id": cls.env.ref("base.us").id})
        cls.catalogue = cls._control_get("catalogue")["items"]
        usd_items = [i for i in cls.catalogue if i["currency"] == "USD"]
        # Every catalogue product but the last is mapped in Odoo: one stays unknown.
        cls.unmapped = usd_items[-1]
        cls.products = {}
        for item in usd_items[:-1]:
            product = cls.env["product.product"].create({
                "name": f"Item {item['vendor_sku']}", "is_storable": True,
                "invoice_policy": "delivery",
                "default_code": item["vendor_sku"], "amazon_vendor_asin": item["asin"],
                "barcode": item["ean"], "list_price": float(item["list_price"]),
                "amazon_vendor_net_cost": float(item["net_cost"]),
                "packaging_ids": [Command.create({"name": "Case", "qty": item["case_size"]})],
            })
            cls.products[item["vendor_sku"]] = product

    @classmethod
    def _control_get(cls, path):
        return simulator_control(path, method="GET")

    def setUp(self):
        super().setUp()
        self.simulator_control("reset", {"seed": 7, "default_data": False})

    # -- helpers ----------------------------------------------------------------------------
    def _po(self, number, items, *, age_hours=2, window_days=(3, 10), ship_to="ABE2",
            backorder=True, window="deliveryWindow", import_details=None):
        now = datetime.datetime.now(UTC).replace(microsecond=0)
        start, end = (now + datetime.timedelta(days=d) for d in window_days)
        address = {"name": "Amazon.com Services LLC", "addressLine1": "705 Boulder Drive",
                   "city": "Breinigsville", "stateOrRegion": "PA", "postalCode": "18031",
                   "countryCode": "US"}
        lines = []
        for seq, (item, amount, unit, size) in enumerate(items, 1):
            lines.append({
                "itemSequenceNumber": str(seq), "amazonProductIdentifier": item["asin"],
                "vendorProductIdentifier": item["vendor_sku"],
                "orderedQuantity": {"amount": amount, "unitOfMeasure": unit, "unitSize": size},
                "isBackOrderAllowed": backorder,
                "netCost": {"currencyCode": "USD", "amount": item["net_cost"]},
                "listPrice": {"currencyCode": "USD", "amount": item["list_price"]}})
        order = {"purchaseOrderNumber": number, "purchaseOrderState": "New", "orderDetails": {
            "purchaseOrderDate": iso(now - datetime.timedelta(hours=age_hours)),
            "purchaseOrderStateChangedDate": iso(now - datetime.timedelta(hours=age_hours)),
            "purchaseOrderType": "RegularOrder", "paymentMethod": "Invoice",
            "sellingParty": {"partyId": "ACRN1"},
            "shipToParty": {"partyId": ship_to, "address": address},
            "billToParty": {"partyId": "AMZN-US", "address": dict(address, city="Seattle",
                                                                  stateOrRegion="WA")},
            window: f"{iso(start)}--{iso(end)}",
            "items": lines}}
        if import_details:  # a direct import
            order["orderDetails"]["importDetails"] = import_details
        self.simulator_control("purchase-orders", {"orders": [order]})
        return order

    def _item(self, index):
        return [i for i in self.catalogue if i["currency"] == "USD"][index]

    def _import(self):
        self.account._import_purchase_orders()
        return self.env["sale.order"].search([("amazon_vendor_account_id", "=", self.account.id)])

    def _stock(self, product, quantity):
        self.env["stock.quant"]._update_available_quantity(
            product, self.warehouse.lot_stock_id, quantity)

    def _deliver(self, order, quantities=None):
        """Validate the order's delivery with the given (or all reserved) quantities."""
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking.action_assign()
        for move in picking.move_ids:
            move.quantity = (quantities or {}).get(move.product_id, move.product_uom_qty)
            move.picked = True
        picking.with_context(skip_backorder=True, picking_ids_not_to_backorder=picking.ids)\
            .button_validate()
        return picking
