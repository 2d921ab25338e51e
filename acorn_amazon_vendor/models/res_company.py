from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..lib.mapping.sscc import SsccError, make_sscc

SSCC_SEQUENCE = "acorn_amazon_vendor.sscc"


class ResCompany(models.Model):
    _inherit = "res.company"

    amazon_vendor_gs1_prefix = fields.Char(
        string="GS1 Company Prefix",
        help="The 6 to 12 digit prefix GS1 assigned to your company; every carton's SSCC "
             "starts with it.")
    amazon_vendor_sscc_extension = fields.Integer(
        string="SSCC Extension Digit", default=0,
        help="0-9, chosen by you to widen the serial range (often 0 for cartons).")

    @api.constrains("amazon_vendor_gs1_prefix", "amazon_vendor_sscc_extension")
    def _check_amazon_vendor_gs1(self):
        for company in self.filtered("amazon_vendor_gs1_prefix"):
            try:
                make_sscc(company.amazon_vendor_gs1_prefix, company.amazon_vendor_sscc_extension, 0)
            except SsccError as exc:
                raise ValidationError(str(exc)) from None

    def _amazon_vendor_next_ssccs(self, count):
        """``count`` new SSCC-18 codes from the company's serial sequence."""
        self.ensure_one()
        if not count:
            return []
        if not self.amazon_vendor_gs1_prefix:
            raise ValidationError(_(
                "Set the GS1 company prefix of %s (Amazon Vendor account > Shipping) before "
                "labelling cartons.", self.name))
        sequence = self.env["ir.sequence"].sudo().search(
            [("code", "=", SSCC_SEQUENCE), ("company_id", "=", self.id)], limit=1)
        if not sequence:
            # A PostgreSQL sequence: serials must be unique, not gap-free, and a whole
            # shipment's cartons take their serials in one query.
            sequence = self.env["ir.sequence"].sudo().create({
                "name": _("SSCC serials (%s)", self.name), "code": SSCC_SEQUENCE,
                "company_id": self.id, "implementation": "standard", "padding": 1})
        self.env.cr.execute("SELECT nextval(%s) FROM generate_series(1, %s)",
                            (f"ir_sequence_{sequence.id:03d}", count))
        return [make_sscc(self.amazon_vendor_gs1_prefix, self.amazon_vendor_sscc_extension,
                          serial) for serial, in self.env.cr.fetchall()]
