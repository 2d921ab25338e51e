from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    amazon_vendor_forecast_horizon = fields.Integer(
        related="company_id.amazon_vendor_forecast_horizon", readonly=False)
    amazon_vendor_forecast_history = fields.Integer(
        related="company_id.amazon_vendor_forecast_history", readonly=False)
    amazon_vendor_review_days = fields.Integer(
        related="company_id.amazon_vendor_review_days", readonly=False)
    amazon_vendor_lead_time_std_days = fields.Float(
        related="company_id.amazon_vendor_lead_time_std_days", readonly=False)
    amazon_vendor_obsolete_weeks = fields.Integer(
        related="company_id.amazon_vendor_obsolete_weeks", readonly=False)
    amazon_vendor_new_product_weeks = fields.Integer(
        related="company_id.amazon_vendor_new_product_weeks", readonly=False)
    amazon_vendor_service_level_a = fields.Float(
        related="company_id.amazon_vendor_service_level_a", readonly=False)
    amazon_vendor_service_level_b = fields.Float(
        related="company_id.amazon_vendor_service_level_b", readonly=False)
    amazon_vendor_service_level_c = fields.Float(
        related="company_id.amazon_vendor_service_level_c", readonly=False)
    amazon_vendor_abc_share_a = fields.Float(
        related="company_id.amazon_vendor_abc_share_a", readonly=False)
    amazon_vendor_abc_share_b = fields.Float(
        related="company_id.amazon_vendor_abc_share_b", readonly=False)
    amazon_vendor_method_smooth = fields.Selection(
        related="company_id.amazon_vendor_method_smooth", readonly=False)
    amazon_vendor_method_erratic = fields.Selection(
        related="company_id.amazon_vendor_method_erratic", readonly=False)
    amazon_vendor_method_intermittent = fields.Selection(
        related="company_id.amazon_vendor_method_intermittent", readonly=False)
    amazon_vendor_method_lumpy = fields.Selection(
        related="company_id.amazon_vendor_method_lumpy", readonly=False)
    amazon_vendor_orderpoint_trigger = fields.Selection(
        related="company_id.amazon_vendor_orderpoint_trigger", readonly=False)
    amazon_vendor_planner_id = fields.Many2one(
        related="company_id.amazon_vendor_planner_id", readonly=False)
