from odoo import _, api, fields, models

from ..lib import rules

ALERT_KINDS = [
    (rules.ASP_BELOW_MAP, "Selling price below MAP"),
    (rules.ASP_BELOW_LIST, "Selling price far below list price"),
    (rules.LOW_NET_PPM, "Net PPM below minimum"),
    (rules.PO_COST, "PO cost differs from agreed cost"),
    (rules.COST_ON_FILE, "Amazon's cost on file differs"),
]


class AmazonVendorPriceAlert(models.Model):
    """One product breaking one monitoring rule. Open until a pass no longer sees it; people
    are told per pass, grouped by kind, not once per product and day."""
    _name = "amazon.vendor.price.alert"
    _description = "Amazon Pricing Alert"
    _order = "state, first_seen desc, id desc"

    account_id = fields.Many2one("amazon.vendor.account", required=True, index=True,
                                 readonly=True, ondelete="cascade")
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    product_id = fields.Many2one("product.product", required=True, index=True, readonly=True,
                                 ondelete="cascade")
    kind = fields.Selection(ALERT_KINDS, required=True, index=True, readonly=True)
    state = fields.Selection([("open", "Open"), ("resolved", "Resolved")], default="open",
                             required=True, index=True, readonly=True)
    value = fields.Float(readonly=True, digits=(16, 3),
                         help="What was seen: a price, a cost, or a percentage.")
    threshold = fields.Float(readonly=True, digits=(16, 3),
                             help="What the rule compares it with.")
    sale_order_id = fields.Many2one("sale.order", string="Amazon PO", readonly=True,
                                    index="btree_not_null", ondelete="cascade")
    first_seen = fields.Date(required=True, readonly=True)
    last_seen = fields.Date(required=True, readonly=True)
    resolved_on = fields.Date(readonly=True)
    description = fields.Char(compute="_compute_description")

    @api.depends("kind", "value", "threshold", "sale_order_id")
    def _compute_description(self):
        for alert in self:
            alert.description = alert._amazon_pricing_describe()

    @api.depends("kind", "product_id")
    def _compute_display_name(self):
        labels = dict(self._fields["kind"]._description_selection(self.env))
        for alert in self:
            alert.display_name = f"{labels.get(alert.kind, '')}: {alert.product_id.display_name}"

    def _amazon_pricing_describe(self):
        self.ensure_one()
        value, threshold = self.value, self.threshold
        if self.kind == rules.ASP_BELOW_MAP:
            return _("Amazon sells at %(asp).2f, under the MAP of %(map).2f.",
                              asp=value, map=threshold)
        if self.kind == rules.ASP_BELOW_LIST:
            return _("Amazon sells %(below).1f%% under the list price (limit "
                              "%(limit).1f%%).", below=value, limit=threshold)
        if self.kind == rules.LOW_NET_PPM:
            return _("Amazon's net PPM is %(ppm).1f%% (minimum %(minimum).1f%%): "
                              "Amazon may stop ordering or claim price support.",
                              ppm=value, minimum=threshold)
        if self.kind == rules.PO_COST:
            return _("%(po)s asks for a cost of %(cost).3f; the agreed cost is "
                              "%(agreed).3f. Correct it before the acknowledgement to avoid a "
                              "price-variance deduction.", po=self.sale_order_id.display_name
                              or "", cost=value, agreed=threshold)
        return _("Amazon has %(cost).2f on file; the agreed cost is %(agreed).2f. "
                          "Send a cost-change request to align them.", cost=value,
                          agreed=threshold)
