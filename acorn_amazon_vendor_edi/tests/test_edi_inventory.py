"""The inventory feed: an 846 / INVRPT built from Odoo's stock, uploaded, settled by Amazon's
997 / CONTRL; the number of queries does not grow with the number of products."""
import datetime
import logging

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from ..lib import codecs
from .common import EdiCase

_logger = logging.getLogger(__name__)


class InventoryMixin:
    def setUp(self):
        super().setUp()
        self.account.sudo().edi_channel_inventory = "edi"

    def _by_asin(self, document):
        return {i["amazonProductIdentifier"]: i for i in document["items"]}

    def _receipt(self, product, quantity, date):
        warehouse = self.warehouse
        picking = self.env["stock.picking"].create({
            "picking_type_id": warehouse.in_type_id.id,
            "location_id": self.env.ref("stock.stock_location_suppliers").id,
            "location_dest_id": warehouse.lot_stock_id.id, "scheduled_date": date,
            "move_ids": [Command.create({
                "name": product.name, "product_id": product.id, "product_uom_qty": quantity,
                "product_uom": product.uom_id.id, "date": date,
                "location_id": self.env.ref("stock.stock_location_suppliers").id,
                "location_dest_id": warehouse.lot_stock_id.id})]})
        picking.action_confirm()
        return picking


@tagged("post_install", "-at_install")
class TestEdiInventoryX12(InventoryMixin, EdiCase):
    standard = "x12"

    def test_inventory_goes_as_846_and_amazons_997_settles_it(self):
        first, second, third = list(self.products.values())[:3]
        self._stock(first, 40)
        self._stock(second, 7)
        self.env["stock.quant"]._update_reserved_quantity(first, self.warehouse.lot_stock_id, 15)
        soon = datetime.datetime.now() + datetime.timedelta(days=9)
        self._receipt(third, 24, soon)
        interchange = self.account._edi_send_inventory()
        self.assertEqual((interchange.kind, interchange.message_type, interchange.state),
                         ("inventory", "846", "sent"))
        files = self.take_uploaded("846")
        self.assertEqual(len(files), 1)
        parsed = codecs.MODULES["x12"].read_inventory(files[0])
        document = parsed.documents[0]
        self.assertEqual(document["sellingParty"], {"partyId": "ACRN1"})
        self.assertEqual(document["shipFromParty"], {"partyId": self.warehouse.code})
        items = self._by_asin(document)
        self.assertEqual(items[first.amazon_vendor_asin]["availableQuantity"], 25,
                         "free quantity: 40 on hand, 15 reserved")
        self.assertEqual(items[first.amazon_vendor_asin]["vendorProductIdentifier"],
                         first.default_code)
        self.assertEqual(items[second.amazon_vendor_asin]["availableQuantity"], 7)
        self.assertEqual(items[third.amazon_vendor_asin]["availableQuantity"], 0)
        self.assertEqual(items[third.amazon_vendor_asin]["onOrderQuantity"], 24)
        self.assertEqual(items[third.amazon_vendor_asin]["restockDate"], soon.date().isoformat())
        mapped = self.env["product.product"].search_count([
            ("amazon_vendor_asin", "!=", False), ("is_storable", "=", True),
            ("company_id", "in", [False, self.account.company_id.id])])
        self.assertEqual(len(document["items"]), mapped, "every product with an ASIN")
        self.assertNotIn(self.unmapped["asin"], items)
        self.amazon_sends(codecs.MODULES["x12"].write_functional_ack(
            parsed, None, envelope=self.amazon_envelope()))
        self.account._edi_receive()
        self.assertEqual(interchange.state, "accepted", interchange.result)

    def test_queries_do_not_grow_with_the_products(self):
        def queries(extra):
            self.env["product.product"].create([{
                "name": f"Inventory item {extra}-{n}", "is_storable": True,
                "default_code": f"INV-{extra}-{n}",
                "amazon_vendor_asin": f"B0INV{extra:02d}{n:03d}",
            } for n in range(extra)])
            for product in self.env["product.product"].search(
                    [("default_code", "=like", f"INV-{extra}-%")]):
                self._stock(product, 3)
            self.env.flush_all()
            self.env.invalidate_all()
            before = self.env.cr.sql_log_count
            document = self.account._edi_inventory_document()
            return self.env.cr.sql_log_count - before, len(document["items"])

        small, small_items = queries(5)
        large, large_items = queries(40)
        self.assertEqual(large_items - small_items, 40)
        _logger.info("inventory report: %s queries for %s products, %s for %s", small,
                     small_items, large, large_items)
        self.assertLessEqual(large, small + 2, f"{small} queries for {small_items} products, "
                                               f"{large} for {large_items}")

    def test_the_feed_is_off_by_default_and_for_managers_only(self):
        self.assertEqual(self.env["amazon.vendor.account"].new({}).edi_channel_inventory,
                         "off")
        self.account.sudo().edi_channel_inventory = "off"
        with self.assertRaises(UserError):
            self.account._edi_send_inventory()
        self.account.sudo().edi_channel_inventory = "edi"
        user = new_test_user(self.env, "inventory_user", groups=(
            "base.group_user,acorn_amazon_vendor.group_amazon_vendor_user"))
        with self.assertRaises(AccessError):
            self.account.with_user(user).action_edi_send_inventory()
        self.assertFalse(self.uploaded())

    def test_the_cron_sends_and_says_what_failed(self):
        self.account.responsible_user_id = self.env.user
        self.env["amazon.vendor.account"]._cron_edi_send_inventory()
        self.assertEqual(len(self.take_uploaded("846")), 1)
        self.account.party_ids.active = False
        self.env["amazon.vendor.account"]._cron_edi_send_inventory()
        self.assertFalse(self.uploaded())
        self.assertTrue(self.account.activity_ids.filtered(
            lambda a: "inventory" in (a.summary or "")))


@tagged("post_install", "-at_install")
class TestEdiInventoryEdifact(InventoryMixin, EdiCase):
    standard = "edifact"

    def test_inventory_goes_as_invrpt_and_amazons_contrl_settles_it(self):
        product = next(iter(self.products.values()))
        self._stock(product, 12)
        interchange = self.account._edi_send_inventory()
        files = self.take_uploaded("INVRPT")
        self.assertEqual(len(files), 1)
        parsed = codecs.MODULES["edifact"].read_inventory(files[0])
        items = self._by_asin(parsed.documents[0])
        self.assertEqual(items[product.amazon_vendor_asin]["availableQuantity"], 12)
        self.assertEqual(items[product.amazon_vendor_asin].get("ean"), product.barcode)
        self.amazon_sends(codecs.MODULES["edifact"].write_control(
            parsed, True, [], envelope=self.amazon_envelope()))
        self.account._edi_receive()
        self.assertEqual(interchange.state, "accepted", interchange.result)
