import datetime

from odoo import api, fields, models

# Re-read this many recent weeks on every refresh: Amazon changes and cancels recent orders.
REFRESH_WEEKS = 8


def week_start(day):
    """Sunday of the Amazon retail week (Sunday..Saturday) holding ``day``."""
    return day - datetime.timedelta(days=(day.weekday() + 1) % 7)


class AmazonVendorDemandWeek(models.Model):
    _name = "amazon.vendor.demand.week"
    _description = "Amazon Weekly Demand"
    _order = "week_start desc, product_id"
    _rec_name = "product_id"

    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    product_id = fields.Many2one("product.product", required=True, index=True, readonly=True,
                                 ondelete="cascade")
    warehouse_id = fields.Many2one("stock.warehouse", required=True, index=True, readonly=True,
                                   ondelete="cascade")
    week_start = fields.Date(required=True, index=True, readonly=True,
                             help="Sunday starting the Amazon retail week of the PO dates.")
    ordered_qty = fields.Float(string="Ordered", readonly=True, digits="Product Unit of Measure",
                               help="Units Amazon ordered on purchase orders dated this week, "
                                    "cancelled purchase orders excluded.")
    rejected_qty = fields.Float(string="Rejected", readonly=True,
                                digits="Product Unit of Measure",
                                help="Part of the ordered units the acknowledgement rejected: "
                                     "demand that was not served.")
    cancelled_qty = fields.Float(string="Cancelled", readonly=True,
                                 digits="Product Unit of Measure",
                                 help="Units on purchase orders cancelled (kept apart, not "
                                      "counted as demand).")
    order_count = fields.Integer(string="Purchase Orders", readonly=True)

    _sql_constraints = [
        ("product_warehouse_week_unique", "unique (product_id, warehouse_id, week_start)",
         "One demand row per product, warehouse and week."),
    ]

    @api.model
    def _refresh(self, companies, full=False, today=None):
        """Rebuild the weekly buckets from the Amazon sale orders in one statement per company.

        The first refresh of a company (or ``full``) backfills every order; later ones re-read
        the last REFRESH_WEEKS weeks. Returns the number of rows written."""
        today = today or fields.Date.context_today(self)
        written = 0
        self.flush_model()
        self.env["sale.order.line"].flush_model(["product_id", "amazon_vendor_ordered_qty",
                                                 "amazon_vendor_rejected_qty", "display_type"])
        self.env["sale.order"].flush_model(["amazon_vendor_account_id", "amazon_vendor_po_date",
                                            "warehouse_id", "state", "company_id"])
        for company in companies:
            self.env.cr.execute("SELECT 1 FROM amazon_vendor_demand_week WHERE company_id = %s "
                                "LIMIT 1", [company.id])
            backfill = full or not self.env.cr.rowcount
            since = None if backfill else week_start(today) - datetime.timedelta(
                weeks=REFRESH_WEEKS)
            self.env.cr.execute("""
                DELETE FROM amazon_vendor_demand_week
                 WHERE company_id = %(company)s AND (%(since)s::date IS NULL
                                                    OR week_start >= %(since)s::date)
            """, {"company": company.id, "since": since})
            self.env.cr.execute("""
                WITH lines AS (
                    SELECT so.company_id, sol.product_id, so.warehouse_id, so.id AS order_id,
                           so.state = 'cancel' AS cancelled,
                           sol.amazon_vendor_ordered_qty AS ordered,
                           COALESCE(sol.amazon_vendor_rejected_qty, 0) AS rejected,
                           d.day - EXTRACT(DOW FROM d.day)::int AS week
                      FROM sale_order_line sol
                      JOIN sale_order so ON so.id = sol.order_id
                     CROSS JOIN LATERAL (SELECT COALESCE(so.amazon_vendor_po_date,
                                                         so.date_order)::date AS day) d
                     WHERE so.company_id = %(company)s
                       AND so.amazon_vendor_account_id IS NOT NULL
                       AND sol.product_id IS NOT NULL AND sol.display_type IS NULL
                       AND so.warehouse_id IS NOT NULL
                )
                INSERT INTO amazon_vendor_demand_week
                       (company_id, product_id, warehouse_id, week_start, ordered_qty,
                        rejected_qty, cancelled_qty, order_count,
                        create_uid, create_date, write_uid, write_date)
                SELECT company_id, product_id, warehouse_id, week,
                       SUM(ordered) FILTER (WHERE NOT cancelled),
                       SUM(rejected) FILTER (WHERE NOT cancelled),
                       SUM(ordered) FILTER (WHERE cancelled),
                       COUNT(DISTINCT order_id) FILTER (WHERE NOT cancelled),
                       %(uid)s, NOW() AT TIME ZONE 'UTC', %(uid)s, NOW() AT TIME ZONE 'UTC'
                  FROM lines
                 WHERE %(since)s::date IS NULL OR week >= %(since)s::date
                 GROUP BY company_id, product_id, warehouse_id, week
            """, {"company": company.id, "since": since, "uid": self.env.uid})
            written += self.env.cr.rowcount
        self.invalidate_model()
        return written
