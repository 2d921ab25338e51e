from odoo import _, fields, models
from odoo.addons.acorn_amazon_vendor.lib.amazon_retail import is_amazon_retail

from ..lib import amazon_prices


class AmazonVendorPriceObservation(models.Model):
    """A price seen elsewhere (a competitor, a retailer) for one product, imported from a file
    or read through a seller authorization that has Amazon's Pricing role."""
    _name = "amazon.vendor.price.observation"
    _description = "Observed Competitor Price"
    _order = "date desc, id desc"
    _rec_name = "product_id"

    company_id = fields.Many2one("res.company", required=True, index=True,
                                 default=lambda self: self.env.company)
    product_id = fields.Many2one("product.product", required=True, index=True,
                                 ondelete="cascade")
    date = fields.Date(required=True, index=True, default=fields.Date.context_today)
    price = fields.Float(required=True, digits="Product Price")
    currency_id = fields.Many2one("res.currency", required=True,
                                  default=lambda self: self.env.company.currency_id)
    source = fields.Char(help="Who sells at this price: a competitor, a retailer, a site.")
    url = fields.Char(string="Link")
    origin = fields.Selection([("import", "File Import"), ("pricing_api", "Product Pricing API"),
                               ("manual", "Manual")], default="manual", required=True)
    amazon_retail_offer = fields.Boolean(
        string="Amazon's Own Offer", readonly=True,
        help="Amazon Retail itself sells at this price (the Buy Box is often its own offer): "
             "what Amazon does with your goods, not a competitor's price, so the monitoring "
             "does not compare it with Amazon's list price.")

    _sql_constraints = [("price_positive", "CHECK(price > 0)",
                         "An observed price must be positive.")]

    def _amazon_pricing_from_competitive(self, account, products, payload, marketplace=None):
        """Competitive prices (Product Pricing v0 getCompetitivePricing payload) of
        ``marketplace`` (default the account's first) -> rows, in the currency Amazon states
        (the marketplace's when it states none)."""
        by_asin = {p.amazon_vendor_asin: p for p in products}
        marketplace = marketplace or account.marketplace_ids[:1]
        default = marketplace.currency_id or account.company_id.currency_id
        found = amazon_prices.competitive_prices(payload, marketplace.marketplace_id or None)
        codes = {code for _asin, _amount, code, _box, _seller in found if code}
        currencies = {c.name: c for c in self.env["res.currency"].with_context(
            active_test=False).search([("name", "in", list(codes))])} if codes else {}
        values = []
        for asin, amount, code, buy_box, seller in found:
            product = by_asin.get(asin)
            if not product or (code and code not in currencies):
                continue  # not ours, or a currency this database does not know
            retail = is_amazon_retail(seller)
            if retail:
                source = (_("Amazon's own retail offer (Buy Box, new)") if buy_box
                          else _("Amazon's own retail offer"))
            elif buy_box and not seller:
                # Amazon names no seller (sellerId is optional, its own examples leave it
                # out): for a vendor's product the Buy Box is mostly Amazon's own offer, so it
                # is kept but not compared as a competitor's price
                retail = True
                source = _("Amazon Buy Box price (new, seller not named: likely Amazon's own "
                           "offer)")
            else:
                source = (_("Amazon Buy Box price (new)") if buy_box
                          else _("Amazon competitive price")) + (f" ({seller})" if seller else "")
            values.append({"company_id": account.company_id.id, "product_id": product.id,
                           "price": float(amount),
                           "currency_id": currencies.get(code, default).id,
                           "source": source, "amazon_retail_offer": retail,
                           "origin": "pricing_api"})
        self.create(values)
        return len(values)
