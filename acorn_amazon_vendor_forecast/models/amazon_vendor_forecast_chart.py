from odoo import fields, models, tools
from odoo.tools import SQL

SERIES = [
    ("history", "Amazon orders"),
    ("own", "Own forecast"),
    ("amazon_orders", "Expected from Amazon's forecast"),
    ("forecast", "Blended forecast"),
    ("forecast_p90", "Forecast P90 (week)"),
    ("amazon_mean", "Amazon sell-through (mean)"),
    ("amazon_p70", "Amazon sell-through P70"),
    ("amazon_p90", "Amazon sell-through P90"),
]

# The warehouse an account's orders ship from (its rule, else the company's first warehouse).
ACCOUNT_WAREHOUSE_SQL = """
    COALESCE(a.warehouse_id, (SELECT w.id FROM stock_warehouse w
                               WHERE w.company_id = a.company_id AND w.active
                               ORDER BY w.sequence, w.id LIMIT 1))
"""

# The latest forecast document per account and marketplace (a report fetched twice counts once).
LATEST_FORECASTS_SQL = """
    SELECT DISTINCT ON (account_id, report_marketplace_id) id
      FROM amazon_vendor_document
     WHERE kind = 'report' AND report_type = 'GET_VENDOR_FORECASTING_REPORT'
       AND state = 'processed' AND report_date IS NOT NULL
     ORDER BY account_id, report_marketplace_id, report_date DESC, id DESC
"""


class AmazonVendorForecastChart(models.Model):
    """History, own forecast, Amazon's quantiles and the blend of one product on one graph.

    A series has a row exactly for the weeks it has data for, so the graph (a gap graph)
    draws nothing where there is none: Amazon's orders every closed week from the first one
    (a week without orders is a real 0) up to last week, the forecasts over their horizon,
    the part expected from Amazon's forecast only where Amazon gave one, Amazon's quantiles
    over the weeks of its report."""
    _name = "amazon.vendor.forecast.chart"
    _description = "Amazon Forecast Chart"
    _auto = False
    _order = "week_start"

    company_id = fields.Many2one("res.company", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True)
    week_start = fields.Date(string="Week", readonly=True)
    series = fields.Selection(SERIES, readonly=True)
    qty = fields.Float(string="Units", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(SQL("""
            CREATE VIEW %s AS
            SELECT row_number() OVER (ORDER BY s.product_id, s.warehouse_id, s.week_start,
                                      s.series) AS id, s.* FROM (
                SELECT r.company_id, r.product_id, r.warehouse_id, w.week::date AS week_start,
                       'history' AS series, COALESCE(d.ordered_qty, 0) AS qty
                  FROM (SELECT company_id, product_id, warehouse_id,
                               MIN(week_start) AS first_week
                          FROM amazon_vendor_demand_week
                         GROUP BY company_id, product_id, warehouse_id) r
                 -- up to last week (the open week is not history yet), and no later than the
                 -- last week the forecast run refreshed: a week closed since is unknown, not 0
                 CROSS JOIN LATERAL generate_series(
                       r.first_week, LEAST(
                           CURRENT_DATE - EXTRACT(DOW FROM CURRENT_DATE)::int - 7,
                           COALESCE((SELECT MAX(fr.origin_week) - 7
                                       FROM amazon_vendor_forecast_run fr
                                      WHERE fr.company_id = r.company_id),
                                    CURRENT_DATE - EXTRACT(DOW FROM CURRENT_DATE)::int - 7)),
                       INTERVAL '1 week') AS w(week)
                  LEFT JOIN amazon_vendor_demand_week d
                    ON d.product_id = r.product_id AND d.warehouse_id = r.warehouse_id
                   AND d.week_start = w.week::date
                UNION ALL
                SELECT l.company_id, l.product_id, l.warehouse_id, l.week_start, k.series,
                       CASE k.series WHEN 'own' THEN l.own_qty
                                     WHEN 'amazon_orders' THEN l.amazon_qty
                                     WHEN 'forecast_p90' THEN l.p90_qty
                                     ELSE l.forecast_qty END
                  FROM amazon_vendor_forecast_line l
                  JOIN amazon_vendor_forecast_plan p
                    ON p.run_id = l.run_id AND p.product_id = l.product_id
                   AND p.warehouse_id = l.warehouse_id
                 CROSS JOIN (VALUES ('own'), ('amazon_orders'), ('forecast'), ('forecast_p90'))
                       AS k(series)
                 WHERE k.series != 'amazon_orders' OR l.amazon_qty IS NOT NULL
                UNION ALL
                SELECT a.company_id, f.product_id, %s, f.week_start,
                       k.series,
                       CASE k.series WHEN 'amazon_mean' THEN f.mean_units
                                     WHEN 'amazon_p70' THEN f.p70_units
                                     ELSE f.p90_units END
                  FROM amazon_vendor_report_forecast f
                  JOIN amazon_vendor_account a ON a.id = f.account_id
                  JOIN (%s) g ON g.id = f.document_id
                 CROSS JOIN (VALUES ('amazon_mean'), ('amazon_p70'), ('amazon_p90'))
                       AS k(series)
                 WHERE f.product_id IS NOT NULL
            ) s
        """, SQL.identifier(self._table), SQL(ACCOUNT_WAREHOUSE_SQL),
            SQL(LATEST_FORECASTS_SQL)))
