from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    amazon_vendor_party_id = fields.Char(
        string="Amazon Party ID", index="btree_not_null", copy=False,
        help="Amazon's code for this address, e.g. a fulfilment centre such as ABE2.")
