import datetime
from collections import defaultdict

import numpy as np
from psycopg2.extras import execute_values

from odoo import api, fields, models

from ..lib import replenishment


class AmazonVendorForecastWarnings(models.AbstractModel):
    """Stock-out risk: where on hand and incoming stock will not cover the forecast within the
    lead time, with the date it runs out, and a to-do for the planner."""
    _name = "amazon.vendor.forecast.warnings"
    _description = "Amazon Stock-out Warnings"

    @api.model
    def _flag_stockouts(self, plans, today):
        if not plans:
            return plans
        products, warehouses = plans.product_id, plans.warehouse_id
        self.env["stock.move"].flush_model()
        self.env["stock.quant"].flush_model()
        self.env.cr.execute("""
            SELECT q.product_id, l.warehouse_id, SUM(q.quantity)
              FROM stock_quant q JOIN stock_location l ON l.id = q.location_id
             WHERE l.usage = 'internal' AND q.product_id = ANY(%s) AND l.warehouse_id = ANY(%s)
             GROUP BY q.product_id, l.warehouse_id
        """, [products.ids, warehouses.ids])
        on_hand = {(p, w): qty or 0.0 for p, w, qty in self.env.cr.fetchall()}
        horizon_end = today + datetime.timedelta(weeks=104)
        self.env.cr.execute("""
            SELECT m.product_id, wh.id, GREATEST(m.date::date, %(today)s) AS day,
                   SUM(m.product_qty) FILTER (WHERE dest.warehouse_id = wh.id),
                   SUM(m.product_qty) FILTER (WHERE src.warehouse_id = wh.id)
              FROM stock_move m
              JOIN stock_location src ON src.id = m.location_id
              JOIN stock_location dest ON dest.id = m.location_dest_id
              JOIN stock_warehouse wh ON wh.id IN (src.warehouse_id, dest.warehouse_id)
             WHERE m.state NOT IN ('draft', 'done', 'cancel')
               AND m.product_id = ANY(%(products)s) AND wh.id = ANY(%(warehouses)s)
               AND src.warehouse_id IS DISTINCT FROM dest.warehouse_id
               AND m.date < %(end)s
             GROUP BY 1, 2, 3
        """, {"today": today, "products": products.ids, "warehouses": warehouses.ids,
              "end": horizon_end})
        incoming, outgoing = defaultdict(dict), defaultdict(dict)
        for product, warehouse, day, qty_in, qty_out in self.env.cr.fetchall():
            week = (day - today).days // 7
            incoming[(product, warehouse)][week] = \
                incoming[(product, warehouse)].get(week, 0.0) + (qty_in or 0.0)
            outgoing[(product, warehouse)][week] = \
                outgoing[(product, warehouse)].get(week, 0.0) + (qty_out or 0.0)
        weekly = self._current_forecast(plans, today)
        at_risk = plans.browse()
        values_by_plan = {}
        for plan in plans:
            key = (plan.product_id.id, plan.warehouse_id.id)
            forecast = weekly.get(key, [])
            weeks = max(len(forecast), int(plan.lead_days // 7) + 2)
            # confirmed orders are certain demand; the forecast counts where it is larger
            demand = [max(forecast[w] if w < len(forecast) else 0.0,
                          outgoing[key].get(w, 0.0)) for w in range(weeks)]
            receipts = [incoming[key].get(w, 0.0) for w in range(weeks)]
            run_out, short = replenishment.stockout(
                today, on_hand.get(key, 0.0), demand, receipts, plan.lead_days)
            risk = short > 0
            values_by_plan[plan] = {"stockout_date": run_out, "shortage_qty": short,
                                    "stockout_risk": risk}
            if risk:
                at_risk |= plan
        # one statement for all plans: the values differ per plan
        rows = [(plan.id, v["stockout_date"], v["shortage_qty"], v["stockout_risk"])
                for plan, v in values_by_plan.items()]
        execute_values(self.env.cr._obj, """
            UPDATE amazon_vendor_forecast_plan p
               SET stockout_date = v.day::date, shortage_qty = v.short, stockout_risk = v.risk
              FROM (VALUES %s) AS v(id, day, short, risk)
             WHERE p.id = v.id""", rows, page_size=5000)
        plans.invalidate_recordset(["stockout_date", "shortage_qty", "stockout_risk"])
        self._schedule_activities(at_risk)
        return at_risk

    @api.model
    def _current_forecast(self, plans, today):
        """{(product, warehouse): weekly forecast from today}, from each plan's last run: the
        forecast weeks start on Sunday, so each week from today takes the rest of one forecast
        week and the start of the next."""
        self.env.cr.execute("""
            SELECT l.product_id, l.warehouse_id, l.origin_week,
                   ARRAY_AGG(l.forecast_qty ORDER BY l.weeks_ahead)
              FROM amazon_vendor_forecast_line l
              JOIN amazon_vendor_forecast_plan p
                ON p.run_id = l.run_id AND p.product_id = l.product_id
               AND p.warehouse_id = l.warehouse_id
             WHERE p.id = ANY(%s)
             GROUP BY l.product_id, l.warehouse_id, l.origin_week
        """, [plans.ids])
        weekly = {}
        for product, warehouse, origin, quantities in self.env.cr.fetchall():
            share = min(max((today - origin).days, 0), 7) / 7.0
            f = np.asarray(quantities, dtype=float)
            following = np.append(f[1:], 0.0)
            weekly[(product, warehouse)] = ((1.0 - share) * f + share * following).tolist()
        return weekly

    @api.model
    def _schedule_activities(self, plans):
        """One open stock-out activity per product and recipient; products already warned are
        left alone. The recipients are the company's stock-out risk subscribers by activity
        (any account: a product's stock is not one account's), else its planner; the e-mail
        and SMS subscribers hear once of the products newly warned."""
        if not plans:
            return
        activity_type = self.env.ref("acorn_amazon_vendor_forecast.mail_activity_type_stockout")
        templates = plans.product_tmpl_id
        subscriptions = self.env["amazon.vendor.account"]._amazon_vendor_subscriptions(
            "stock_out_risk", company=plans.company_id, any_account=True)
        recipients = {}
        for company in plans.company_id:
            subscribed = subscriptions.filtered(lambda s, c=company: s.company_id == c)
            recipients[company] = subscribed.filtered("channel_activity").user_id
            if not subscribed._amazon_vendor_replacing_defaults() or not recipients[company]:
                recipients[company] |= company.amazon_vendor_planner_id \
                    or self._default_planner(company)
        warned = {(a.res_id, a.user_id.id) for a in self.env["mail.activity"].search(
            [("res_model", "=", "product.template"), ("res_id", "in", templates.ids),
             ("activity_type_id", "=", activity_type.id)])}
        warned_templates = {template for template, _user in warned}
        model_id = self.env["ir.model"]._get_id("product.template")
        values, news = [], defaultdict(list)
        for plan in plans:
            template = plan.product_tmpl_id
            for user in recipients[plan.company_id]:
                if (template.id, user.id) in warned:
                    continue
                if template.id not in warned_templates:
                    warned_templates.add(template.id)
                    news[plan.company_id].append(plan)
                warned.add((template.id, user.id))
                plan_in_lang = plan.with_context(lang=user.lang)  # read in their language
                values.append({
                    "res_model_id": model_id, "res_id": template.id,
                    "activity_type_id": activity_type.id, "user_id": user.id,
                    "date_deadline": plan.stockout_date or fields.Date.today(),
                    "summary": plan_in_lang.env._("Stock-out risk in %(warehouse)s",
                                                  warehouse=plan.warehouse_id.name),
                    "note": self._stockout_text(plan_in_lang),
                })
        self.env["mail.activity"].create(values)
        for company, new_plans in news.items():
            self._send_stockout_digest(
                subscriptions.filtered(lambda s, c=company: s.company_id == c), new_plans)

    @api.model
    def _stockout_text(self, plan):
        return plan.env._(
            "Runs out on %(date)s; %(qty).1f %(uom)s short by the end of the lead "
            "time (%(days).0f days). Order now or expedite incoming stock.",
            date=plan.stockout_date or "-", qty=plan.shortage_qty,
            uom=plan.uom_id.name, days=plan.lead_days)

    @api.model
    def _send_stockout_digest(self, subscriptions, plans):
        """One e-mail and one SMS per run for the subscribers who asked for them, listing the
        products newly at risk (one message per product would flood them)."""
        by_mail = subscriptions.filtered("channel_email").user_id.filtered("email")
        sms = subscriptions.filtered(lambda s: "channel_sms" in s._fields and s.channel_sms)
        if not (by_mail or sms):
            return
        summary = self.env._("Stock-out risk: %(count)s product(s)", count=len(plans))
        message = "\n".join(
            self.env._("%(product)s in %(warehouse)s: runs out on %(date)s, %(qty).1f %(uom)s "
                       "short.", product=plan.product_id.display_name,
                       warehouse=plan.warehouse_id.name, date=plan.stockout_date or "-",
                       qty=plan.shortage_qty, uom=plan.uom_id.name) for plan in plans)
        account = self.env["amazon.vendor.account"].sudo().search(
            [("company_id", "=", plans[0].company_id.id)], limit=1)
        if by_mail:
            self.env["mail.mail"].sudo().create({
                "subject": summary, "body_html": account._amazon_vendor_html(message),
                "email_to": ",".join(by_mail.mapped("email")), "auto_delete": True})
        if sms and account:
            account._amazon_vendor_alert_sms(sms, None, summary, message)

    @api.model
    def _default_planner(self, company):
        account = self.env["amazon.vendor.account"].search(
            [("company_id", "=", company.id), ("responsible_user_id", "!=", False)], limit=1)
        return account.responsible_user_id or self.env.ref("base.user_admin")
