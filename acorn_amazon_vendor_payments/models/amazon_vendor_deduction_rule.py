"""How Amazon's deduction lines are recognised: rules an accountant can edit, because Amazon's
invoice numbers and descriptions differ by region and change over time. The defaults (and the
sources they come from) are in acorn_amazon_vendor/lib/mapping/deductions.py."""
from odoo import api, fields, models
from odoo.addons.acorn_amazon_vendor.lib.mapping import deductions
from odoo.exceptions import ValidationError

DEDUCTION_TYPES = [
    ("shortage", "Shortage Claim"),
    ("price_variance", "Price Variance (PPV)"),
    ("quantity_variance", "Quantity Variance (PQV)"),
    ("chargeback", "Operational Chargeback"),
    ("coop", "Co-op / Agreement"),
    ("damage_allowance", "Damage Allowance"),
    ("price_protection", "Price Protection"),
    ("provision", "Provision for Receivables"),
    ("terms_discount", "Terms Discount"),
    ("reversal", "Reversal / Repayment"),
    ("other", "Other"),
]


class AmazonVendorDeductionRule(models.Model):
    _name = "amazon.vendor.deduction.rule"
    _description = "Amazon Deduction Rule"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(readonly=True, help="The default rule this one comes from.")
    sequence = fields.Integer(default=100, help="Rules are tried in this order; the first "
                                                "matching one classifies the line.")
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", help="Empty: every company.")
    deduction_type = fields.Selection(DEDUCTION_TYPES, required=True)
    invoice_pattern = fields.Char(
        string="Invoice Number Pattern",
        help="A regular expression searched in Amazon's invoice number (case ignored). A group "
             "named 'original' captures the invoice the deduction refers to.")
    description_pattern = fields.Char(help="A regular expression searched in the description.")
    invoice_type_pattern = fields.Char(help="A regular expression searched in the invoice "
                                            "type Amazon gives the line.")
    sign = fields.Selection([("negative", "Amazon takes money"),
                             ("positive", "Amazon gives money back")],
                            help="Empty: either.")
    regions = fields.Char(help="Country codes where the rule applies (comma separated); "
                               "empty: everywhere.")
    deadline_days = fields.Integer(
        string="Dispute Within (days)",
        help="0: Amazon's usual window for this type of deduction.")
    account_id = fields.Many2one(
        "account.account", string="Account when Accepted", company_dependent=True,
        help="The account of the credit note that books this type of deduction once accepted "
             "(else the Vendor account's deductions account).")
    source = fields.Char(readonly=True, help="Where this convention of Amazon's is described.")

    @api.constrains("invoice_pattern", "description_pattern", "invoice_type_pattern", "sign")
    def _check_patterns(self):
        problems = deductions.check_rules([
            {key: value for key, value in r._amazon_vendor_rule().items()
             if key in deductions.RULE_KEYS} for r in self])
        if problems:
            raise ValidationError("\n".join(problems))

    def _amazon_vendor_rule(self):
        self.ensure_one()
        return {"code": f"rule{self.id}", "name": self.name, "type": self.deduction_type,
                "priority": self.sequence, "invoice_regex": self.invoice_pattern or "",
                "description_regex": self.description_pattern or "",
                "invoice_type_regex": self.invoice_type_pattern or "",
                "sign": self.sign or "", "active": True,
                "regions": [r.strip() for r in (self.regions or "").split(",") if r.strip()],
                "id": self.id, "deadline_days": self.deadline_days}

    @api.model
    def _amazon_vendor_rules(self, company):
        """The active rules of ``company`` as the plain data the classifier reads."""
        return [r._amazon_vendor_rule() for r in self.search(
            [("company_id", "in", [False, company.id])])]

    @api.model
    def _amazon_vendor_deadlines(self, rule):
        """Amazon's dispute windows, with this rule's own window when it sets one."""
        table = dict(deductions.DEFAULT_DEADLINES)
        if rule and rule.get("deadline_days"):
            spec = dict(table.get(rule["type"]) or table["other"])
            spec["days"] = rule["deadline_days"]
            table[rule["type"]] = spec
        return table

    @api.model
    def _amazon_vendor_create_defaults(self):
        """Amazon's usual naming, as editable records (once)."""
        if self.with_context(active_test=False).search_count([]):
            return
        self.create([{
            "name": rule["name"], "code": rule["code"], "sequence": rule.get("priority", 100),
            "deduction_type": rule["type"],
            "invoice_pattern": rule.get("invoice_regex") or False,
            "description_pattern": rule.get("description_regex") or False,
            "invoice_type_pattern": rule.get("invoice_type_regex") or False,
            "sign": rule.get("sign") or False,
            "regions": ",".join(rule.get("regions") or ()) or False,
            "source": rule.get("source") or False,
        } for rule in deductions.DEFAULT_RULES])
