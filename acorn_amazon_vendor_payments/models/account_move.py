"""Amazon's view of each customer invoice: its status, how it was settled, the variances."""
from odoo import fields, models

AMAZON_STATUSES = [
    ("IN_PROGRESS", "In progress"),
    ("REJECTED", "Rejected"),
    ("PARTIALLY_PAID", "Partially paid"),
    ("PARTIALLY_DEDUCTED", "Partially deducted"),
    ("PAID", "Paid"),
    ("DEDUCTED", "Deducted"),
]


class AccountMove(models.Model):
    _inherit = "account.move"

    amazon_vendor_payment_status = fields.Selection(
        AMAZON_STATUSES, string="Amazon Payment Status", readonly=True, copy=False,
        tracking=True, help="Amazon's own status of this invoice (Finances Invoices API).")
    amazon_vendor_status_checked_at = fields.Datetime(readonly=True, copy=False)
    amazon_vendor_paid_amount = fields.Monetary(string="Paid by Amazon", readonly=True,
                                                copy=False)
    amazon_vendor_queued_amount = fields.Monetary(string="Queued for Payment", readonly=True,
                                                  copy=False)
    amazon_vendor_quick_pay_discount = fields.Monetary(string="Quick-pay Discount",
                                                       readonly=True, copy=False)
    amazon_vendor_pqv_amount = fields.Monetary(string="Quantity Variance (PQV)",
                                               readonly=True, copy=False)
    amazon_vendor_ppv_amount = fields.Monetary(string="Price Variance (PPV)", readonly=True,
                                               copy=False)
    amazon_vendor_shortage_invoices = fields.Char(
        string="Amazon Shortage Invoices", readonly=True, copy=False,
        help="Amazon's shortage claims raised against this invoice.")
    amazon_vendor_variance_ids = fields.One2many("amazon.vendor.invoice.variance", "move_id",
                                                 string="Amazon Variances", readonly=True)
    amazon_vendor_deduction_ids = fields.One2many("amazon.vendor.deduction", "invoice_id",
                                                  string="Amazon Deductions")

    def init(self):  # pylint: disable=missing-return  # init returns nothing
        super().init()
        # Remittance lines find invoices by number whatever Amazon did to its separators.
        self.env.cr.execute("""
            CREATE INDEX IF NOT EXISTS account_move_amazon_vendor_number_index
                ON account_move (regexp_replace(upper(name), '[^A-Z0-9]', '', 'g'))
             WHERE move_type IN ('out_invoice', 'out_refund') AND state = 'posted'""")


class AmazonVendorInvoiceVariance(models.Model):
    """One line of an invoice Amazon matched with a quantity or price difference."""

    _name = "amazon.vendor.invoice.variance"
    _description = "Amazon Invoice Variance"
    _order = "move_id, id"

    move_id = fields.Many2one("account.move", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="move_id.currency_id")
    line_reference = fields.Char(string="Amazon Line", readonly=True)
    identifiers = fields.Char(string="Item", readonly=True, help="ASIN, SKU, EAN...")
    quantity = fields.Integer(string="Invoiced", readonly=True)
    matched_quantity = fields.Integer(string="Matched", readonly=True)
    paid_quantity = fields.Integer(string="Paid", readonly=True)
    quantity_variance = fields.Integer(readonly=True)
    price_variance = fields.Monetary(readonly=True)
    variance_types = fields.Char(string="Variance", readonly=True, help="PQV, PPV...")
    defect_types = fields.Char(string="Amazon's Reasons", readonly=True)
