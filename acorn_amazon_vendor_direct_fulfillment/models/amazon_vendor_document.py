"""Direct Fulfillment documents in the core's ledger: the orders received (kept without the
customer's address) and the acknowledgements, shipment confirmations, carrier status updates,
invoices and inventory updates sent, with the ledger's claims, send journal, unknown-outcome
checks and polling.

DF documents are sent and polled through the DF APIs: the ledger's VendorApi is wrapped in
``DfLedgerApi`` for them (Amazon's DF Transactions API answers their status)."""
from odoo import fields, models
from odoo.addons.acorn_amazon_vendor.models import amazon_vendor_document_exchange as exchange

from ..lib.transport import DirectFulfillmentApi

DF_KINDS = [
    ("df_order", "DF Order"),
    ("df_acknowledgement", "DF Acknowledgement"),
    ("df_shipment_confirmation", "DF Shipment Confirmation"),
    ("df_status_update", "DF Carrier Status Update"),
    ("df_invoice", "DF Invoice"),
    ("df_inventory", "DF Inventory Update"),
]
DF_KIND_CODES = frozenset(code for code, _label in DF_KINDS)
exchange.SEND_OPERATIONS.update({
    "df_acknowledgement": "df_submit_acknowledgement",
    "df_shipment_confirmation": "df_submit_shipment_confirmations",
    "df_status_update": "df_submit_shipment_status_updates",
    "df_invoice": "df_submit_invoice",
    "df_inventory": "df_submit_inventory_update",
})
# An unknown outcome is checked by resending the identical document: confirmations once (a
# second one is refused as AlreadyShipped, which tells Amazon has it), invoices 3 times.
exchange.RECONCILE_RESENDS.update({"df_acknowledgement": 1, "df_shipment_confirmation": 1,
                                   "df_status_update": 1, "df_invoice": 3, "df_inventory": 1})
exchange.ALERT_TYPE_BY_KIND.update({"df_invoice": "invoice_refused"})


class DfLedgerApi:
    """The ledger's view of the DF APIs: ``df_submit_*`` (body -> transaction id) and
    ``get_transaction`` (the DF Transactions API)."""

    def __init__(self, api, warehouse=None):
        self.api = api
        self.df = DirectFulfillmentApi(api=api)
        self.warehouse = warehouse

    def df_submit_acknowledgement(self, body):
        return self.df.submit_acknowledgement(body)

    def df_submit_shipment_confirmations(self, body):
        return self.df.submit_shipment_confirmations(body)

    def df_submit_shipment_status_updates(self, body):
        return self.df.submit_shipment_status_updates(body)

    def df_submit_invoice(self, body):
        return self.df.submit_invoice(body)

    def df_submit_inventory_update(self, body):
        return self.df.submit_inventory_update(self.warehouse, body)

    def get_transaction(self, transaction_id):
        return self.df.get_transaction_status(transaction_id)


class AmazonVendorDocument(models.Model):
    _inherit = "amazon.vendor.document"

    kind = fields.Selection(selection_add=DF_KINDS,
                            ondelete=dict.fromkeys(DF_KIND_CODES, "cascade"))
    amazon_df_warehouse_code = fields.Char(
        string="DF Warehouse", readonly=True,
        help="Amazon's warehouse code an inventory update is for.")

    def _compute_direction(self):
        df_in = self.filtered(lambda d: d.kind == "df_order")
        df_in.direction = "in"
        return super(AmazonVendorDocument, self - df_in)._compute_direction()

    def _compute_initial_state(self):
        df_in = self.filtered(lambda d: d.kind == "df_order" and not d.state)
        df_in.state = "received"
        return super(AmazonVendorDocument, self - df_in)._compute_initial_state()

    def _amazon_df_wrap(self, api):
        if self.kind in DF_KIND_CODES and not isinstance(api, DfLedgerApi):
            return DfLedgerApi(api, self.amazon_df_warehouse_code)
        return api

    def _send_claimed(self, api, recorder):
        return super()._send_claimed(self._amazon_df_wrap(api), recorder)

    def _reconcile_one(self, api, recorder):
        return super()._reconcile_one(self._amazon_df_wrap(api), recorder)

    def _poll_one(self, api, recorder):
        return super()._poll_one(self._amazon_df_wrap(api), recorder)
