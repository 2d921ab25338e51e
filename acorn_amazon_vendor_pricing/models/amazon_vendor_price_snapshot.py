from odoo import fields, models


class AmazonVendorPriceSnapshot(models.Model):
    """What Amazon sold and paid for one product on one monitoring day: the history behind
    the Amazon pricing view, its graph and pivot. Written by the monitoring pass."""
    _name = "amazon.vendor.price.snapshot"
    _description = "Amazon Pricing Snapshot"
    _order = "date desc, product_id"
    _rec_name = "product_id"

    date = fields.Date(required=True, index=True, readonly=True)
    account_id = fields.Many2one("amazon.vendor.account", required=True, index=True,
                                 readonly=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    marketplace_id = fields.Many2one("amazon.vendor.marketplace", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    product_id = fields.Many2one("product.product", required=True, index=True, readonly=True,
                                 ondelete="cascade")
    agreed_cost = fields.Float(readonly=True, digits="Product Price",
                               aggregator="avg",
                               help="The cost of Odoo's pricelist for Amazon (else the "
                                    "product's Amazon agreed cost).")
    cost_on_file = fields.Float(string="Amazon Cost on File", readonly=True,
                                digits="Product Price", aggregator="avg")
    last_po_cost = fields.Float(string="Last PO Cost", readonly=True, digits="Product Price",
                                aggregator="avg")
    list_price = fields.Float(readonly=True, digits="Product Price",
                              aggregator="avg",
                              help="Amazon's list price, else the product's sales price.")
    map_price = fields.Float(string="MAP", readonly=True, digits="Product Price",
                             aggregator="avg")
    asp = fields.Float(string="Amazon Selling Price", readonly=True, digits="Product Price",
                       aggregator="avg",
                       help="Amazon's average selling price: ordered revenue over ordered units "
                            "of the account's selling price window.")
    asp_hourly = fields.Float(string="Selling Price (last 24 h)", readonly=True,
                              digits="Product Price", aggregator="avg",
                              help="From Amazon's hourly Real-Time Sales report, when fetched.")
    front_margin = fields.Float(string="Amazon Front Margin (%)", readonly=True, digits=(16, 2),
                                aggregator="avg",
                                help="(Shipped revenue - shipped COGS) / shipped revenue.")
    net_ppm = fields.Float(string="Net PPM (%)", readonly=True, digits=(16, 2),
                           aggregator="avg")
    has_net_ppm = fields.Boolean(readonly=True)
    observed_price = fields.Float(string="Lowest Observed Price", readonly=True,
                                  digits="Product Price", aggregator="avg")
    own_cost = fields.Float(string="Product Cost", readonly=True, digits="Product Price",
                            aggregator="avg")
    ordered_units = fields.Float(readonly=True)
    exposure_units = fields.Float(
        string="Amazon On Hand + Open PO", readonly=True,
        help="Units exposed to price protection: Amazon's sellable on-hand and open PO units "
             "(inventory report).")
    alert_count = fields.Integer(string="Alerts", readonly=True)
