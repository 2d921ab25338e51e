import logging

from odoo import fields, models

_logger = logging.getLogger(__name__)


class ResPartner(models.Model):
    _inherit = "res.partner"

    amazon_vendor_party_id = fields.Char(
        string="Amazon Party ID", index="btree_not_null", copy=False,
        help="Amazon's code for this address, e.g. a fulfilment centre such as ABE2.")

    def init(self):
        # One address per Amazon party under an Amazon customer, even when two workers import
        # purchase orders naming a new fulfilment centre at the same moment.
        cr = self.env.cr
        cr.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s",
                   ("res_partner_amazon_vendor_party_unique",))
        if cr.fetchone():
            return
        cr.execute("""SELECT parent_id, amazon_vendor_party_id FROM res_partner
                       WHERE amazon_vendor_party_id IS NOT NULL
                    GROUP BY parent_id, amazon_vendor_party_id HAVING count(*) > 1 LIMIT 5""")
        duplicates = cr.fetchall()
        if duplicates:
            _logger.warning("Amazon parties with more than one address under one customer %s: "
                            "merge them (Contacts > Merge) so that Odoo can keep them unique",
                            duplicates)
            return
        cr.execute("""CREATE UNIQUE INDEX res_partner_amazon_vendor_party_unique
                          ON res_partner (parent_id, amazon_vendor_party_id)
                       WHERE amazon_vendor_party_id IS NOT NULL""")
