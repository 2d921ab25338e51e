import re

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from ..lib import embedded_simulator
from ..lib.simulator import DEFAULT_CLIENT_ID, DEFAULT_CLIENT_SECRET, DEFAULT_REFRESH_TOKEN
from ..lib.transport import LWA_ENDPOINT, TransportConfig, default_endpoint
from .amazon_vendor_marketplace import REGIONS

ENVIRONMENTS = [
    ("production", "Production"),
    ("sandbox", "Amazon Sandbox"),
    ("simulation", "Simulation"),
]
SECRET_FIELDS = ("lwa_client_secret", "lwa_refresh_token")
# What decides where the credentials go: set by system administrators only (server-side check,
# not only hidden in the view). Creating with these values is harmless for anyone: a Simulation
# account without overrides only ever talks to the built-in loopback simulator.
ROUTING_FIELDS = ("environment", "endpoint_override", "lwa_endpoint_override")
SAFE_ROUTING_VALUES = {"environment": "simulation", "endpoint_override": False,
                       "lwa_endpoint_override": False}
EMAIL_RE = re.compile(r"^[^@\s,;]+@[^@\s,;]+\.[^@\s,;]+$")
SIMULATOR_PORT_PARAM = "acorn_amazon_vendor.simulator_port"


class AmazonVendorAccount(models.Model):
    _name = "amazon.vendor.account"
    _description = "Amazon Vendor Account"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    sequence = fields.Integer(default=10)
    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.company)
    region = fields.Selection(REGIONS, required=True, default="NA", tracking=True)
    marketplace_ids = fields.Many2many(
        "amazon.vendor.marketplace", string="Marketplaces",
        domain="[('region', '=', region)]",
        help="The Amazon marketplaces this Vendor Central account sells to.")
    party_ids = fields.One2many("amazon.vendor.party", "account_id", string="Vendor Codes")
    partner_id = fields.Many2one(
        "res.partner", string="Amazon Customer", tracking=True,
        help="The Amazon legal entity invoiced for this account's purchase orders.")

    environment = fields.Selection(
        ENVIRONMENTS, required=True, default="simulation", tracking=True,
        groups="base.group_system",
        help="Simulation talks to the built-in Vendor Central simulator on this server; "
             "Amazon Sandbox to Amazon's static sandbox; Production to Vendor Central.")
    endpoint_override = fields.Char(
        string="SP-API Endpoint Override", groups="base.group_system", copy=False,
        help="Any http(s) base URL replacing the region's endpoint (proxy, regional host, tests).")
    lwa_endpoint_override = fields.Char(
        string="LWA Endpoint Override", groups="base.group_system", copy=False,
        help="Any http(s) URL of the Login with Amazon token endpoint replacing the default.")
    # What everyone may see of the routing (read with sudo, never editable).
    environment_mode = fields.Selection(
        ENVIRONMENTS, compute="_compute_environment_display",
        search="_search_environment_mode")
    environment_display = fields.Char(
        string="Mode", compute="_compute_environment_display",
        help="Set by a system administrator: where this account's requests go.")
    timeout = fields.Integer(string="Timeout (s)", default=30)

    lwa_client_id = fields.Char(string="LWA Client ID", groups="base.group_system", copy=False)
    lwa_client_secret = fields.Char(groups="base.group_system", copy=False)
    lwa_refresh_token = fields.Char(groups="base.group_system", copy=False)
    # Write-only inputs: the stored secrets are never sent back to a browser.
    new_lwa_client_secret = fields.Char(
        string="LWA Client Secret", compute="_compute_secret_inputs",
        inverse="_inverse_new_lwa_client_secret", groups="base.group_system")
    new_lwa_refresh_token = fields.Char(
        string="Refresh Token", compute="_compute_secret_inputs",
        inverse="_inverse_new_lwa_refresh_token", groups="base.group_system")
    has_lwa_client_secret = fields.Boolean(compute="_compute_has_secrets")
    has_lwa_refresh_token = fields.Boolean(compute="_compute_has_secrets")

    alert_user_ids = fields.Many2many(
        "res.users", string="Alert Users", domain="[('share', '=', False)]",
        help="Users who get an activity when a document fails or a deadline approaches.")
    alert_emails = fields.Char(
        help="Extra addresses for alerts, separated by commas.")
    responsible_user_id = fields.Many2one(
        "res.users", string="Responsible", default=lambda self: self.env.user,
        domain="[('share', '=', False)]")

    import_interval = fields.Integer(string="Import every (min)", default=15)
    send_interval = fields.Integer(string="Send every (min)", default=5)
    poll_interval = fields.Integer(string="Poll every (min)", default=10)
    last_import_at = fields.Datetime(readonly=True, copy=False)
    last_send_at = fields.Datetime(readonly=True, copy=False)
    last_poll_at = fields.Datetime(readonly=True, copy=False)
    import_watermark = fields.Datetime(
        readonly=True, copy=False,
        help="Purchase orders created or changed up to this time have been read.")
    import_lookback_hours = fields.Integer(
        string="Look-back (h)", default=48,
        help="Each import re-reads this many hours before the watermark, because Amazon "
             "changes purchase orders after creating them.")

    connection_state = fields.Selection(
        [("untested", "Not tested"), ("ok", "Connected"), ("failed", "Failed")],
        default="untested", readonly=True, copy=False)
    connection_message = fields.Text(readonly=True, copy=False)
    connection_checked_at = fields.Datetime(readonly=True, copy=False)

    document_ids = fields.One2many("amazon.vendor.document", "account_id")
    document_count = fields.Integer(compute="_compute_document_count")
    effective_endpoint = fields.Char(compute="_compute_effective_endpoint",
                                     string="SP-API Endpoint")

    _sql_constraints = [
        ("timeout_positive", "CHECK(timeout > 0)", "The timeout must be positive."),
        ("intervals_positive",
         "CHECK(import_interval > 0 AND send_interval > 0 AND poll_interval > 0)",
         "Cron intervals must be positive."),
    ]

    # -- computes ---------------------------------------------------------------------------
    def _compute_secret_inputs(self):
        self.new_lwa_client_secret = False
        self.new_lwa_refresh_token = False

    def _inverse_new_lwa_client_secret(self):
        for account in self.filtered("new_lwa_client_secret"):
            account.sudo().lwa_client_secret = account.new_lwa_client_secret.strip()

    def _inverse_new_lwa_refresh_token(self):
        for account in self.filtered("new_lwa_refresh_token"):
            account.sudo().lwa_refresh_token = account.new_lwa_refresh_token.strip()

    @api.depends_context("uid")
    def _compute_has_secrets(self):
        for account, stored in zip(self, self.sudo(), strict=False):
            account.has_lwa_client_secret = bool(stored.lwa_client_secret)
            account.has_lwa_refresh_token = bool(stored.lwa_refresh_token)

    def _compute_document_count(self):
        counts = dict(self.env["amazon.vendor.document"]._read_group(
            [("account_id", "in", self.ids)], ["account_id"], ["__count"]))
        for account in self:
            account.document_count = counts.get(account, 0)

    @api.depends("environment", "region", "endpoint_override")
    @api.depends_context("uid")
    def _compute_effective_endpoint(self):
        # The override host is shown to system administrators only.
        admin = self._amazon_vendor_may_route()
        for account, routing in zip(self, self.sudo(), strict=True):
            if routing.endpoint_override:
                account.effective_endpoint = routing.endpoint_override if admin else _(
                    "Custom endpoint set by an administrator")
            elif routing.environment == "simulation":
                account.effective_endpoint = _("Built-in simulator (127.0.0.1:%s)",
                                               account._simulator_port())
            else:
                account.effective_endpoint = default_endpoint(routing.environment, routing.region)

    @api.depends("environment", "endpoint_override", "lwa_endpoint_override")
    def _compute_environment_display(self):
        labels = dict(self._fields["environment"]._description_selection(self.env))
        for account, routing in zip(self, self.sudo(), strict=True):
            account.environment_mode = routing.environment
            label = labels.get(routing.environment, "")
            if routing.endpoint_override or routing.lwa_endpoint_override:
                label = _("%s + custom endpoint set by an administrator", label)
            account.environment_display = label

    def _search_environment_mode(self, operator, value):
        return [("id", "in", self.sudo()._search([("environment", operator, value)]))]

    # -- constraints and onchanges ----------------------------------------------------------
    @api.constrains("marketplace_ids", "region")
    def _check_marketplace_region(self):
        for account in self:
            wrong = account.marketplace_ids.filtered(lambda m, a=account: m.region != a.region)
            if wrong:
                raise ValidationError(_(
                    "Marketplaces %(names)s are not in the %(region)s region of account "
                    "%(account)s. One Vendor Central account serves one region: create one "
                    "account per region.",
                    names=", ".join(wrong.mapped("name")), region=account.region,
                    account=account.name))

    @api.constrains("endpoint_override", "lwa_endpoint_override")
    def _check_endpoint_overrides(self):
        for account in self.sudo():
            for url in (account.endpoint_override, account.lwa_endpoint_override):
                if url and not re.match(r"^https?://[^/\s]+", url):
                    raise ValidationError(_(
                        "%(url)s is not a valid endpoint: enter a full URL starting with "
                        "http:// or https://.", url=url))

    @api.constrains("alert_emails")
    def _check_alert_emails(self):
        for account in self:
            bad = [e for e in account._alert_email_list() if not EMAIL_RE.match(e)]
            if bad:
                raise ValidationError(_("Invalid alert email address: %s", ", ".join(bad)))

    @api.onchange("region")
    def _onchange_region(self):
        self.marketplace_ids = self.marketplace_ids.filtered(lambda m: m.region == self.region)

    @api.onchange("environment")
    def _onchange_environment(self):
        # The simulator accepts its own documented demo credentials; prefill them once.
        if self.environment == "simulation" and self.env.user.has_group("base.group_system"):
            if not self.lwa_client_id:
                self.lwa_client_id = DEFAULT_CLIENT_ID
            if not self.has_lwa_client_secret and not self.new_lwa_client_secret:
                self.new_lwa_client_secret = DEFAULT_CLIENT_SECRET
            if not self.has_lwa_refresh_token and not self.new_lwa_refresh_token:
                self.new_lwa_refresh_token = DEFAULT_REFRESH_TOKEN

    # -- who decides where credentials go ---------------------------------------------------
    def _amazon_vendor_may_route(self):
        """System administrators (and trusted sudo code) choose where credentials are sent."""
        return self.env.su or self.env.user.has_group("base.group_system")

    @api.model
    def _amazon_vendor_routing_values(self):
        """{field deciding where credentials go: the value that sends them nowhere new}
        (other channels add theirs)."""
        return dict(SAFE_ROUTING_VALUES)

    def _amazon_vendor_check_routing(self, vals_list, creating=False):
        """Refuse routing values from anyone else, whatever the channel (form, RPC, import):
        the ORM does not check field groups on create, nor at all under sudo()."""
        if self._amazon_vendor_may_route():
            return
        safe = self._amazon_vendor_routing_values()
        for vals in vals_list:
            refused = [name for name in safe if name in vals and not (
                creating and (vals[name] or False) == safe[name])]
            if refused:
                raise AccessError(_(
                    "Only a system administrator can choose where an Amazon Vendor account "
                    "sends its credentials (%(fields)s).",
                    fields=", ".join(self._fields[name]._description_string(self.env)
                                     for name in refused)))

    @api.model
    def default_get(self, fields_list):
        defaults = super().default_get(fields_list)
        if not self._amazon_vendor_may_route():
            # Context keys and personal defaults are in the caller's hands: ignored here.
            for name, value in self._amazon_vendor_routing_values().items():
                if name in defaults:
                    defaults[name] = value
        return defaults

    @api.model_create_multi
    def create(self, vals_list):
        self._amazon_vendor_check_routing(vals_list, creating=True)
        return super().create(vals_list)

    def write(self, vals):
        self._amazon_vendor_check_routing([vals])
        return super().write(vals)

    def copy_data(self, default=None):
        default = dict(default or {})
        if not self._amazon_vendor_may_route():
            # A copy made by a manager starts in Simulation; an administrator switches it.
            default.setdefault("environment", SAFE_ROUTING_VALUES["environment"])
        return super().copy_data(default=default)

    # -- helpers ----------------------------------------------------------------------------
    def _alert_email_list(self):
        self.ensure_one()
        return [e.strip() for e in re.split(r"[,;]", self.alert_emails or "") if e.strip()]

    @api.model
    def _amazon_vendor_html(self, text):
        """``text`` (plain, may hold Amazon's data) as an HTML paragraph: escaped, line breaks
        kept. Markup passes through: whoever built it escaped what it holds."""
        if isinstance(text, Markup):
            return text
        return Markup("<p>%s</p>") % Markup("<br/>").join((text or "").split("\n"))

    def _amazon_vendor_todo(self, record, summary, problems):
        """A to-do for the responsible user on ``record``: what blocks sending it to Amazon."""
        self.ensure_one()
        user = self._amazon_vendor_responsible_of(record) or self.env.user
        record.activity_schedule("mail.mail_activity_data_todo", user_id=user.id,
                                 summary=summary,
                                 note=self._amazon_vendor_html("\n".join(problems)))

    def _simulator_port(self):
        return int(self.env["ir.config_parameter"].sudo().get_param(SIMULATOR_PORT_PARAM, 8765))

    def _simulator_url(self):
        """Base URL of the built-in simulator, started in this process when needed.

        Only a Simulation account may ask: a production database's workers never start it for
        anything else."""
        if len(self) != 1 or self.sudo().environment != "simulation":
            raise UserError(_(
                "Only a Simulation account uses the built-in Vendor Central simulator; "
                "%(account)s is not in Simulation mode, so the simulator was not started.",
                account=self[:1].display_name or _("this account")))
        port = self._simulator_port()
        try:
            return embedded_simulator.ensure_running(
                port, catalogue=self._amazon_vendor_simulator_catalogue() or None)
        except embedded_simulator.SimulatorPortBusy:
            raise UserError(_(
                "Port %(port)s is used by another program, so the built-in simulator cannot "
                "start. Free the port or set the system parameter %(param)s to a free port.",
                port=port, param=SIMULATOR_PORT_PARAM)) from None

    def _amazon_vendor_simulator_catalogue(self):
        """The company's Amazon-mapped products as the simulator's catalogue (used when the
        built-in simulator starts, so its purchase orders ask for products you really sell).

        The simulator prices an item in one currency: products are spread over the currencies
        of the Simulation accounts' marketplaces (USD and EUR are simulated)."""
        products = self.env["product.product"].sudo().search([
            ("amazon_vendor_asin", "!=", False), ("default_code", "!=", False),
            ("barcode", "!=", False), ("company_id", "in", [False, self.env.company.id])],
            limit=500, order="id")
        accounts = self.sudo().search([("environment", "=", "simulation")])
        currencies = sorted({c for c in accounts.marketplace_ids.currency_id.mapped("name")
                             if c in ("USD", "EUR")}) or ["USD"]
        catalogue = []
        for index, product in enumerate(products):
            template = product.product_tmpl_id
            cost = template.amazon_vendor_net_cost or template.list_price / 2
            currency = currencies[index % len(currencies)]
            catalogue.append({
                "vendor_sku": product.default_code, "asin": product.amazon_vendor_asin,
                "ean": product.barcode, "case_size": template._amazon_vendor_case_size(),
                "net_cost": f"{cost:.2f}", "list_price": f"{max(template.list_price, cost):.2f}",
                "currency": currency})
        return catalogue

    def _get_transport_config(self):
        """Everything the transport needs, read with sudo: secrets never leave this method."""
        self.ensure_one()
        account = self.sudo()
        endpoint = account.endpoint_override
        lwa_endpoint = account.lwa_endpoint_override
        if account.environment == "simulation" and not (endpoint and lwa_endpoint):
            url = self._simulator_url()
            endpoint = endpoint or url
            lwa_endpoint = lwa_endpoint or f"{url}/auth/o2/token"
        marketplace = account.marketplace_ids[:1]
        return TransportConfig(
            endpoint=endpoint or default_endpoint(account.environment, account.region),
            lwa_endpoint=lwa_endpoint or LWA_ENDPOINT,
            client_id=account.lwa_client_id or "",
            client_secret=account.lwa_client_secret or "",
            refresh_token=account.lwa_refresh_token or "",
            region=account.region,
            marketplace_id=marketplace.marketplace_id or "ATVPDKIKX0DER",
            timeout=float(account.timeout),
        )

    # -- actions ----------------------------------------------------------------------------
    def action_view_documents(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "acorn_amazon_vendor.action_amazon_vendor_document")
        action["domain"] = [("account_id", "=", self.id)]
        action["context"] = {"default_account_id": self.id}
        return action
