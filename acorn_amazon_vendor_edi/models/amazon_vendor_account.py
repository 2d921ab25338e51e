"""EDI settings of an Amazon Vendor account: which documents go over EDI, the partner ids of
both sides, the transport (SFTP or AS2) and its secrets, and the control numbers."""
import hashlib

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from ..lib.envelope import Envelope

CHANNELS = [("api", "Selling Partner API"), ("edi", "EDI")]
# Ledger kind -> the account field choosing its channel. Amazon takes one message type over
# one channel only: the choice is per type, never both.
CHANNEL_FIELDS = {
    "purchase_order": "edi_channel_orders",
    "acknowledgement": "edi_channel_acknowledgement",
    "shipment_confirmation": "edi_channel_shipment",
    "invoice": "edi_channel_invoice",
    "credit_note": "edi_channel_invoice",
    "inventory": "edi_channel_inventory",
}
EDI_SECRET_FIELDS = ("edi_sftp_private_key", "edi_sftp_password", "edi_as2_private_key")
MAX_X12_CONTROL = 999999999  # ISA13 / GS06 / ST02 hold nine digits
# who sends to whom: a new trading pair gets its own control numbers
PAIR_FIELDS = ("edi_our_qualifier", "edi_our_id", "edi_amazon_qualifier", "edi_amazon_test_id",
               "edi_amazon_production_id", "environment")


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    edi_channel_orders = fields.Selection(
        CHANNELS, string="Purchase Orders", default="api", required=True, tracking=True,
        help="How Amazon sends this account's purchase orders: 850 / ORDERS files over EDI, "
             "or the Vendor Orders API.")
    edi_channel_acknowledgement = fields.Selection(
        CHANNELS, string="Acknowledgements", default="api", required=True, tracking=True)
    edi_channel_shipment = fields.Selection(
        CHANNELS, string="Shipment Confirmations (ASN)", default="api", required=True,
        tracking=True)
    edi_channel_invoice = fields.Selection(
        CHANNELS, string="Invoices and Credit Notes", default="api", required=True,
        tracking=True)
    # No Selling Partner API takes a 1P vendor's retail inventory: EDI (846 / INVRPT) or off.
    edi_channel_inventory = fields.Selection(
        [("off", "Off"), ("edi", "EDI")], string="Inventory", default="off", required=True,
        tracking=True,
        help="EDI: a daily 846 / INVRPT with the free quantity of every product with an ASIN "
             "in the account's warehouse. Off: Amazon gets no inventory feed from Odoo.")
    edi_enabled = fields.Boolean(compute="_compute_edi_enabled", store=True)
    edi_standard = fields.Selection(
        [("x12", "ANSI X12 (North America)"), ("edifact", "UN/EDIFACT D96A (Europe)")],
        string="EDI Standard", default="x12", required=True, tracking=True)
    edi_transport = fields.Selection(
        [("sftp", "SFTP"), ("as2", "AS2")], string="EDI Transport", default="sftp",
        required=True, tracking=True)
    # Partner ids (ISA05-08 / UNB02-03). Amazon's ids differ between its test and production
    # systems; the account's environment chooses, and sets ISA15 / UNB11.
    edi_our_qualifier = fields.Char(string="Our ID Qualifier", default="ZZ",
                                    help="X12: ZZ (mutually defined), 01 (DUNS), 12 (phone); "
                                         "EDIFACT: 14 (GLN) or ZZZ.")
    edi_our_id = fields.Char(string="Our EDI ID", copy=False)
    edi_amazon_qualifier = fields.Char(string="Amazon's ID Qualifier", default="ZZ")
    edi_amazon_test_id = fields.Char(string="Amazon's Test ID",
                                     help="Amazon's EDI id in its test system (from onboarding).")
    edi_amazon_production_id = fields.Char(string="Amazon's Production ID")
    edi_element_separator = fields.Char(string="Element Separator", size=1, default="*")
    edi_component_separator = fields.Char(string="Sub-element Separator", size=1, default=">")
    edi_segment_terminator = fields.Char(string="Segment Terminator", size=1, default="~")
    edi_sftp_host = fields.Char(string="SFTP Host", groups="base.group_system", copy=False)
    edi_sftp_port = fields.Integer(string="SFTP Port", default=22, groups="base.group_system")
    edi_sftp_host_key = fields.Char(
        string="SFTP Host Key Fingerprint", groups="base.group_system", copy=False,
        help="SHA256 fingerprint of the server's host key (as ssh-keygen -l shows it); the "
             "connection is refused when the server presents another key.")
    edi_sftp_username = fields.Char(string="SFTP User", copy=False)
    edi_sftp_upload_dir = fields.Char(string="Upload Folder", default="to-amazon")
    edi_sftp_download_dir = fields.Char(string="Download Folder", default="from-amazon")
    edi_sftp_private_key = fields.Text(groups="base.group_system", copy=False)
    edi_sftp_password = fields.Char(groups="base.group_system", copy=False)
    edi_as2_url = fields.Char(string="Amazon's AS2 URL", groups="base.group_system",
                              copy=False)
    edi_as2_our_id = fields.Char(string="Our AS2 ID", copy=False)
    edi_as2_amazon_id = fields.Char(string="Amazon's AS2 ID")
    edi_as2_certificate = fields.Text(string="Our AS2 Certificate (PEM)", copy=False)
    edi_as2_partner_certificate = fields.Text(string="Amazon's AS2 Certificate (PEM)")
    edi_as2_private_key = fields.Text(groups="base.group_system", copy=False)
    # Write-only inputs: stored keys are never sent back to a browser.
    new_edi_sftp_private_key = fields.Text(
        string="SFTP Private Key (PEM)", compute="_compute_edi_secret_inputs",
        inverse="_inverse_new_edi_sftp_private_key", groups="base.group_system")
    new_edi_sftp_password = fields.Char(
        string="SFTP Password", compute="_compute_edi_secret_inputs",
        inverse="_inverse_new_edi_sftp_password", groups="base.group_system")
    new_edi_as2_private_key = fields.Text(
        string="AS2 Private Key (PEM)", compute="_compute_edi_secret_inputs",
        inverse="_inverse_new_edi_as2_private_key", groups="base.group_system")
    has_edi_sftp_private_key = fields.Boolean(compute="_compute_has_edi_secrets")
    has_edi_as2_private_key = fields.Boolean(compute="_compute_has_edi_secrets")
    edi_interchange_ids = fields.One2many("amazon.vendor.edi.interchange", "account_id")

    @api.depends(*CHANNEL_FIELDS.values())
    def _compute_edi_enabled(self):
        for account in self:
            account.edi_enabled = any(account[name] == "edi"
                                      for name in set(CHANNEL_FIELDS.values()))

    def _compute_edi_secret_inputs(self):
        self.new_edi_sftp_private_key = False
        self.new_edi_sftp_password = False
        self.new_edi_as2_private_key = False

    def _inverse_new_edi_sftp_private_key(self):
        for account in self.filtered("new_edi_sftp_private_key"):
            account.sudo().edi_sftp_private_key = account.new_edi_sftp_private_key.strip()

    def _inverse_new_edi_sftp_password(self):
        for account in self.filtered("new_edi_sftp_password"):
            account.sudo().edi_sftp_password = account.new_edi_sftp_password

    def _inverse_new_edi_as2_private_key(self):
        for account in self.filtered("new_edi_as2_private_key"):
            account.sudo().edi_as2_private_key = account.new_edi_as2_private_key.strip()

    @api.depends_context("uid")
    def _compute_has_edi_secrets(self):
        for account, stored in zip(self, self.sudo(), strict=True):
            account.has_edi_sftp_private_key = bool(stored.edi_sftp_private_key
                                                    or stored.edi_sftp_password)
            account.has_edi_as2_private_key = bool(stored.edi_as2_private_key)

    @api.constrains("edi_element_separator", "edi_component_separator",
                    "edi_segment_terminator")
    def _check_edi_separators(self):
        for account in self:
            chosen = [account.edi_element_separator, account.edi_component_separator,
                      account.edi_segment_terminator]
            if not all(chosen) or len(set(chosen)) != 3 or any(
                    c.isalnum() or c == " " for c in chosen):
                raise ValidationError(_(
                    "The EDI separators of %s must be three different characters that are "
                    "neither letters, digits nor spaces.", account.name))

    # -- who decides where files go ---------------------------------------------------------
    @api.model
    def _amazon_vendor_routing_values(self):
        # Where files and keys go is decided by system administrators, as the API endpoints.
        return dict(super()._amazon_vendor_routing_values(), edi_sftp_host=False,
                    edi_sftp_port=22, edi_sftp_host_key=False, edi_as2_url=False)

    @api.model_create_multi
    def create(self, vals_list):
        accounts = super().create(vals_list)
        accounts._edi_ensure_sequence()
        return accounts

    def write(self, vals):
        # an account leaving a pair takes the numbers it was handed with it into the next
        before = {a.id: a._edi_sequence_name() for a in self} \
            if any(name in vals for name in PAIR_FIELDS) else {}
        result = super().write(vals)
        if any(name in vals for name in (*CHANNEL_FIELDS.values(), *PAIR_FIELDS)):
            self._edi_ensure_sequence(before)
        return result

    # -- channel, envelope, control numbers -------------------------------------------------
    def _amazon_vendor_channel(self, kind):
        """'edi' or 'api' for a ledger kind."""
        self.ensure_one()
        name = CHANNEL_FIELDS.get(kind)
        return self[name] if name else "api"

    def _edi_pair(self):
        """(our qualifier, our id, Amazon's qualifier, Amazon's id in the account's
        environment): the trading pair whose interchanges Amazon numbers apart."""
        self.ensure_one()
        account = self.sudo()
        amazon_id = account.edi_amazon_production_id if account.environment == "production" \
            else account.edi_amazon_test_id
        return (account.edi_our_qualifier or "ZZ", (account.edi_our_id or "").strip(),
                account.edi_amazon_qualifier or "ZZ", (amazon_id or "").strip())

    def _edi_sequence_name(self):
        # one sequence per trading pair: two accounts (vendor codes) sending under one EDI id
        # share Amazon's count of that sender's control numbers, so they share the numbers
        digest = hashlib.sha256("|".join(self._edi_pair()).encode()).hexdigest()[:24]
        return f"amazon_vendor_edi_control_{digest}"

    def _edi_ensure_sequence(self, previous=None):
        """The pair's sequence, created (or raised) on a cursor of its own that commits at
        once: no rolled-back send can take a sequence, and the numbers it handed out, with
        it. It starts after, and is raised to, every control number the pair's accounts
        already used (files sent, the per-account sequences of earlier versions), e.g. when
        an account joins a pair or on the first send after an upgrade: Amazon refuses a
        number used twice. It is only ever raised, never lowered. ``previous``: {account
        id: the sequence of the pair it just left}, whose numbers it may have sent."""
        for account in self.filtered("edi_enabled"):
            name = account._edi_sequence_name()
            last = account._edi_pair_last_control()
            if (previous or {}).get(account.id, name) != name:
                last = max(last, self._edi_sequence_last(previous[account.id]))
            with self.env.registry.cursor() as cr:
                cr.execute(SQL(
                    "CREATE SEQUENCE IF NOT EXISTS %s MINVALUE 1 MAXVALUE %s START WITH %s CYCLE",
                    SQL.identifier(name), MAX_X12_CONTROL,
                    last + 1 if last < MAX_X12_CONTROL else 1))
                cr.execute(SQL("SELECT last_value, is_called FROM %s", SQL.identifier(name)))
                value, called = cr.fetchone()
                if (value if called else value - 1) < last:
                    cr.execute(SQL("SELECT setval(%s, %s)", name, last))

    def _edi_pair_accounts(self):
        """Every account (any company, archived or not, EDI on or off) of this account's
        trading pair: Amazon counts the sender's numbers whoever reads the account."""
        self.ensure_one()
        pair = self._edi_pair()
        return self.sudo().with_context(active_test=False).search(
            [("edi_our_id", "ilike", pair[1])] if pair[1] else []).filtered(
            lambda a: a._edi_pair() == pair) | self.sudo()

    def _edi_pair_last_control(self):
        """The highest control number the accounts of this account's trading pair used."""
        self.ensure_one()
        accounts = self._edi_pair_accounts()
        self.env.cr.execute(SQL(
            """SELECT COALESCE(MAX(interchange_control::bigint), 0)
                 FROM amazon_vendor_edi_interchange
                WHERE direction = 'out' AND account_id IN %s
                  AND interchange_control ~ '^[0-9]{1,9}$'""", tuple(accounts.ids)))
        last = self.env.cr.fetchone()[0]
        for account in accounts:  # the per-account sequences of earlier versions
            last = max(last, self._edi_sequence_last(f"amazon_vendor_edi_control_{account.id}"))
        return int(last)

    def _edi_sequence_exists(self, name):
        self.env.cr.execute(SQL("SELECT 1 FROM pg_class WHERE relkind = 'S' AND relname = %s",
                                name))
        return bool(self.env.cr.fetchone())

    def _edi_sequence_last(self, name):
        """The last number sequence ``name`` handed out (0 when there is no such sequence)."""
        if not self._edi_sequence_exists(name):
            return 0
        self.env.cr.execute(SQL("SELECT last_value, is_called FROM %s", SQL.identifier(name)))
        value, called = self.env.cr.fetchone()
        return int(value if called else value - 1)

    def _edi_next_control(self):
        """The next interchange control number of this trading pair, from a PostgreSQL
        sequence: never handed out twice, even when the sending transaction rolls back or two
        workers send at once (nextval is outside transactions), and never waiting on a row
        lock."""
        self.ensure_one()
        name = self._edi_sequence_name()
        if not self._edi_sequence_exists(name):  # e.g. the first send after an upgrade
            self._edi_ensure_sequence()
        self.env.cr.execute(SQL("SELECT nextval(%s)", name))
        return self.env.cr.fetchone()[0]

    def _edi_envelope(self, control=None):
        """Our side as sender, Amazon's test or production id as receiver."""
        self.ensure_one()
        our_qualifier, our_id, amazon_qualifier, amazon_id = self._edi_pair()
        control = control or self._edi_next_control()
        return Envelope(
            sender_qualifier=our_qualifier, sender_id=our_id,
            receiver_qualifier=amazon_qualifier, receiver_id=amazon_id,
            interchange_control=control, group_control=control,
            test=self.sudo().environment != "production",
            element_separator=self.edi_element_separator or "*",
            component_separator=self.edi_component_separator or ">",
            segment_terminator=self.edi_segment_terminator or "~")

    def _edi_problems(self):
        """What is missing before this account can exchange EDI files, in plain words."""
        self.ensure_one()
        routing = self.sudo()
        problems = []
        if not self.edi_our_id:
            problems.append(_("Set our EDI id (from Amazon's EDI onboarding)."))
        production = routing.environment == "production"
        if not (self.edi_amazon_production_id if production else self.edi_amazon_test_id):
            problems.append(_("Set Amazon's %s EDI id.", _("production") if production
                              else _("test")))
        if self.edi_transport == "sftp":
            if not routing.edi_sftp_host or not self.edi_sftp_username:
                problems.append(_("Set the SFTP host and user (a system administrator sets "
                                  "the host)."))
            if not (routing.edi_sftp_private_key or routing.edi_sftp_password):
                problems.append(_("Set the SFTP private key or password."))
        else:
            if not routing.edi_as2_url or not self.edi_as2_our_id or not self.edi_as2_amazon_id:
                problems.append(_("Set Amazon's AS2 URL and both AS2 ids."))
            if not (routing.edi_as2_private_key and self.edi_as2_certificate
                    and self.edi_as2_partner_certificate):
                problems.append(_("Set our AS2 key and certificate and Amazon's certificate."))
        return problems
