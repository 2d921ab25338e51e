from odoo import fields, models

MATCH_ORDERS = [
    ("sku_asin_ean", "Vendor SKU, then ASIN, then EAN/GTIN"),
    ("asin_sku_ean", "ASIN, then vendor SKU, then EAN/GTIN"),
    ("ean_sku_asin", "EAN/GTIN, then vendor SKU, then ASIN"),
]


class AmazonVendorAccount(models.Model):
    """What the account decides for purchase orders: matching, checks, acknowledgement."""

    _inherit = "amazon.vendor.account"

    product_match_order = fields.Selection(
        MATCH_ORDERS, string="Match Products By", default="sku_asin_ean", required=True)
    price_tolerance = fields.Float(
        string="Price Tolerance (%)", default=0.0,
        help="A netCost differing from the product's agreed cost by more than this share is "
             "flagged on the order.")
    warehouse_id = fields.Many2one(
        "stock.warehouse", check_company=True,
        help="Ships Amazon's orders; its stock decides the acknowledgement proposal.")
    pricelist_id = fields.Many2one("product.pricelist", check_company=True)
    sale_team_id = fields.Many2one("crm.team", string="Sales Team", check_company=True)
    ack_deadline_hours = fields.Integer(
        string="Acknowledge within (h)", default=24,
        help="Hours after the purchase order date by which Amazon expects the acknowledgement.")
    ack_alert_hours = fields.Integer(
        string="Warn before deadline (h)", default=4,
        help="Purchase orders still unacknowledged this many hours before the deadline raise "
             "an alert.")
    confirmation_rate_threshold = fields.Float(
        string="Confirmation Rate Target (%)", default=80.0,
        help="Acknowledging less than this share of the ordered units risks chargebacks.")
    asn_trigger = fields.Selection(
        [("validation", "When the delivery is validated"),
         ("before_pickup", "Hours before the scheduled pickup")],
        string="Send ASNs", default="validation", required=True)
    asn_hours_before_pickup = fields.Integer(string="Hours before Pickup", default=24)
    freight_terms = fields.Selection(
        [("prepaid", "Prepaid (vendor ships)"), ("collect", "Collect / WePay (Amazon ships)")],
        default="prepaid", required=True,
        help="Collect/WePay accounts request transport from Amazon and quote its ARN on ASNs.")
    default_shipment_type = fields.Selection(
        [("SmallParcel", "Small parcel"), ("LessThanTruckLoad", "Less than truckload"),
         ("TruckLoad", "Truckload")], default="SmallParcel", required=True)
    default_carrier_scac = fields.Char(string="Default Carrier SCAC")
    gs1_prefix = fields.Char(related="company_id.amazon_vendor_gs1_prefix", readonly=False)
    sscc_extension = fields.Integer(related="company_id.amazon_vendor_sscc_extension",
                                    readonly=False)
    invoice_auto_send = fields.Boolean(
        string="Send Invoices on Posting", default=True,
        help="Posting a customer invoice of Amazon orders queues it for Amazon; otherwise use "
             "the Send to Amazon button.")
    processing_alert_hours = fields.Integer(
        string="Alert when Processing (h)", default=4,
        help="A document still Processing at Amazon after this many hours raises an alert.")
    ack_requires_approval = fields.Boolean(
        string="Manager Approval", help="A manager approves each acknowledgement before it is "
                                        "sent.")

    _sql_constraints = [
        ("ack_deadline_positive", "CHECK(ack_deadline_hours > 0)",
         "The acknowledgement deadline must be positive."),
    ]
