from odoo import api, fields, models


class AmazonVendorDfWarehouse(models.Model):
    """A Direct Fulfillment warehouse as Amazon names it (shipFromParty.partyId) mapped to the
    Odoo warehouse that ships its orders and whose stock is offered to Amazon."""

    _name = "amazon.vendor.df.warehouse"
    _description = "Amazon Direct Fulfillment Warehouse"
    _order = "account_id, code"

    account_id = fields.Many2one("amazon.vendor.account", required=True, ondelete="cascade",
                                 index=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    code = fields.Char(string="Amazon Warehouse Code", required=True,
                       help="Amazon's identifier of the warehouse (shipFromParty), e.g. ACWH1.")
    warehouse_id = fields.Many2one("stock.warehouse", string="Odoo Warehouse", required=True,
                                   check_company=True)
    own_carrier = fields.Boolean(
        string="Own Carrier (VOC)",
        help="This warehouse ships with your own carrier (Vendor Own Carrier) instead of "
             "Amazon's labels: the carrier's tracking numbers are entered on the delivery, its "
             "scans are sent to Amazon as status updates, and a parcel not delivered by the "
             "promised date is alerted.")
    active = fields.Boolean(default=True)
    last_inventory_at = fields.Datetime(string="Last Inventory Update", readonly=True,
                                        copy=False)

    _sql_constraints = [
        ("code_unique", "unique(account_id, code)",
         "This Amazon warehouse code is already mapped on this account."),
    ]

    @api.depends("code", "warehouse_id")
    def _compute_display_name(self):
        for wh in self:
            wh.display_name = f"{wh.code} → {wh.warehouse_id.name or ''}"
