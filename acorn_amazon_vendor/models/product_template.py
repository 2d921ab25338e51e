from odoo import fields, models

# Amazon's ChargeDetails / AllowanceDetails types (Vendor Invoices model).
CHARGE_TYPES = ["Freight", "Packing", "Duty", "Service", "SmallOrder", "InsurancePlacementCost",
                "InsuranceFee", "SpecialHandlingService", "CollectionAndRecyclingService",
                "EnvironmentalProtectionService", "TaxCollectedAtSource"]
ALLOWANCE_TYPES = ["Discount", "DiscountIncentive", "Defective", "Promotional",
                   "UnsaleableMerchandise", "Special"]


class ProductTemplate(models.Model):
    _inherit = "product.template"

    amazon_vendor_asin = fields.Char(
        string="ASIN", index="btree_not_null", copy=False,
        help="Amazon Standard Identification Number; Amazon's purchase orders carry it.")
    amazon_vendor_net_cost = fields.Float(
        string="Amazon Agreed Cost", digits="Product Price",
        help="The cost agreed with Amazon per unit; purchase order lines whose netCost differs "
             "by more than the account's tolerance are flagged.")

    amazon_vendor_charge_type = fields.Selection(
        [(t, t) for t in CHARGE_TYPES], string="Amazon Charge Type",
        help="On an Amazon invoice, lines of this product are sent as this charge.")
    amazon_vendor_allowance_type = fields.Selection(
        [(t, t) for t in ALLOWANCE_TYPES], string="Amazon Allowance Type",
        help="On an Amazon invoice, lines of this product are sent as this allowance.")

    def _amazon_vendor_case_size(self):
        """Units per case: the largest sales packaging of the product (1 when none)."""
        self.ensure_one()
        packagings = self.packaging_ids.filtered(lambda p: p.sales and p.qty > 1)
        return int(max(packagings.mapped("qty"), default=1))
