from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

METHODS = [
    ("auto", "Automatic (best on past weeks)"),
    ("ses", "Simple exponential smoothing"),
    ("ets", "Damped trend (ETS)"),
    ("ma", "Moving average"),
    ("tsb", "TSB (intermittent)"),
    ("croston_sba", "Croston SBA (intermittent)"),
    ("adida", "ADIDA (temporal aggregation)"),
    ("imapa", "IMAPA (multiple aggregation)"),
    ("eb", "Empirical Bayes rate (intermittent)"),
    ("combined", "Combination of the class's methods"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    amazon_vendor_forecast_horizon = fields.Integer(
        string="Forecast Horizon (weeks)", default=26,
        help="How many weeks ahead the weekly forecast looks.")
    amazon_vendor_forecast_history = fields.Integer(
        string="History Used (weeks)", default=156,
        help="How many past weeks of Amazon orders the forecast learns from.")
    amazon_vendor_review_days = fields.Integer(
        string="Review Period (days)", default=7,
        help="Time between two replenishment decisions: the reordering rule's maximum covers "
             "the demand of one review period above the safety stock.")
    amazon_vendor_lead_time_std_days = fields.Float(
        string="Lead Time Variability (days)", default=0.0,
        help="Standard deviation of the replenishment lead time (production and freight "
             "delays), included in the safety stock.")
    amazon_vendor_obsolete_weeks = fields.Integer(
        string="Obsolete After (weeks without orders)", default=26,
        help="A product Amazon has not ordered for this many weeks is forecast at zero, without "
             "safety stock. 0: learnt from the order history: the shortest spell without orders "
             "after which so few products were ordered again within the horizon that the "
             "highest service level needs no stock for them; when more came back after every "
             "spell the history can judge, no product is obsolete.")
    amazon_vendor_new_product_weeks = fields.Integer(
        string="New Product Below (weeks of history)", default=8,
        help="Products with fewer weeks of history use Amazon's own forecast when available.")
    amazon_vendor_service_level_a = fields.Float(string="Service Level A", default=0.98)
    amazon_vendor_service_level_b = fields.Float(string="Service Level B", default=0.95)
    amazon_vendor_service_level_c = fields.Float(string="Service Level C", default=0.90)
    amazon_vendor_abc_share_a = fields.Float(
        string="Class A Revenue Share", default=0.80,
        help="Products making the first 80% of the Amazon revenue are class A.")
    amazon_vendor_abc_share_b = fields.Float(
        string="Class B Revenue Share", default=0.95,
        help="Products making the revenue up to 95% are class B; the rest are class C.")
    amazon_vendor_method_smooth = fields.Selection(METHODS, default="auto", required=True,
                                                   string="Method for Smooth Demand")
    amazon_vendor_method_erratic = fields.Selection(METHODS, default="auto", required=True,
                                                    string="Method for Erratic Demand")
    amazon_vendor_method_intermittent = fields.Selection(
        METHODS, default="auto", required=True, string="Method for Intermittent Demand")
    amazon_vendor_method_lumpy = fields.Selection(METHODS, default="auto", required=True,
                                                  string="Method for Lumpy Demand")
    amazon_vendor_orderpoint_trigger = fields.Selection(
        [("auto", "Auto"), ("manual", "Manual")], default="auto", required=True,
        string="New Reordering Rules",
        help="Trigger of the reordering rules the forecast creates for forecast products that "
             "have none. Manual rules only propose quantities in the Replenishment report.")
    amazon_vendor_planner_id = fields.Many2one(
        "res.users", string="Planner",
        help="Receives the stock-out activities. Default: the Amazon account's responsible.")

    @api.constrains("amazon_vendor_service_level_a", "amazon_vendor_service_level_b",
                    "amazon_vendor_service_level_c", "amazon_vendor_abc_share_a",
                    "amazon_vendor_abc_share_b", "amazon_vendor_review_days",
                    "amazon_vendor_forecast_horizon", "amazon_vendor_forecast_history",
                    "amazon_vendor_obsolete_weeks")
    def _check_amazon_vendor_forecast_settings(self):
        for company in self:
            levels = (company.amazon_vendor_service_level_a, company.amazon_vendor_service_level_b,
                      company.amazon_vendor_service_level_c)
            if any(not 0.5 <= level <= 0.999 for level in levels):
                raise ValidationError(_("Service levels are probabilities between 0.5 and 0.999 "
                                        "(e.g. 0.95 for 95%)."))
            if not 0 < company.amazon_vendor_abc_share_a < company.amazon_vendor_abc_share_b <= 1:
                raise ValidationError(_("The revenue share of class A must be below that of "
                                        "class B, both between 0 and 1."))
            if company.amazon_vendor_review_days < 1:
                raise ValidationError(_("The review period is at least one day."))
            if not 1 <= company.amazon_vendor_forecast_horizon <= 104:
                raise ValidationError(_("The forecast horizon is between 1 and 104 weeks."))
            if company.amazon_vendor_forecast_history < 13:
                raise ValidationError(_("The forecast needs at least 13 weeks of history."))
            if company.amazon_vendor_obsolete_weeks < 0:
                raise ValidationError(_("Obsolete After is a number of weeks (0: learnt from "
                                        "the order history)."))

    def _amazon_vendor_service_levels(self):
        self.ensure_one()
        return {"A": self.amazon_vendor_service_level_a, "B": self.amazon_vendor_service_level_b,
                "C": self.amazon_vendor_service_level_c}
