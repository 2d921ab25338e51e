"""The monitoring pass: per account, one set-based read of every product's figures, one insert
of the day's snapshots, alerts and suggestions in batches. Queries do not grow per product."""
import datetime
import logging

from markupsafe import Markup, escape

from odoo import _, fields, models
from odoo.tools import SQL

from ..lib import rules

# A rejected suggestion is not proposed again for this many days.
REJECTION_QUIET = 30

_logger = logging.getLogger(__name__)

FIGURES_QUERY = """
WITH products AS (
    SELECT pp.id AS product_id, pt.id AS tmpl_id, pt.list_price AS msrp,
           ap.list_price AS amazon_list_price,
           pt.amazon_vendor_map_price AS map_price,
           ap.cost_on_file AS cost_on_file,
           pt.amazon_vendor_net_cost AS net_cost,
           (pp.standard_price ->> %(company_key)s)::float AS own_cost
      FROM product_product pp
      JOIN product_template pt ON pt.id = pp.product_tmpl_id
      -- Amazon's prices in this account's marketplace, not another account's
      LEFT JOIN amazon_vendor_product_price ap
        ON ap.product_tmpl_id = pt.id AND ap.account_id = %(account)s
     WHERE pt.amazon_vendor_asin IS NOT NULL AND pp.active AND pt.active
       AND (pt.company_id IS NULL OR pt.company_id = %(company)s)
), agreed AS (
    SELECT DISTINCT ON (p.product_id) p.product_id, i.fixed_price
      FROM products p
      JOIN product_pricelist_item i
        ON i.pricelist_id = %(pricelist)s AND i.compute_price = 'fixed'
       AND ((i.applied_on = '0_product_variant' AND i.product_id = p.product_id)
            OR (i.applied_on = '1_product' AND i.product_tmpl_id = p.tmpl_id))
       AND (i.date_start IS NULL OR i.date_start <= %(day_end)s)
       AND (i.date_end IS NULL OR i.date_end >= %(day_start)s)
     ORDER BY p.product_id, i.applied_on, i.min_quantity, i.date_start DESC NULLS LAST, i.id DESC
), sales_rows AS (
    SELECT DISTINCT ON (s.product_id, s.start_date, s.end_date)
           s.product_id, s.end_date, s.ordered_units, s.ordered_revenue, s.shipped_revenue,
           s.shipped_cogs
      FROM amazon_vendor_report_sales s
     WHERE s.account_id = %(account)s AND s.product_id IS NOT NULL
       AND s.ordered_revenue > 0 AND s.end_date <= %(day)s
     ORDER BY s.product_id, s.start_date, s.end_date, s.document_id DESC, s.id DESC
), sales AS (
    SELECT product_id, SUM(ordered_revenue) AS revenue, SUM(ordered_units) AS units,
           SUM(shipped_revenue) AS shipped_revenue, SUM(shipped_cogs) AS cogs
      FROM sales_rows
     WHERE end_date > (SELECT MAX(end_date) FROM sales_rows) - %(window)s
     GROUP BY product_id
), ppm_rows AS (
    SELECT product_id, end_date, net_ppm
      FROM amazon_vendor_report_margin
     WHERE account_id = %(account)s AND product_id IS NOT NULL AND end_date <= %(day)s
), ppm AS (
    SELECT product_id, AVG(net_ppm) AS net_ppm
      FROM ppm_rows
     WHERE end_date > (SELECT MAX(end_date) FROM ppm_rows) - %(window)s
     GROUP BY product_id
), hourly_rows AS (
    SELECT product_id, start_time, ordered_units, ordered_revenue
      FROM amazon_vendor_report_hourly_sales
     WHERE account_id = %(account)s AND product_id IS NOT NULL AND start_time < %(day_end)s
), hourly AS (
    SELECT product_id, SUM(ordered_revenue) / NULLIF(SUM(ordered_units), 0) AS asp
      FROM hourly_rows
     WHERE start_time > (SELECT MAX(start_time) FROM hourly_rows) - INTERVAL '24 hours'
     GROUP BY product_id
), po AS (
    SELECT DISTINCT ON (l.product_id) l.product_id, l.amazon_vendor_net_cost AS cost
      FROM sale_order_line l
      JOIN sale_order o ON o.id = l.order_id
     WHERE o.amazon_vendor_account_id = %(account)s AND o.state != 'cancel'
       AND l.amazon_vendor_net_cost > 0 AND l.amazon_vendor_cost_unit IS NULL
     ORDER BY l.product_id, o.amazon_vendor_po_date DESC NULLS LAST, l.id DESC
), stock AS (
    SELECT DISTINCT ON (product_id) product_id,
           COALESCE(sellable_on_hand_units, 0) + COALESCE(open_po_units, 0) AS units
      FROM amazon_vendor_report_inventory
     WHERE account_id = %(account)s AND product_id IS NOT NULL AND end_date <= %(day)s
     ORDER BY product_id, end_date DESC, id DESC
), observed AS (
    SELECT product_id, MIN(price) AS price
      FROM amazon_vendor_price_observation
     WHERE company_id = %(company)s AND currency_id = %(currency)s
       AND date > %(day)s - 30 AND date <= %(day)s
       AND amazon_retail_offer IS NOT TRUE  -- Amazon's own price is not a competitor's
     GROUP BY product_id
)
SELECT p.product_id, p.tmpl_id, p.msrp, p.amazon_list_price, p.map_price, p.cost_on_file,
       COALESCE(a.fixed_price, p.net_cost) AS agreed_cost, p.own_cost,
       s.revenue / NULLIF(s.units, 0) AS asp, s.units AS ordered_units,
       (s.shipped_revenue - s.cogs) / NULLIF(s.shipped_revenue, 0) AS front_margin,
       m.net_ppm, h.asp AS asp_hourly, po.cost AS last_po_cost, st.units AS exposure_units,
       ob.price AS observed_price
  FROM products p
  LEFT JOIN agreed a ON a.product_id = p.product_id
  LEFT JOIN sales s ON s.product_id = p.product_id
  LEFT JOIN ppm m ON m.product_id = p.product_id
  LEFT JOIN hourly h ON h.product_id = p.product_id
  LEFT JOIN po ON po.product_id = p.product_id
  LEFT JOIN stock st ON st.product_id = p.product_id
  LEFT JOIN observed ob ON ob.product_id = p.product_id
 ORDER BY p.product_id
"""

PO_LINES_QUERY = """
SELECT l.id, l.order_id, l.product_id, l.amazon_vendor_net_cost
  FROM sale_order_line l
  JOIN sale_order o ON o.id = l.order_id
 WHERE o.amazon_vendor_account_id = %(account)s AND o.state != 'cancel'
   AND o.amazon_vendor_ack_state IN ('to_acknowledge', 'to_approve')
   AND l.product_id IS NOT NULL AND l.amazon_vendor_net_cost > 0
   AND l.amazon_vendor_cost_unit IS NULL  -- a cost per weight unit is not a unit cost
"""

SNAPSHOT_COLUMNS = (
    ("product_id", "int"), ("agreed_cost", "float8"), ("cost_on_file", "float8"),
    ("last_po_cost", "float8"), ("list_price", "float8"), ("map_price", "float8"),
    ("asp", "float8"), ("asp_hourly", "float8"), ("front_margin", "float8"),
    ("net_ppm", "float8"), ("has_net_ppm", "bool"), ("observed_price", "float8"),
    ("own_cost", "float8"), ("ordered_units", "float8"), ("exposure_units", "float8"),
    ("alert_count", "int"))


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    def _amazon_pricing_monitor(self, today=None):
        """Run the monitoring pass of every account; the summary the demo prints."""
        today = today or fields.Date.context_today(self)
        summary = {"products_monitored": 0, "alerts": dict.fromkeys(rules.ALERT_KINDS, 0),
                   "new_alerts": 0, "suggestions": 0}
        for account in self:
            result = account._amazon_pricing_monitor_one(today)
            summary["products_monitored"] += result["products"]
            summary["new_alerts"] += result["new_alerts"]
            summary["suggestions"] += result["suggestions"]
        Alert = self.env["amazon.vendor.price.alert"]
        for kind, count in Alert._read_group(
                [("account_id", "in", self.ids), ("state", "=", "open")], ["kind"],
                ["__count"]):
            summary["alerts"][kind] = count
        return summary

    # -- one account -------------------------------------------------------------------------
    def _amazon_pricing_figures(self, today):
        """(currency, [row]) of every product of the account's company: one query."""
        self.ensure_one()
        pricelist = self.pricelist_id or self.partner_id.property_product_pricelist
        currency = self.marketplace_ids[:1].currency_id or self.company_id.currency_id
        start = datetime.datetime.combine(today, datetime.time.min)
        self.env.flush_all()
        self.env.cr.execute(SQL(
            FIGURES_QUERY, company_key=str(self.company_id.id), company=self.company_id.id,
            pricelist=pricelist.id or 0, account=self.id, day=today, day_start=start,
            day_end=start + datetime.timedelta(days=1, microseconds=-1),
            window=max(1, self.pricing_asp_window_days), currency=currency.id))
        rows = self.env.cr.dictfetchall()
        ours = self.company_id.currency_id
        if currency != ours:
            # the product's own cost and sales price are in the company's currency, Amazon's
            # figures in the marketplace's: compared in the marketplace's
            rate = ours._convert(1.0, currency, self.company_id, today, round=False)
            for row in rows:
                for key in ("own_cost", "msrp"):
                    if row[key]:
                        row[key] *= rate
        return currency, rows

    @staticmethod
    def _amazon_pricing_rule_figures(row):
        list_price = row["amazon_list_price"] or row["msrp"] or None
        return {
            "asp": row["asp"], "list_price": list_price, "map_price": row["map_price"] or None,
            "net_ppm": row["net_ppm"] / 100.0 if row["net_ppm"] is not None else None,
            "front_margin": row["front_margin"], "agreed_cost": row["agreed_cost"] or None,
            "cost_on_file": row["cost_on_file"] or None, "own_cost": row["own_cost"] or None,
            "observed_price": row["observed_price"], "exposure_units": row["exposure_units"]}

    def _amazon_pricing_monitor_one(self, today):
        self.ensure_one()
        settings = self._amazon_pricing_settings()
        currency, rows = self._amazon_pricing_figures(today)
        figures = {row["product_id"]: self._amazon_pricing_rule_figures(row) for row in rows}
        found = {}  # (product, kind, sale order) -> (value, threshold)
        for product_id, values in figures.items():
            for kind, value, threshold in rules.product_alerts(values, settings):
                found[(product_id, kind, False)] = (value, threshold)
        if self.pricing_check_po_cost:
            self.env.cr.execute(SQL(PO_LINES_QUERY, account=self.id))
            for _line, order_id, product_id, cost in self.env.cr.fetchall():
                agreed = (figures.get(product_id) or {}).get("agreed_cost")
                if rules.cost_differs(cost, agreed, settings["cost_tolerance_pct"]):
                    found[(product_id, rules.PO_COST, order_id)] = (cost, agreed)
        new_alerts = self._amazon_pricing_store_alerts(found, today)
        self._amazon_pricing_store_snapshots(rows, figures, found, currency, today)
        suggestions = self._amazon_pricing_suggest(figures, currency)
        self._amazon_pricing_apply_due(today)
        self.env["amazon.vendor.cost.request"].search(
            [("account_id", "=", self.id), ("state", "=", "submitted")])._amazon_pricing_track(
            today)
        self._amazon_pricing_notify(new_alerts, suggestions)
        # in SQL: the ORM skips a write of the same second, which makes counts flicker
        self.env.cr.execute(SQL(
            "UPDATE amazon_vendor_account SET pricing_last_run = %s WHERE id = %s",
            fields.Datetime.now(), self.id))
        self.invalidate_recordset(["pricing_last_run"])
        return {"products": len(rows), "new_alerts": len(new_alerts),
                "suggestions": len(suggestions)}

    def _amazon_pricing_store_alerts(self, found, today):
        """Open what is new, keep what is still seen, resolve what is gone: three writes."""
        Alert = self.env["amazon.vendor.price.alert"]
        open_alerts = Alert.search_fetch([("account_id", "=", self.id), ("state", "=", "open")],
                                         ["product_id", "kind", "sale_order_id"])
        still, gone, known = [], [], set()
        for alert in open_alerts:
            key = (alert.product_id.id, alert.kind, alert.sale_order_id.id or False)
            (still if key in found else gone).append(alert.id)
            known.add(key)
        # one statement each, however many alerts (the ORM would flush them 100 at a time)
        if still:
            self.env.cr.execute(SQL(
                "UPDATE amazon_vendor_price_alert SET last_seen = %s, write_uid = %s, "
                "write_date = now() at time zone 'UTC' WHERE id = ANY(%s)",
                today, self.env.uid, still))
        if gone:
            self.env.cr.execute(SQL(
                "UPDATE amazon_vendor_price_alert SET state = 'resolved', resolved_on = %s, "
                "write_uid = %s, write_date = now() at time zone 'UTC' WHERE id = ANY(%s)",
                today, self.env.uid, gone))
        Alert.invalidate_model(["last_seen", "state", "resolved_on", "write_uid",
                                "write_date"])
        return self._amazon_pricing_insert("amazon.vendor.price.alert", [{
            "account_id": self.id, "company_id": self.company_id.id, "product_id": product_id,
            "kind": kind, "state": "open", "sale_order_id": order_id or None, "value": value,
            "threshold": threshold, "first_seen": today, "last_seen": today}
            for (product_id, kind, order_id), (value, threshold) in found.items()
            if (product_id, kind, order_id) not in known])

    def _amazon_pricing_insert(self, model, rows):
        """Insert ``rows`` (dicts with the same keys, every stored value given: no defaults,
        no computed fields run) in ONE statement, whatever their number, and return the
        records. The ORM would insert 100 rows a statement. Only for this pass's own
        records, which carry no translations, no tracking and no related writes."""
        Model = self.env[model]
        if not rows:
            return Model
        names = list(rows[0])
        columns = [SQL.identifier(name) for name in names] + [
            SQL.identifier(name) for name in ("create_uid", "create_date", "write_uid",
                                              "write_date")]
        arrays = SQL(", ").join(
            SQL("%s::" + Model._fields[name].column_type[1] + "[]",
                [row[name] for row in rows]) for name in names)
        self.env.cr.execute(SQL(
            """INSERT INTO %s (%s)
               SELECT v.*, %s, now() at time zone 'UTC', %s, now() at time zone 'UTC'
                 FROM unnest(%s) AS v
            RETURNING id""",
            SQL.identifier(Model._table), SQL(", ").join(columns), self.env.uid,
            self.env.uid, arrays))
        return Model.browse(sorted(row[0] for row in self.env.cr.fetchall()))

    def _amazon_pricing_store_snapshots(self, rows, figures, found, currency, today):
        """The day's snapshot of every product in one INSERT (a pass run twice a day replaces
        the day's rows)."""
        counts = {}
        for product_id, _kind, _order in found:
            counts[product_id] = counts.get(product_id, 0) + 1
        self.env.cr.execute(SQL(
            "DELETE FROM amazon_vendor_price_snapshot WHERE account_id = %s AND date = %s",
            self.id, today))
        if not rows:
            return
        values = {
            "product_id": [r["product_id"] for r in rows],
            "agreed_cost": [r["agreed_cost"] or 0.0 for r in rows],
            "cost_on_file": [r["cost_on_file"] or 0.0 for r in rows],
            "last_po_cost": [r["last_po_cost"] or 0.0 for r in rows],
            "list_price": [figures[r["product_id"]]["list_price"] or 0.0 for r in rows],
            "map_price": [r["map_price"] or 0.0 for r in rows],
            "asp": [r["asp"] or 0.0 for r in rows],
            "asp_hourly": [r["asp_hourly"] or 0.0 for r in rows],
            "front_margin": [(r["front_margin"] or 0.0) * 100.0 for r in rows],
            "net_ppm": [r["net_ppm"] or 0.0 for r in rows],
            "has_net_ppm": [r["net_ppm"] is not None for r in rows],
            "observed_price": [r["observed_price"] or 0.0 for r in rows],
            "own_cost": [r["own_cost"] or 0.0 for r in rows],
            "ordered_units": [r["ordered_units"] or 0.0 for r in rows],
            "exposure_units": [r["exposure_units"] or 0.0 for r in rows],
            "alert_count": [counts.get(r["product_id"], 0) for r in rows],
        }
        columns = SQL(", ").join(SQL.identifier(name) for name, _type in SNAPSHOT_COLUMNS)
        arrays = SQL(", ").join(SQL("%s::" + kind + "[]", values[name])
                                for name, kind in SNAPSHOT_COLUMNS)
        marketplace = self.marketplace_ids[:1].id or None
        self.env.cr.execute(SQL(
            """INSERT INTO amazon_vendor_price_snapshot
                   (date, account_id, company_id, marketplace_id, currency_id, create_uid,
                    create_date, write_uid, write_date, %s)
               SELECT %s, %s, %s, %s, %s, %s, now() at time zone 'UTC', %s,
                      now() at time zone 'UTC', v.*
                 FROM unnest(%s) AS v""",
            columns, today, self.id, self.company_id.id, marketplace, currency.id,
            self.env.uid, self.env.uid, arrays))
        self.env["amazon.vendor.price.snapshot"].invalidate_model()

    def _amazon_pricing_suggest(self, figures, currency):
        """New suggestions, unless one of the same product and kind is still to review, is
        approved but not in force yet (the figures still show the old cost), or was rejected
        in the last REJECTION_QUIET days (a person decided: not asked again every day)."""
        Suggestion = self.env["amazon.vendor.price.suggestion"]
        quiet = fields.Datetime.now() - datetime.timedelta(days=REJECTION_QUIET)
        pending = {(s.product_id.id, s.kind) for s in Suggestion.search_fetch(
            [("account_id", "=", self.id), "|", "|", ("state", "=", "new"),
             "&", ("state", "=", "approved"), ("applied", "=", False),
             "&", ("state", "=", "rejected"), ("write_date", ">=", quiet)],
            ["product_id", "kind"])}
        settings = self._amazon_pricing_settings()
        effective = fields.Date.context_today(self) + datetime.timedelta(days=30)
        values = []
        for product_id, figure in figures.items():
            for proposal in rules.product_suggestions(figure, settings):
                if (product_id, proposal["kind"]) in pending:
                    continue
                effect = rules.suggestion_effect(figure, proposal["kind"], proposal["proposed"],
                                                 proposal["rule"])
                values.append({
                    "account_id": self.id, "company_id": self.company_id.id,
                    "product_id": product_id, "state": "new", "applied": False,
                    "effective_date": effective, "currency_id": currency.id,
                    "kind": proposal["kind"],
                    "rule": proposal["rule"], "current_value": effect["current"],
                    "proposed_value": proposal["proposed"],
                    "reason": self._amazon_pricing_reason(proposal, figure, effect),
                    "exposure_units": effect["exposure_units"],
                    "price_protection": effect["price_protection"],
                    "margin_before": effect["margin_before"] or 0.0,
                    "margin_after": effect["margin_after"] or 0.0,
                    "amazon_margin_before": effect["amazon_margin_before"] or 0.0,
                    "amazon_margin_after": effect["amazon_margin_after"] or 0.0})
        return self._amazon_pricing_insert(Suggestion._name, values)

    def _amazon_pricing_reason(self, proposal, figure, effect):
        def money(value):
            return f"{value:.2f}" if value is not None else "-"

        rule = proposal["rule"]
        if rule == rules.ALIGN_COST:
            text = _("Amazon has a cost of %(on_file)s on file, the agreed cost is "
                     "%(agreed)s: ask Vendor Central to file the agreed cost, or POs and "
                     "invoices will not match.", on_file=money(figure["cost_on_file"]),
                     agreed=money(figure["agreed_cost"]))
        elif rule == rules.FUND_MARGIN:
            text = _("Amazon's net PPM is %(ppm).1f%% at a selling price of %(asp)s: a cost of "
                     "%(cost)s restores its margin before Amazon stops ordering or claims "
                     "price support (never below your target margin).",
                     ppm=figure["net_ppm"] * 100.0, asp=money(figure["asp"]),
                     cost=money(proposal["proposed"]))
        elif rule == rules.TARGET_MARGIN:
            text = _("The agreed cost %(agreed)s leaves less than your target margin over the "
                     "product cost %(own)s.", agreed=money(figure["agreed_cost"]),
                     own=money(figure["own_cost"]))
        else:
            text = _("Competitors or retailers sell at %(observed)s, under Amazon's list price "
                     "%(list)s: a lower list price keeps Amazon's price match from eating the "
                     "margin.", observed=money(figure["observed_price"]),
                     list=money(figure["list_price"]))
        if proposal["kind"] == rules.COST:
            text += "\n" + _("Expected effect: price protection on %(units)s units Amazon "
                             "holds or has on order: %(amount)s.",
                             units=int(effect["exposure_units"] or 0),
                             amount=money(effect["price_protection"]))
        return text

    def _amazon_pricing_apply_due(self, today):
        """Approved costs whose effective date has come become the products' agreed cost
        (the PO check compares Amazon's costs with it)."""
        due = self.env["amazon.vendor.price.suggestion"].search([
            ("account_id", "=", self.id), ("state", "=", "approved"), ("applied", "=", False),
            ("kind", "=", rules.COST), ("effective_date", "<=", today)])
        for suggestion in due:
            suggestion.product_id.product_tmpl_id.amazon_vendor_net_cost = \
                suggestion.proposed_value
        due.applied = True

    def _amazon_pricing_notify(self, new_alerts, suggestions):
        """One message per pass: new alerts grouped by kind, and the suggestions to review."""
        if not new_alerts and not suggestions:
            return
        labels = dict(new_alerts._fields["kind"]._description_selection(self.env))
        # one read of the new alerts, whatever their number, then the few products named
        by_kind = {}
        for row in new_alerts.read(["kind", "product_id"], load=None):
            by_kind.setdefault(row["kind"], []).append(row["product_id"])
        named = self.env["product.product"].browse(
            {pid for pids in by_kind.values() for pid in pids[:10]})
        names_of = dict(zip(named.ids, named.mapped("display_name"), strict=True))
        parts = []
        for kind in rules.ALERT_KINDS:
            products = by_kind.get(kind)
            if not products:
                continue
            names = ", ".join(names_of[pid] for pid in products[:10])
            more = _(" and %s more", len(products) - 10) if len(products) > 10 else ""
            parts.append(Markup("<li>%s</li>") % _(
                "%(label)s: %(count)s (%(names)s%(more)s)", label=labels[kind],
                count=len(products), names=names, more=more))
        if suggestions:
            parts.append(Markup("<li>%s</li>") % _(
                "%s price changes suggested, to approve or reject.", len(suggestions)))
        summary = _("Amazon pricing: %(alerts)s new alerts, %(suggestions)s suggestions",
                    alerts=len(new_alerts), suggestions=len(suggestions))
        message = Markup("<p>%s</p><ul>%s</ul>") % (escape(summary), Markup("").join(parts))
        self._amazon_vendor_notify(self, summary, message, warning=bool(new_alerts))
