{
    "name": "ACORN Amazon Vendor",
    "summary": "Sell to Amazon as a 1P vendor (Vendor Central) from Odoo: SP-API accounts, "
               "transport, document ledger and an offline Vendor Central simulator",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "ACORN for Odoo",
    "website": "https://github.com/acorn-odoo/acorn-amazon-vendor",
    "license": "LGPL-3",
    "depends": ["sale_stock", "mail"],
    "external_dependencies": {"python": ["python-amazon-sp-api", "amzn-sp-api", "httpx"]},
    "data": [
        "security/amazon_vendor_security.xml",
        "security/ir.model.access.csv",
        "data/amazon_vendor_marketplace_data.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "views/amazon_vendor_account_views.xml",
        "views/amazon_vendor_document_views.xml",
        "views/amazon_vendor_marketplace_views.xml",
        "views/amazon_vendor_menus.xml",
    ],
    "demo": ["demo/amazon_vendor_demo.xml"],
    "assets": {
        "web.assets_tests": ["acorn_amazon_vendor/static/src/js/tours/*.js"],
    },
    "installable": True,
    "application": True,
}
