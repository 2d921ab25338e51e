from odoo import fields, models


class AmazonVendorAccount(models.Model):
    _inherit = "amazon.vendor.account"

    responsible_ids = fields.One2many(
        "amazon.vendor.responsible", "account_id", string="Responsibles per Marketplace or "
        "Fulfilment Centre")

    def _amazon_vendor_responsibles(self, destinations):
        """{key: user} for ``destinations`` (key, ship-to partner, fulfilment centre code):
        the most specific rule of this account, else its responsible. The rules are read
        once for the whole batch; the marketplace is the one of the ship-to's country."""
        self.ensure_one()
        rules = self.sudo().responsible_ids.filtered("user_id.active")
        result = {}
        if not rules:
            return {key: self.responsible_user_id for key, _partner, _code in destinations}
        rules = rules.sorted(lambda r: r._specificity(), reverse=True)
        by_country = {}
        if rules.marketplace_id:
            for marketplace in self.marketplace_ids:
                by_country.setdefault(marketplace.country_id, marketplace)
        for key, partner, code in destinations:
            marketplace = by_country.get(partner.country_id) if partner else None
            rule = next((r for r in rules if r._matches(marketplace, code)), None)
            result[key] = rule.user_id if rule else self.responsible_user_id
        return result
