"""What the engine needs, read from the database in a few set-based queries per run."""
import datetime
import json

import numpy as np

from odoo import api, models

from ..lib import forecast_engine
from ..lib.report_documents import FORECAST, INVENTORY
from .amazon_vendor_demand_week import week_start


class AmazonVendorForecastData(models.AbstractModel):
    _name = "amazon.vendor.forecast.data"
    _description = "Amazon Forecast Input"

    @api.model
    def _account_warehouses(self, company):
        """{account id: warehouse id} for the company's Amazon accounts: the warehouse their
        orders ship from (account rule), else the company's first warehouse."""
        default = self.env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1)
        accounts = self.env["amazon.vendor.account"].with_context(active_test=False).search(
            [("company_id", "=", company.id)])
        return {a.id: (a.warehouse_id or default).id for a in accounts if a.warehouse_id or default}

    @api.model
    def _series_locator(self, company, keys):
        """locate(account, product) -> row of ``keys`` for an Amazon report row, or None."""
        account_wh = self._account_warehouses(company)
        index = {key: i for i, key in enumerate(keys)}
        return lambda account, product: index.get((product, account_wh.get(account)))

    @api.model
    def _series_keys(self, company, since):
        """(product, warehouse) pairs to forecast: Amazon demand since ``since`` or an Amazon
        forecast, both switches on, storable and active products only."""
        account_wh = self._account_warehouses(company)
        self.env.cr.execute("""
            SELECT DISTINCT d.product_id, d.warehouse_id
              FROM amazon_vendor_demand_week d
             WHERE d.company_id = %(company)s AND d.week_start >= %(since)s
             UNION
            SELECT DISTINCT f.product_id, (%(wh)s::jsonb ->> f.account_id::text)::int
              FROM amazon_vendor_report_forecast f
             WHERE f.company_id = %(company)s AND f.product_id IS NOT NULL
               AND f.generation_date >= %(since)s
        """, {"company": company.id, "since": since,
              "wh": json.dumps({str(k): v for k, v in account_wh.items()})})
        pairs = {(p, w) for p, w in self.env.cr.fetchall() if p and w}
        if not pairs:
            return []
        self.env.cr.execute("""
            SELECT pp.id FROM product_product pp
              JOIN product_template pt ON pt.id = pp.product_tmpl_id
             WHERE pp.id = ANY(%s) AND pp.active AND pt.is_storable
               AND pt.amazon_vendor_forecast_enabled
        """, [list({p for p, _w in pairs})])
        products = {row[0] for row in self.env.cr.fetchall()}
        self.env.cr.execute("SELECT id FROM stock_warehouse WHERE id = ANY(%s) AND active "
                            "AND amazon_vendor_forecast_enabled",
                            [list({w for _p, w in pairs})])
        warehouses = {row[0] for row in self.env.cr.fetchall()}
        return sorted((p, w) for p, w in pairs if p in products and w in warehouses)

    @api.model
    def _demand_matrix(self, company, keys, origin, weeks):
        """(n, weeks) weekly ordered units before ``origin`` (oldest first); weeks before a
        series' first order are NaN (not listed yet), later empty weeks are zeros."""
        index = {key: i for i, key in enumerate(keys)}
        first = origin - datetime.timedelta(weeks=weeks)
        matrix = np.zeros((len(keys), weeks))
        self.env.cr.execute("""
            SELECT product_id, warehouse_id, MIN(week_start)
              FROM amazon_vendor_demand_week
             WHERE company_id = %s AND product_id = ANY(%s) AND ordered_qty > 0
             GROUP BY product_id, warehouse_id
        """, [company.id, list({p for p, _w in keys})])
        starts = {(p, w): s for p, w, s in self.env.cr.fetchall()}
        for key, i in index.items():
            begin = starts.get(key)
            cut = weeks if begin is None else (begin - first).days // 7
            if cut > 0:
                matrix[i, :min(cut, weeks)] = np.nan
        self.env.cr.execute("""
            SELECT product_id, warehouse_id, week_start, ordered_qty
              FROM amazon_vendor_demand_week
             WHERE company_id = %s AND week_start >= %s AND week_start < %s
               AND product_id = ANY(%s)
        """, [company.id, first, origin, list({p for p, _w in keys})])
        for product, warehouse, week, qty in self.env.cr.fetchall():
            i = index.get((product, warehouse))
            if i is not None:
                matrix[i, (week - first).days // 7] = qty or 0.0
        return matrix

    @api.model
    def _latest_reports(self, company, report_type, before=None, per_week=False):
        """Ids of the report documents to use: the latest per account and marketplace (Amazon
        sends one per marketplace; a report fetched twice must not count twice), before
        ``before`` if given, and with ``per_week`` the latest of each week as well."""
        week = "report_date - EXTRACT(DOW FROM report_date)::int" if per_week else "NULL::date"
        self.env.cr.execute(f"""
            SELECT DISTINCT ON (account_id, report_marketplace_id, {week}) id
              FROM amazon_vendor_document
             WHERE company_id = %s AND kind = 'report' AND report_type = %s
               AND state = 'processed' AND report_date IS NOT NULL
               AND (%s::date IS NULL OR report_date < %s::date)
             ORDER BY account_id, report_marketplace_id, {week}, report_date DESC, id DESC
        """, [company.id, report_type, before, before])
        return [row[0] for row in self.env.cr.fetchall()]

    @api.model
    def _amazon_signal(self, company, keys, origin, horizon, history):
        """Amazon's latest forecast and inventory per series, summed over the accounts and
        marketplaces that ship from the series' warehouse. None when there is no forecast."""
        locate = self._series_locator(company, keys)
        n = len(keys)
        mean = np.full((n, horizon), np.nan)
        p90 = np.full((n, horizon), np.nan)
        self.env.cr.execute("""
            SELECT account_id, product_id, week_start, mean_units, p90_units
              FROM amazon_vendor_report_forecast
             WHERE document_id = ANY(%s) AND product_id IS NOT NULL AND week_start >= %s
        """, [self._latest_reports(company, FORECAST), origin])
        found = False
        for account, product, week, week_mean, week_p90 in self.env.cr.fetchall():
            i = locate(account, product)
            h = (week - origin).days // 7
            if i is None or not 0 <= h < horizon:
                continue
            found = True
            mean[i, h] = np.nan_to_num(mean[i, h]) + week_mean
            p90[i, h] = np.nan_to_num(p90[i, h]) + week_p90
        if not found:
            return None
        on_hand, open_po, lead = self._amazon_inventory_at(company, locate, n, None)
        signal = {"sellthrough_mean": mean, "sellthrough_p90": p90, "on_hand": on_hand,
                  "open_po": open_po, "lead_time": lead}
        signal.update(self._amazon_past_orders(company, locate, n, origin, horizon, history,
                                               lead))
        return signal

    @api.model
    def _amazon_past_orders(self, company, locate, n, origin, horizon, history, lead,
                            snapshots=8):
        """What Amazon's archived forecasts of past weeks implied it would order, for the
        engine to learn how much to trust them (Amazon never resends an old forecast: only
        the archive can tell). {} when nothing is archived before ``origin``."""
        documents = self._latest_reports(company, FORECAST, before=origin, per_week=True)
        self.env.cr.execute("""
            SELECT f.account_id, f.product_id,
                   d.report_date - EXTRACT(DOW FROM d.report_date)::int AS week,
                   f.week_start, f.mean_units
              FROM amazon_vendor_report_forecast f
              JOIN amazon_vendor_document d ON d.id = f.document_id
             WHERE f.document_id = ANY(%s) AND f.product_id IS NOT NULL
        """, [documents])
        rows = self.env.cr.fetchall()
        weeks = sorted({row[2] for row in rows})[-snapshots:]
        if not weeks:
            return {}
        position = {week: k for k, week in enumerate(weeks)}
        sellthrough = np.full((len(weeks), n, horizon), np.nan)
        for account, product, week, start, units in rows:
            i = locate(account, product)
            h = (start - week).days // 7
            if i is not None and week in position and 0 <= h < horizon:
                k = position[week]
                sellthrough[k, i, h] = np.nan_to_num(sellthrough[k, i, h]) + units
        past = np.full((n, len(weeks), horizon), np.nan)
        for k, week in enumerate(weeks):
            stock, on_order, _lead = self._amazon_inventory_at(company, locate, n, week)
            past[:, k, :] = forecast_engine.amazon_expected_orders(
                sellthrough[k], stock, on_order, lead_time=lead)
        # each forecast knew the weeks of history before the week it was made in
        known_weeks = np.array([history - (origin - week).days // 7 for week in weeks])
        return {"past_expected_orders": past, "past_origins": known_weeks}

    @api.model
    def _amazon_inventory_at(self, company, locate, n, day):
        """Amazon's on hand, open PO units and inbound lead time (periods) per series from
        its last inventory reports (before ``day`` if given)."""
        on_hand, open_po, lead = np.zeros(n), np.zeros(n), np.full(n, 1.0)
        self.env.cr.execute("""
            SELECT DISTINCT ON (document_id, product_id) account_id, product_id,
                   sellable_on_hand_units, open_po_units, lead_time_days
              FROM amazon_vendor_report_inventory
             WHERE document_id = ANY(%s) AND product_id IS NOT NULL
             ORDER BY document_id, product_id, end_date DESC, id DESC
        """, [self._latest_reports(company, INVENTORY, before=day)])
        for account, product, stock, open_units, lead_days in self.env.cr.fetchall():
            i = locate(account, product)
            if i is not None:
                on_hand[i] += stock
                open_po[i] += open_units
                lead[i] = max(lead[i], (lead_days or 7.0) / 7.0)
        return on_hand, open_po, lead

    @api.model
    def _abc_classes(self, company, today, share_a, share_b):
        """{product id: 'A'|'B'|'C'} from the Amazon revenue of the last 52 weeks, in the
        company's currency (US and EU marketplaces sell in different ones)."""
        self.env.cr.execute("""
            SELECT sol.product_id,
                   SUM(sol.price_subtotal / COALESCE(NULLIF(so.currency_rate, 0), 1)) AS revenue
              FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id
             WHERE so.company_id = %s AND so.amazon_vendor_account_id IS NOT NULL
               AND so.state != 'cancel' AND sol.product_id IS NOT NULL
               AND COALESCE(so.amazon_vendor_po_date, so.date_order) >= %s
             GROUP BY sol.product_id ORDER BY revenue DESC, sol.product_id
        """, [company.id, today - datetime.timedelta(weeks=52)])
        rows = self.env.cr.fetchall()
        total = sum(max(0.0, r or 0.0) for _p, r in rows) or 1.0
        classes, running = {}, 0.0
        for product, revenue in rows:
            # the class of a product is decided by the share reached before it is counted
            classes[product] = "A" if running < share_a else "B" if running < share_b else "C"
            running += max(0.0, revenue or 0.0) / total
        return classes

    @api.model
    def _origin(self, today):
        return week_start(today)
