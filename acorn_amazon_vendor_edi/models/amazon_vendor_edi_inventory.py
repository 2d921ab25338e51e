"""The inventory feed: what Odoo can ship to Amazon, sent as an 846 (X12) or INVRPT (EDIFACT).

Amazon offers 1P vendors no Selling Partner API for their retail inventory, so the feed is EDI
or nothing (``edi_channel_inventory``). One report per account: every storable product of the
account's company that has an ASIN, with its free quantity (on hand minus reserved) in the
account's warehouse, and what is coming in (receipts not done yet) with its earliest date.
Quantities come from two grouped reads, whatever the number of products. The file is sent by
``_edi_send`` and recorded as an interchange of kind ``inventory``, which Amazon's 997 /
CONTRL then settles like any other file we send."""
import logging

from odoo import _, api, fields, models
from odoo.addons.acorn_amazon_vendor.lib.transport import AmazonApiError
from odoo.exceptions import UserError

_logger = logging.getLogger(__name__)


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    # -- the document ----------------------------------------------------------------------
    def _edi_inventory_warehouse(self):
        self.ensure_one()
        return self.warehouse_id or self.env["stock.warehouse"].sudo().search(
            [("company_id", "=", self.company_id.id)], limit=1)

    def _edi_inventory_products(self):
        """The products Amazon knows: storable, with an ASIN, of the account's company."""
        self.ensure_one()
        return self.env["product.product"].sudo().with_company(self.company_id).search([
            ("amazon_vendor_asin", "!=", False), ("is_storable", "=", True),
            ("company_id", "in", [False, self.company_id.id])], order="id")

    def _edi_inventory_quantities(self, products, warehouse):
        """({product id: free quantity}, {product id: (incoming quantity, earliest date)}) in
        the warehouse: one grouped read of the quants, one of the incoming moves."""
        free, incoming = {}, {}
        if not products or not warehouse:
            return free, incoming
        inside = [("location_id", "child_of", warehouse.view_location_id.id),
                  ("location_id.usage", "=", "internal")]
        for product, quantity, reserved in self.env["stock.quant"].sudo()._read_group(
                [("product_id", "in", products.ids), *inside], ["product_id"],
                ["quantity:sum", "reserved_quantity:sum"]):
            free[product.id] = (quantity or 0.0) - (reserved or 0.0)
        for product, quantity, date in self.env["stock.move"].sudo()._read_group(
                [("product_id", "in", products.ids),
                 ("state", "not in", ("draft", "cancel", "done")),
                 ("location_dest_id", "child_of", warehouse.view_location_id.id),
                 ("location_dest_id.usage", "=", "internal"),
                 ("location_id.usage", "not in", ("internal", "transit"))],
                ["product_id"], ["product_qty:sum", "date:min"]):
            if quantity:
                incoming[product.id] = (quantity, date)
        return free, incoming

    def _edi_inventory_document(self, as_of=None):
        """The neutral inventory document (``lib/x12/ts846``) of this account, from Odoo."""
        self.ensure_one()
        party = self.party_ids.filtered("active")[:1]
        if not party:
            raise UserError(_("Set a vendor code on the account %s: the inventory report names "
                              "it as the seller.", self.name))
        warehouse = self._edi_inventory_warehouse()
        if not warehouse:
            raise UserError(_("The account %s has no warehouse to report the stock of.",
                              self.name))
        products = self._edi_inventory_products()
        if not products:
            raise UserError(_("No storable product of %s has an ASIN: there is no inventory to "
                              "report.", self.company_id.name))
        free, incoming = self._edi_inventory_quantities(products, warehouse)
        as_of = (as_of or fields.Datetime.now()).replace(microsecond=0)
        today = as_of.date()
        items = []
        for product in products:
            item = {"amazonProductIdentifier": product.amazon_vendor_asin}
            if product.default_code:
                item["vendorProductIdentifier"] = product.default_code
            if product.barcode and product.barcode.isdigit() and len(product.barcode) == 13:
                item["ean"] = product.barcode
            elif product.barcode and product.barcode.isdigit() and len(product.barcode) == 12:
                item["upc"] = product.barcode
            item["availableQuantity"] = max(0, int(free.get(product.id, 0.0)))
            if product.id in incoming:
                quantity, date = incoming[product.id]
                item["onOrderQuantity"] = max(0, int(quantity))
                item["restockDate"] = max(date.date(), today).isoformat()
            items.append(item)
        document = {
            "reportId": f"INV{self.id}-{as_of:%Y%m%d%H%M%S}",
            "asOf": f"{as_of:%Y-%m-%dT%H:%M:%S}Z",
            "sellingParty": {"partyId": party.code},
            "items": items,
        }
        if warehouse.code:
            document["shipFromParty"] = {"partyId": warehouse.code}
        return document

    # -- sending ---------------------------------------------------------------------------
    def _edi_send_inventory(self):
        """Build and send this account's inventory report; returns the interchange."""
        self.ensure_one()
        if self.edi_channel_inventory != "edi":
            raise UserError(_("The inventory feed of %s is off: choose EDI for Inventory on "
                              "the account's EDI page first.", self.name))
        document = self._edi_inventory_document()
        transaction_id = self._edi_send("inventory", [document])
        return self.env["amazon.vendor.edi.interchange"].sudo().search(
            [("account_id", "=", self.id), ("direction", "=", "out"),
             ("transaction_id", "=", transaction_id)], limit=1)

    def action_edi_send_inventory(self):
        self.ensure_one()
        self._amazon_vendor_check_manager(
            _("Only an Amazon Vendor manager can send the inventory of an account."))
        try:
            interchange = self._edi_send_inventory()
        except AmazonApiError as exc:
            raise UserError(_("The inventory could not be sent: %s", exc)) from None
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {
                "title": _("Inventory sent"),
                "message": _("%(file)s left for Amazon; its 997 / CONTRL will settle it.",
                             file=interchange.file_name),
                "type": "success",
                "next": {"type": "ir.actions.client", "tag": "soft_reload"}}}

    @api.model
    def _cron_edi_send_inventory(self):
        """Daily: each account with the EDI inventory feed sends its report. A failure is
        said on the account (and to its alert people), never raised: the others go on."""
        accounts = self.search([("edi_channel_inventory", "=", "edi")])
        in_cron = bool(self.env.context.get("ir_cron_progress_id"))
        for done, account in enumerate(accounts, 1):
            try:
                with self.env.cr.savepoint():
                    account._edi_send_inventory()
            except (AmazonApiError, UserError) as exc:
                account._amazon_vendor_notify(
                    account, _("Amazon inventory report of %s not sent", account.name),
                    _("The daily inventory report could not be sent: %s", exc), warning=True)
            except Exception as exc:  # noqa: BLE001 - one account never stops the others
                _logger.info("Amazon Vendor account %s: inventory report failed (%s: %s)",
                             account.id, type(exc).__name__, exc)
                account.message_post(body=_("The daily inventory report could not be sent: "
                                            "%(type)s: %(error)s", type=type(exc).__name__,
                                            error=exc))
            if in_cron:
                self.env.cr.commit()  # pylint: disable=invalid-commit  # a cron keeps done work
            self.env["ir.cron"]._notify_progress(done=done, remaining=len(accounts) - done)
