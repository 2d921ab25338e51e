from odoo import _, fields, models, tools
from odoo.tools import SQL

# The Amazon records people work on, each with the account and company it belongs to.
AMAZON_RECORDS = SQL("""
    SELECT 'sale.order' AS model, id, amazon_vendor_account_id AS account_id, company_id
      FROM sale_order WHERE amazon_vendor_account_id IS NOT NULL
    UNION ALL
    SELECT 'stock.picking', id, amazon_vendor_account_id, company_id
      FROM stock_picking WHERE amazon_vendor_account_id IS NOT NULL
    UNION ALL
    SELECT 'account.move', id, amazon_vendor_account_id, company_id
      FROM account_move WHERE amazon_vendor_account_id IS NOT NULL
    UNION ALL
    SELECT 'amazon.vendor.document', id, account_id, company_id FROM amazon_vendor_document
    UNION ALL
    SELECT 'amazon.vendor.account', id, id, company_id FROM amazon_vendor_account
""")


class AmazonVendorOpenWork(models.Model):
    """Open activities on Amazon orders, deliveries, invoices, ledger documents and accounts:
    the manager's view of who has what to do, and what is overdue."""

    _name = "amazon.vendor.open.work"
    _description = "Amazon Open Work"
    _auto = False
    _order = "date_deadline, id"
    _rec_name = "summary"

    user_id = fields.Many2one("res.users", string="Assigned to", readonly=True)
    activity_type_id = fields.Many2one("mail.activity.type", readonly=True)
    summary = fields.Char(readonly=True)
    res_model = fields.Char(string="Document Model", readonly=True)
    res_id = fields.Many2oneReference(string="Document ID", model_field="res_model",
                                      readonly=True)
    res_name = fields.Char(string="Document", readonly=True)
    record_kind = fields.Selection(
        [("sale.order", "Order"), ("stock.picking", "Delivery"), ("account.move", "Invoice"),
         ("amazon.vendor.document", "Ledger document"),
         ("amazon.vendor.account", "Vendor account")],
        string="Kind", readonly=True)
    date_deadline = fields.Date(string="Due Date", readonly=True)
    state = fields.Selection(
        [("overdue", "Overdue"), ("today", "Today"), ("planned", "Planned")], readonly=True)
    overdue = fields.Boolean(readonly=True)
    account_id = fields.Many2one("amazon.vendor.account", string="Vendor Account",
                                 readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE OR REPLACE VIEW %s AS (
                SELECT a.id, a.user_id, a.activity_type_id, a.summary, a.res_model, a.res_id,
                       a.res_model AS record_kind, a.res_name, a.date_deadline,
                       CASE WHEN a.date_deadline < CURRENT_DATE THEN 'overdue'
                            WHEN a.date_deadline = CURRENT_DATE THEN 'today'
                            ELSE 'planned' END AS state,
                       a.date_deadline < CURRENT_DATE AS overdue,
                       src.account_id, src.company_id
                  FROM mail_activity a
                  JOIN (%s) src ON src.model = a.res_model AND src.id = a.res_id
                 WHERE a.active
            )""", SQL.identifier(self._table), AMAZON_RECORDS))

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "name": _("Amazon work"),
            "res_model": self.res_model, "res_id": self.res_id,
            "view_mode": "form", "views": [(False, "form")], "target": "current",
        }
