from collections import defaultdict

import numpy as np
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.tools import float_compare, float_round


class StockWarehouseOrderpoint(models.Model):
    _inherit = "stock.warehouse.orderpoint"

    amazon_vendor_plan_id = fields.Many2one(
        "amazon.vendor.forecast.plan", string="Amazon Replenishment Plan",
        compute="_compute_amazon_vendor_plan_id", store=True, index=True)
    amazon_vendor_forecast_active = fields.Boolean(
        string="Driven by Amazon Forecast", compute="_compute_amazon_vendor_forecast_active",
        help="Min and max come from the Amazon demand forecast and the forecast demand not yet "
             "covered by confirmed orders lowers the projected stock. Switch it off on the "
             "product or the warehouse to set min and max by hand again.")
    amazon_vendor_uncovered_qty = fields.Float(
        string="Forecast Not Yet Ordered", compute="_compute_qty",
        digits="Product Unit of Measure",
        help="Forecast Amazon demand over the lead time that confirmed Amazon orders do not "
             "cover yet.")
    amazon_vendor_explain = fields.Html(string="How the Quantity Is Reached",
                                        compute="_compute_amazon_vendor_explain",
                                        sanitize=False)

    @api.depends("product_id", "warehouse_id", "location_id")
    def _compute_amazon_vendor_plan_id(self):
        Plan = self.env["amazon.vendor.forecast.plan"]
        plans = Plan.search([("product_id", "in", self.product_id.ids),
                             ("warehouse_id", "in", self.warehouse_id.ids)]) if self else Plan
        by_key = {(p.product_id.id, p.warehouse_id.id): p for p in plans}
        for orderpoint in self:
            # only the rule of the warehouse's stock location follows the plan
            main = orderpoint.location_id == orderpoint.warehouse_id.lot_stock_id
            orderpoint.amazon_vendor_plan_id = main and by_key.get(
                (orderpoint.product_id.id, orderpoint.warehouse_id.id), Plan)

    @api.depends("amazon_vendor_plan_id", "product_id.amazon_vendor_forecast_enabled",
                 "warehouse_id.amazon_vendor_forecast_enabled")
    def _compute_amazon_vendor_forecast_active(self):
        for orderpoint in self:
            orderpoint.amazon_vendor_forecast_active = bool(
                orderpoint.amazon_vendor_plan_id
                and orderpoint.product_id.amazon_vendor_forecast_enabled
                and orderpoint.warehouse_id.amazon_vendor_forecast_enabled)

    @api.depends("amazon_vendor_plan_id.min_qty", "amazon_vendor_forecast_active")
    def _compute_product_min_qty(self):  # pylint: disable=missing-return  # a compute returns nothing
        driven = self.filtered("amazon_vendor_forecast_active")
        super(StockWarehouseOrderpoint, self - driven)._compute_product_min_qty()
        for orderpoint in driven:  # users reading rules may not read plans
            orderpoint.product_min_qty = orderpoint.amazon_vendor_plan_id.sudo().min_qty

    @api.depends("amazon_vendor_plan_id.max_qty", "amazon_vendor_forecast_active")
    def _compute_product_max_qty(self):  # pylint: disable=missing-return  # a compute returns nothing
        driven = self.filtered("amazon_vendor_forecast_active")
        super(StockWarehouseOrderpoint, self - driven)._compute_product_max_qty()
        for orderpoint in driven:
            orderpoint.product_max_qty = orderpoint.amazon_vendor_plan_id.sudo().max_qty

    @api.depends("amazon_vendor_plan_id.lead_demand", "amazon_vendor_forecast_active")
    def _compute_qty(self):  # pylint: disable=missing-return  # a compute returns nothing
        super()._compute_qty()
        self.amazon_vendor_uncovered_qty = 0.0
        driven = self.filtered(lambda o: o.amazon_vendor_forecast_active and o.product_id)
        confirmed = driven._amazon_vendor_confirmed_amazon_qty()
        for orderpoint in driven:
            covered = confirmed.get((orderpoint.product_id.id, orderpoint.warehouse_id.id), 0.0)
            uncovered = max(0.0, orderpoint.amazon_vendor_plan_id.sudo().lead_demand - covered)
            orderpoint.amazon_vendor_uncovered_qty = uncovered
            # the projected stock at the end of the lead time includes the expected orders
            orderpoint.qty_forecast -= uncovered

    def _get_qty_to_order(self, force_visibility_days=False, qty_in_progress_by_orderpoint=None):
        qty_to_order = super()._get_qty_to_order(
            force_visibility_days=force_visibility_days,
            qty_in_progress_by_orderpoint=qty_in_progress_by_orderpoint)
        rounding = self.product_uom.rounding
        if not self.amazon_vendor_forecast_active or float_compare(
                self.qty_forecast, self.product_min_qty, precision_rounding=rounding) >= 0:
            return qty_to_order
        # super() measured the stock without the forecast demand (and already rounded to the
        # multiple): add what is not ordered yet, in whole multiples too
        extra = self.amazon_vendor_uncovered_qty
        if self.qty_multiple > 0:
            extra = float_round(extra / self.qty_multiple, precision_digits=0,
                                rounding_method="UP") * self.qty_multiple
        return max(0.0, qty_to_order + extra)

    def _amazon_vendor_confirmed_amazon_qty(self):
        """{(product, warehouse): units of confirmed Amazon orders placed from today on}: they
        are part of the forecast demand over the lead time and already in Odoo's projection
        (delivered or not). Older orders are past demand, not cover for future demand."""
        if not self:
            return {}
        self.env["sale.order.line"].flush_model(["product_uom_qty", "state", "product_id"])
        self.env["sale.order"].flush_model(["warehouse_id", "amazon_vendor_account_id",
                                            "amazon_vendor_po_date", "date_order"])
        today = fields.Datetime.to_datetime(fields.Date.today())
        self.env.cr.execute("""
            SELECT sol.product_id, so.warehouse_id, SUM(sol.product_uom_qty)
              FROM sale_order_line sol JOIN sale_order so ON so.id = sol.order_id
             WHERE so.state = 'sale' AND so.amazon_vendor_account_id IS NOT NULL
               AND sol.product_id = ANY(%s) AND so.warehouse_id = ANY(%s)
               AND COALESCE(so.amazon_vendor_po_date, so.date_order) >= %s
             GROUP BY sol.product_id, so.warehouse_id
        """, [self.product_id.ids, self.warehouse_id.ids, today])
        return {(product, warehouse): qty for product, warehouse, qty in self.env.cr.fetchall()}

    @api.depends("amazon_vendor_plan_id", "qty_forecast", "product_min_qty", "product_max_qty")
    def _compute_amazon_vendor_explain(self):
        for orderpoint in self:
            plan = orderpoint.amazon_vendor_plan_id.sudo()
            if not plan:
                orderpoint.amazon_vendor_explain = False
                continue
            unit = orderpoint.product_uom.name or ""
            lead = plan.lead_demand
            uncovered = orderpoint.amazon_vendor_uncovered_qty
            rows = [
                (_("Confirmed Amazon orders covering the forecast"),
                 f"{max(0.0, lead - uncovered):,.1f} {unit}"),
                (_("Forecast not yet ordered, taken off the projected stock"),
                 f"{uncovered:,.1f} {unit}"),
                (_("Projected stock at the end of the lead time"),
                 f"{orderpoint.qty_forecast:,.1f} {unit}"),
                (_("To order"), f"{orderpoint.qty_to_order:,.1f} {unit}"),
            ]
            # where the lead time comes from: Odoo's own rules (vendor, manufacturing, transit)
            _delays, lead_parts = orderpoint.rule_ids._get_lead_days(
                orderpoint.product_id, **orderpoint._get_lead_days_values())
            rows = [(orderpoint.env._("Lead time: %s", label), value)
                    for label, value in lead_parts] + rows
            html = plan._explain_html(rows)
            if not orderpoint.amazon_vendor_forecast_active:
                html = Markup("<p class='text-warning'>%s</p>") % _(
                    "The forecast is switched off for this product or warehouse: the rule "
                    "keeps the quantities set by hand.") + html
            orderpoint.amazon_vendor_explain = html

    def action_amazon_vendor_explain(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window", "res_model": self._name, "res_id": self.id,
            "name": _("Replenishment of %s", self.product_id.display_name),
            "view_mode": "form", "target": "new",
            "views": [(self.env.ref(
                "acorn_amazon_vendor_forecast.stock_warehouse_orderpoint_view_explain").id,
                "form")],
        }

    # -- used by the forecast run --------------------------------------------------------
    def _amazon_vendor_link_plans(self):
        """Point the rules at their (new) plans: the plans were written in bulk."""
        self.env.add_to_compute(self._fields["amazon_vendor_plan_id"], self)
        self.flush_recordset(["amazon_vendor_plan_id"])
        self.modified(["amazon_vendor_plan_id"])
        self.flush_recordset()

    @api.model
    def _amazon_vendor_ensure_orderpoints(self, company, keys):
        """Create a reordering rule at the warehouse stock for each forecast series that has
        none there; the forecast then sets its min and max."""
        if not keys:
            return self.browse()
        warehouses = self.env["stock.warehouse"].browse({w for _p, w in keys})
        existing = self.with_context(active_test=False).search_fetch(
            [("product_id", "in", list({p for p, _w in keys})),
             ("location_id", "in", warehouses.lot_stock_id.ids)],
            ["product_id", "location_id"])
        have = {(o.product_id.id, o.location_id.id) for o in existing}
        stock = {w.id: w.lot_stock_id.id for w in warehouses}
        values = [{"product_id": product, "warehouse_id": warehouse,
                   "location_id": stock[warehouse], "company_id": company.id,
                   "trigger": company.amazon_vendor_orderpoint_trigger,
                   "product_min_qty": 0.0, "product_max_qty": 0.0}
                  for product, warehouse in keys if (product, stock[warehouse]) not in have]
        # created on behalf of the planner: Odoo's autovacuum removes manual rules the
        # superuser created whenever they have nothing to order
        planner = company.amazon_vendor_planner_id or self.env.ref("base.user_admin")
        return self.with_user(planner).sudo().create(values).with_env(self.env)

    @api.model
    def _amazon_vendor_lead_days(self, keys, today):
        """Lead days per series from its rule at the warehouse stock (Odoo's own lead times:
        vendor or manufacturing delay, transit and inbound rules)."""
        warehouses = self.env["stock.warehouse"].browse({w for _p, w in keys})
        orderpoints = self.search([("product_id", "in", list({p for p, _w in keys})),
                                   ("location_id", "in", warehouses.lot_stock_id.ids)])
        days = defaultdict(float)
        for orderpoint in orderpoints:
            if orderpoint.lead_days_date:
                # lead_days_date counts from Odoo's today, not from the run's
                days[(orderpoint.product_id.id, orderpoint.warehouse_id.id)] = \
                    (orderpoint.lead_days_date - fields.Date.today()).days
        return np.array([float(max(0, days[key])) for key in keys])
