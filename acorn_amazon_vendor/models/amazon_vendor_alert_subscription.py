from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

# What can be subscribed to. Other addons add theirs with selection_add.
ALERT_TYPES = [
    ("po_import_failed", "Purchase order import failed"),
    ("po_changed", "Purchase order changed by Amazon"),
    ("ack_deadline", "Acknowledgement deadline"),
    ("asn_late", "ASN late"),
    ("invoice_refused", "Invoice refused"),
    ("document_failed", "Other document refused"),
    ("stock_out_risk", "Stock-out risk"),
]
# The channels of a subscription: activity and e-mail here, SMS with acorn_amazon_vendor_sms.
CHANNEL_FIELDS = ("channel_activity", "channel_email")


class AmazonVendorAlertSubscription(models.Model):
    """Who gets which alert, for which account, on which channels.

    When an alert type has subscriptions for an account (or for all the company's accounts),
    they replace the account's Alert Users and Alert Emails for that type."""

    _name = "amazon.vendor.alert.subscription"
    _description = "Amazon Alert Subscription"
    _order = "alert_type, account_id, user_id, id"

    alert_type = fields.Selection(ALERT_TYPES, string="Alert", required=True, index=True)
    account_id = fields.Many2one(
        "amazon.vendor.account", string="Vendor Account", ondelete="cascade", index=True,
        domain="[('company_id', '=', company_id)]",
        help="Empty: every Vendor account of the company.")
    user_id = fields.Many2one(
        "res.users", required=True, ondelete="cascade", index=True,
        default=lambda self: self.env.user, domain="[('share', '=', False)]")
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company,
        compute="_compute_company_id", store=True, readonly=False, precompute=True)
    channel_activity = fields.Boolean(string="Activity", default=True)
    channel_email = fields.Boolean(string="E-mail")
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("subscription_unique", "unique(alert_type, account_id, user_id, company_id)",
         "This user is already subscribed to this alert for this account."),
    ]

    @api.depends("account_id")
    def _compute_company_id(self):
        for subscription in self.filtered("account_id"):
            subscription.company_id = subscription.account_id.company_id

    def _amazon_vendor_reachable(self):
        """The subscriptions whose user may still see what the alert is about: in the Amazon
        Vendor group and in the subscription's company (rights change after subscribing)."""
        return self.filtered(
            lambda s: s.user_id.active and s.company_id in s.user_id.company_ids
            and s.user_id.has_group("acorn_amazon_vendor.group_amazon_vendor_user"))

    def _amazon_vendor_replacing_defaults(self):
        """Subscriptions a manager set replace the account's Alert Users and Alert Emails; one a
        user made for themselves only adds them, so nobody silences the others' alerts."""
        return self.filtered(
            lambda s: s.create_uid._is_superuser()
            or s.create_uid.has_group("acorn_amazon_vendor.group_amazon_vendor_manager"))

    @api.model
    def _channel_fields(self):
        """The channel fields of this database (the SMS addon adds its own)."""
        return CHANNEL_FIELDS

    @api.constrains(*CHANNEL_FIELDS)
    def _check_channel(self):
        for subscription in self:
            if not any(subscription[name] for name in self._channel_fields()):
                raise ValidationError(_(
                    "Choose at least one channel for the alert subscription of %(user)s.",
                    user=subscription.user_id.name))

    @api.constrains("account_id", "company_id", "user_id")
    def _check_company(self):
        for subscription in self:
            if subscription.account_id and \
                    subscription.account_id.company_id != subscription.company_id:
                raise ValidationError(_("The Vendor account belongs to another company."))
            if subscription.company_id not in subscription.user_id.company_ids:
                raise ValidationError(_(
                    "%(user)s cannot work in %(company)s, so cannot receive its alerts.",
                    user=subscription.user_id.name, company=subscription.company_id.name))
