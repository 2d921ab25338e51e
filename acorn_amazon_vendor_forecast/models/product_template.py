from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

ABC_CLASSES = [("A", "A"), ("B", "B"), ("C", "C")]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    amazon_vendor_forecast_enabled = fields.Boolean(
        string="Forecast Amazon Demand", default=True,
        help="Untick to keep this product's reordering rules exactly as set by hand: the "
             "forecast neither creates nor changes them.")
    amazon_vendor_abc_class = fields.Selection(
        ABC_CLASSES, string="ABC Class",
        help="Set by each forecast run from the Amazon revenue of the last 52 weeks unless "
             "fixed; it chooses the service level.")
    amazon_vendor_abc_fixed = fields.Boolean(
        string="Fixed ABC Class", help="Keep the ABC class set by hand.")
    amazon_vendor_service_level = fields.Float(
        string="Service Level",
        help="Probability of not running out over a lead time and review period. Empty: the "
             "service level of the product's ABC class.")
    amazon_vendor_blend_mode = fields.Selection(
        [("auto", "Learnt from past accuracy"), ("manual", "Fixed weight")],
        string="Amazon Forecast Weight", default="auto", required=True)
    amazon_vendor_blend_weight = fields.Float(
        string="Weight of Amazon's Forecast",
        help="Share (0 to 1) of the expected Amazon orders derived from Amazon's own forecast "
             "in the blended forecast, when the weight is fixed.")

    @api.constrains("amazon_vendor_service_level", "amazon_vendor_blend_weight")
    def _check_amazon_vendor_forecast_parameters(self):
        for template in self:
            level = template.amazon_vendor_service_level
            if level and not 0.5 <= level <= 0.999:
                raise ValidationError(_("The service level is a probability between 0.5 and "
                                        "0.999 (e.g. 0.95 for 95%)."))
            if not 0 <= template.amazon_vendor_blend_weight <= 1:
                raise ValidationError(_("The weight of Amazon's forecast is between 0 and 1."))

    def action_amazon_vendor_forecast_chart(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "acorn_amazon_vendor_forecast.action_amazon_vendor_forecast_chart")
        action["domain"] = [("product_id", "in", self.product_variant_ids.ids)]
        action["display_name"] = _("Forecast: %s", self.display_name)
        return action
