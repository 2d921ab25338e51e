import datetime
import logging

from odoo import _, api, fields, models
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError
from odoo.exceptions import UserError

from ..lib import mapping
from ..lib.transport import DirectFulfillmentApi

_logger = logging.getLogger(__name__)
IMPORT_BATCH = 500
# Open orders are followed for cancellations this long after they were created.
CANCELLATION_DAYS = 60
IMPORT_LAG = datetime.timedelta(days=8)


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    df_enabled = fields.Boolean(
        string="Direct Fulfillment", tracking=True,
        help="Import Amazon's Direct Fulfillment (drop-ship) orders and ship them from the "
             "mapped warehouses.")
    df_warehouse_ids = fields.One2many("amazon.vendor.df.warehouse", "account_id",
                                       string="DF Warehouses")
    df_auto_acknowledge = fields.Boolean(
        string="Acknowledge on Import", default=True,
        help="Accept imported orders whose products are all known at once; otherwise a "
             "person acknowledges each order.")
    df_label_attachment = fields.Selection(
        [("pdf", "PDF"), ("zpl", "ZPL (thermal printer)")], string="Label File",
        default="pdf", required=True,
        help="How Amazon's shipping labels are attached to the delivery: PDF (Amazon's PNG "
             "labels are wrapped in a PDF) or ZPL for thermal printers (kept as Amazon sends "
             "it). Amazon decides the label format per warehouse; a ZPL label cannot become a "
             "PDF and is attached as ZPL.")
    df_ship_alert_hours = fields.Integer(
        string="Ship-by Alert (hours)", default=12,
        help="Alert this many hours before an order's ship-by date when it is not shipped, and "
             "before its deliver-by date when it is not delivered.")
    df_address_retention_days = fields.Integer(
        string="Keep Customer Addresses (days)", default=30,
        help="Customer names, streets and phones are purged this many days after delivery.")
    df_safety_buffer = fields.Float(
        string="Inventory Safety Buffer", default=0.0,
        help="Units kept back per product from the quantity offered to Amazon (plus the "
             "product's own buffer).")
    df_inventory_full = fields.Boolean(
        string="Full Inventory Updates", default=True,
        help="Send every product in each update (Amazon sets what is not listed to 0). "
             "Unticked: only the products whose stock moved since the last update.")
    df_gift_wrap_product_id = fields.Many2one(
        "product.product", string="Gift Wrap Charge",
        domain=[("type", "=", "service"), ("invoice_policy", "=", "delivery"),
                ("service_type", "=", "manual")],
        check_company=True,
        help="The service Amazon pays per gift-wrapped unit under your Direct Fulfillment "
             "agreement (its sales price is the charge; invoiced on delivered quantities). An "
             "order item the customer asked to have gift-wrapped gets a line of it, delivered "
             "with the item and invoiced with it as Amazon's GIFTWRAP charge on that item. "
             "Empty: gift wrap is not charged.")
    df_import_watermark = fields.Datetime(string="DF Imported Up To", readonly=True, copy=False)
    df_order_count = fields.Integer(string="DF Order Count", compute="_compute_df_order_count")

    def _compute_df_order_count(self):
        counts = dict(self.env["sale.order"]._read_group(
            [("amazon_df_account_id", "in", self.ids)], ["amazon_df_account_id"],
            ["__count"]))
        for account in self:
            account.df_order_count = counts.get(account, 0)

    def action_view_df_orders(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "acorn_amazon_vendor_direct_fulfillment.action_amazon_df_orders")
        action["domain"] = [("amazon_df_account_id", "=", self.id)]
        return action

    def _amazon_df_api(self, api=None):
        return DirectFulfillmentApi(api=api or self.sudo()._amazon_vendor_api())

    # -- import -----------------------------------------------------------------------------
    def action_amazon_df_import(self):
        self._amazon_vendor_check_manager(_("Only an Amazon Vendor manager may import orders."))
        for account in self:
            account._amazon_df_import()
        return True

    @api.model
    def _cron_amazon_df_import(self):
        for account in self.sudo().search([("df_enabled", "=", True)]):
            try:
                account._amazon_df_import()
            except (AmazonApiError, UserError, ValueError) as exc:
                _logger.info("DF import of account %s failed: %s", account.id, exc)
                account._amazon_vendor_notify(
                    account, _("Amazon Direct Fulfillment import failed"), str(exc),
                    alert_type="po_import_failed")

    def _amazon_df_import(self, start=None, end=None):
        """Read Amazon's DF orders created in [start, end) (default: since the watermark,
        minus a day of overlap, at most 7 days back) and import the new ones."""
        self.ensure_one()
        if not self.df_enabled:
            raise UserError(_("Direct Fulfillment is not enabled on %s.", self.name))
        end = end or fields.Datetime.now()
        start = start or max(end - datetime.timedelta(days=7),
                             (self.df_import_watermark or end) - datetime.timedelta(days=1))
        start = min(start, end - datetime.timedelta(hours=1))
        codes = self.df_warehouse_ids.filtered("active").mapped("code")
        if not codes:
            raise UserError(_("Map at least one Amazon Direct Fulfillment warehouse on %s.",
                              self.name))
        utc = datetime.UTC
        imported = self.env["sale.order"]
        with self._amazon_df_api() as client:
            # Per mapped warehouse (shipFromPartyId): the orders this account ships, and only
            # those (one Amazon authorization may cover several vendor accounts).
            for code in codes:
                for _s, _e, orders in client.iter_order_pages(
                        start.replace(tzinfo=utc), end.replace(tzinfo=utc), ship_from=code):
                    imported |= self.env["sale.order"]._amazon_df_import_orders(self, orders)
            self._amazon_df_follow_older_cancellations(client, codes, start)
            self.df_import_watermark = end
            to_ack = imported.filtered(lambda o: o.amazon_df_ack_state == "to_decide"
                                       and self.df_auto_acknowledge
                                       and not o.amazon_df_issues)
            docs = to_ack._amazon_df_queue_acknowledgement()
            docs._send_to_amazon()
        return imported

    def _amazon_df_follow_older_cancellations(self, client, codes, start):
        """A customer may cancel days after ordering, and getOrders filters by creation date:
        the open orders that may have been created before this run's window are asked for
        again, Amazon's cancelled ones only (without the customer's address). An order is
        imported at most IMPORT_LAG after Amazon created it (the import reads 7 days back at
        most); confirming an order resets its date, so the import's own date bounds it."""
        # one aggregate: the oldest by create_date alone was a tie between orders created in
        # one transaction, answered by whichever row PostgreSQL returned first
        [(oldest,)] = self.env["sale.order"]._read_group([
            ("amazon_df_account_id", "=", self.id), ("amazon_df_status", "in", ("NEW", "ACCEPTED")),
            ("state", "!=", "cancel")], aggregates=["create_date:min"])
        if not oldest or oldest - IMPORT_LAG >= start:
            return
        utc = datetime.UTC
        since = max(oldest - IMPORT_LAG,
                    start - datetime.timedelta(days=CANCELLATION_DAYS))
        for code in codes:
            for _s, _e, orders in client.iter_order_pages(
                    since.replace(tzinfo=utc), start.replace(tzinfo=utc), ship_from=code,
                    status="CANCELLED", with_address=False):
                self.env["sale.order"]._amazon_df_import_orders(self, orders)

    # -- inventory --------------------------------------------------------------------------
    def action_amazon_df_push_inventory(self):
        self._amazon_vendor_check_manager(
            _("Only an Amazon Vendor manager may send inventory to Amazon."))
        docs = self._amazon_df_queue_inventory()
        docs._send_to_amazon()
        return True

    @api.model
    def _cron_amazon_df_inventory(self):
        docs = self.sudo().search([("df_enabled", "=", True)])._amazon_df_queue_inventory()
        docs._send_to_amazon()

    def _amazon_df_inventory_products(self):
        self.ensure_one()
        # Only products Amazon knows by their ASIN: Amazon refuses an update naming an item it
        # has not set up for Direct Fulfillment.
        return self.env["product.product"].sudo().search([
            ("is_storable", "=", True), ("sale_ok", "=", True),
            ("amazon_vendor_asin", "!=", False),
            ("company_id", "in", [False, self.company_id.id])], order="id")

    def _amazon_df_inventory_levels(self, df_warehouse, full):
        """``[{asin, vendor_sku, quantity}]``: forecasted quantity in the warehouse minus the
        account's and the product's safety buffers, never below zero."""
        products = self._amazon_df_inventory_products()
        if not full and df_warehouse.last_inventory_at:
            moved = self.env["stock.move"].sudo()._read_group([
                ("product_id", "in", products.ids), ("state", "in", ("done", "assigned",
                                                                      "confirmed", "cancel")),
                ("write_date", ">=", df_warehouse.last_inventory_at)], ["product_id"])
            products = products.browse([p.id for (p,) in moved])
        products = products.with_context(warehouse_id=df_warehouse.warehouse_id.id)
        levels = []
        for product in products:
            available = product.virtual_available - self.df_safety_buffer \
                - product.product_tmpl_id.amazon_df_safety_stock
            levels.append({"asin": product.amazon_vendor_asin or None,
                           "vendor_sku": product.default_code or None,
                           "quantity": max(0, int(available))})
        return levels

    def _amazon_df_queue_inventory(self):
        Document = self.env["amazon.vendor.document"].sudo()
        docs = Document
        now = fields.Datetime.now()
        for account in self.sudo():
            vendor_code = account.party_ids[:1].code
            for wh in account.df_warehouse_ids.filtered("active"):
                full = account.df_inventory_full or not wh.last_inventory_at
                levels = account._amazon_df_inventory_levels(wh, full)
                if not levels and not full:
                    continue
                body = mapping.inventory_update(vendor_code, levels, full)
                stamp = datetime.datetime.now(datetime.UTC)
                external_id = f"{wh.code}-{stamp:%Y%m%dT%H%M%S.%f}"
                # Linked to the account: alerts about it land where the settings are.
                doc = Document._queue_outbound(account, "df_inventory", external_id, account,
                                               body)
                doc.amazon_df_warehouse_code = wh.code
                wh.last_inventory_at = now
                docs |= doc
        return docs

    # -- promises and personal data ---------------------------------------------------------
    @api.model
    def _cron_amazon_df_ship_alerts(self):
        orders = self.env["sale.order"].sudo()
        orders._amazon_df_alert_ship_by()
        orders._amazon_df_alert_deliver_by()

    @api.model
    def _cron_amazon_df_purge_addresses(self):
        self.env["sale.order"].sudo()._amazon_df_purge_addresses()
