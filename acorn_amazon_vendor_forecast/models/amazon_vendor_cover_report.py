from odoo import fields, models, tools
from odoo.tools import SQL

from .amazon_vendor_forecast_chart import ACCOUNT_WAREHOUSE_SQL


class AmazonVendorCoverReport(models.Model):
    """Open Amazon PO quantities per fulfilment centre next to the forecast, our stock and
    Amazon's stock, per ASIN. Stock and forecast rows have no fulfilment centre, so totals
    per product stay right."""
    _name = "amazon.vendor.cover.report"
    _description = "Amazon Cover Report"
    _auto = False
    _order = "product_id, ship_to_code"

    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    asin = fields.Char(string="ASIN", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    ship_to_code = fields.Char(string="Fulfilment Centre", readonly=True)
    open_po_qty = fields.Float(string="Open Amazon POs", readonly=True)
    on_hand_qty = fields.Float(string="On Hand", readonly=True)
    forecast_4w_qty = fields.Float(string="Forecast 4 Weeks", readonly=True)
    lead_demand_qty = fields.Float(string="Forecast over Lead Time", readonly=True)
    amazon_on_hand_qty = fields.Float(string="Amazon On Hand", readonly=True)
    amazon_open_po_qty = fields.Float(string="Amazon Open PO Units", readonly=True)
    stockout_date = fields.Date(string="Runs Out On", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE VIEW %s AS
            SELECT row_number() OVER (ORDER BY c.product_id, c.warehouse_id,
                                      c.ship_to_code NULLS FIRST) AS id,
                   c.*, pt.amazon_vendor_asin AS asin FROM (
                SELECT so.company_id, sol.product_id, so.warehouse_id,
                       so.amazon_vendor_ship_to_code AS ship_to_code,
                       SUM(sol.product_uom_qty - sol.qty_delivered) AS open_po_qty,
                       0.0 AS on_hand_qty, 0.0 AS forecast_4w_qty, 0.0 AS lead_demand_qty,
                       0.0 AS amazon_on_hand_qty, 0.0 AS amazon_open_po_qty,
                       NULL::date AS stockout_date
                  FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id
                 WHERE so.amazon_vendor_account_id IS NOT NULL AND so.state = 'sale'
                   AND sol.product_id IS NOT NULL
                   AND sol.product_uom_qty > sol.qty_delivered
                 GROUP BY so.company_id, sol.product_id, so.warehouse_id,
                          so.amazon_vendor_ship_to_code
                UNION ALL
                SELECT p.company_id, p.product_id, p.warehouse_id, NULL, 0.0,
                       COALESCE((SELECT SUM(q.quantity) FROM stock_quant q
                                   JOIN stock_location l ON l.id = q.location_id
                                  WHERE q.product_id = p.product_id AND l.usage = 'internal'
                                    AND l.warehouse_id = p.warehouse_id), 0.0),
                       p.weekly_forecast * 4, p.lead_demand,
                       COALESCE(inv.on_hand, 0.0), COALESCE(inv.open_po, 0.0), p.stockout_date
                  FROM amazon_vendor_forecast_plan p
                  LEFT JOIN (
                      SELECT latest.product_id, latest.warehouse_id,
                             SUM(latest.sellable_on_hand_units) AS on_hand,
                             SUM(latest.open_po_units) AS open_po
                        FROM (SELECT DISTINCT ON (d.account_id, d.report_marketplace_id,
                                                  i.product_id)
                                     i.product_id, %s AS warehouse_id,
                                     i.sellable_on_hand_units, i.open_po_units
                                FROM amazon_vendor_report_inventory i
                                JOIN amazon_vendor_document d ON d.id = i.document_id
                                JOIN amazon_vendor_account a ON a.id = i.account_id
                               WHERE i.product_id IS NOT NULL
                               ORDER BY d.account_id, d.report_marketplace_id, i.product_id,
                                        i.end_date DESC, d.id DESC
                             ) latest
                       GROUP BY latest.product_id, latest.warehouse_id
                  ) inv ON inv.product_id = p.product_id AND inv.warehouse_id = p.warehouse_id
            ) c
            JOIN product_product pp ON pp.id = c.product_id
            JOIN product_template pt ON pt.id = pp.product_tmpl_id
        """, SQL.identifier(self._table), SQL(ACCOUNT_WAREHOUSE_SQL)))
