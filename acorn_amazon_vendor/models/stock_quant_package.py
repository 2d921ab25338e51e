import base64

from odoo import api, fields, models

from ..lib.mapping.sscc import gs1_128_element


class StockQuantPackage(models.Model):
    _inherit = "stock.quant.package"

    amazon_vendor_sscc = fields.Char(string="SSCC", copy=False, index="btree_not_null",
                                     readonly=True)
    amazon_vendor_is_pallet = fields.Boolean(string="Pallet")
    amazon_vendor_tracking_ref = fields.Char(string="Tracking Number",
                                             help="The parcel carrier's tracking number of this "
                                                  "carton.")
    amazon_vendor_pallet_id = fields.Many2one(
        "stock.quant.package", string="On Pallet",
        domain="[('amazon_vendor_is_pallet', '=', True)]",
        help="The pallet this carton is stacked on.")
    amazon_vendor_carton_ids = fields.One2many("stock.quant.package", "amazon_vendor_pallet_id",
                                               string="Cartons")
    amazon_vendor_sscc_text = fields.Char(compute="_compute_amazon_vendor_sscc_text",
                                          string="SSCC (human readable)")

    _sql_constraints = [
        ("amazon_vendor_sscc_unique", "unique(amazon_vendor_sscc)",
         "An SSCC identifies one container only."),
    ]

    @api.depends("amazon_vendor_sscc")
    def _compute_amazon_vendor_sscc_text(self):
        for package in self:
            package.amazon_vendor_sscc_text = package.amazon_vendor_sscc and gs1_128_element(
                package.amazon_vendor_sscc)

    def _amazon_vendor_ensure_sscc(self, company):
        """Give every package without an SSCC the next codes of the company's serial."""
        missing = self.filtered(lambda p: not p.amazon_vendor_sscc)
        for package, code in zip(missing, company._amazon_vendor_next_ssccs(len(missing)),
                                 strict=True):
            package.amazon_vendor_sscc = code
        return self

    def action_amazon_vendor_assign_sscc(self):
        for company in self.company_id | self.env.company:
            self.filtered(lambda p, c=company: (p.company_id or self.env.company) == c)\
                ._amazon_vendor_ensure_sscc(company)
        return True

    def _amazon_vendor_barcode_png(self):
        """GS1-128: Code 128 with FNC1 (\\xf1) before the AI (00) and the SSCC."""
        self.ensure_one()
        png = self.env["ir.actions.report"].barcode(
            "Code128", "\xf100" + self.amazon_vendor_sscc, width=1100, height=260,
            humanreadable=0, quiet=1)
        return base64.b64encode(png).decode()
