{
    "name": "ACORN Amazon Vendor Pricing",
    "summary": "Price and margin monitoring for Amazon 1P vendors: Amazon's selling price, "
               "cost on file, margin and net PPM per product, alerts, and cost or list-price "
               "changes proposed by rules and approved by a manager",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "ACORN for Odoo",
    "website": "https://github.com/acorn-odoo/acorn-amazon-vendor",
    "license": "LGPL-3",
    "depends": ["acorn_amazon_vendor", "acorn_amazon_vendor_forecast"],
    "external_dependencies": {"python": ["openpyxl"]},
    "data": [
        "security/amazon_vendor_pricing_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/amazon_vendor_price_snapshot_views.xml",
        "views/amazon_vendor_price_alert_views.xml",
        "views/amazon_vendor_price_suggestion_views.xml",
        "views/amazon_vendor_cost_request_views.xml",
        "views/amazon_vendor_price_observation_views.xml",
        "views/amazon_vendor_account_views.xml",
        "views/product_template_views.xml",
        "wizard/amazon_vendor_price_import_views.xml",
        "views/amazon_vendor_pricing_menus.xml",
    ],
    "installable": True,
    "application": False,
}
