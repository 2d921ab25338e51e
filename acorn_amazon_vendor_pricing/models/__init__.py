from . import (
    amazon_vendor_account,
    amazon_vendor_cost_request,
    amazon_vendor_document,
    amazon_vendor_price_alert,
    amazon_vendor_price_observation,
    amazon_vendor_price_snapshot,
    amazon_vendor_price_suggestion,
    amazon_vendor_pricing_monitor,
    amazon_vendor_product_price,
    amazon_vendor_report_pricing,
    product_template,
)
