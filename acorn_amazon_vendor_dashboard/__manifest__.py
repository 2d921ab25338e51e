{
    "name": "ACORN Amazon Vendor Dashboard",
    "summary": "An Amazon Vendor spreadsheet dashboard: acknowledgements, confirmation and fill "
               "rates, ASNs, invoice acceptance, open Amazon receivables and stock-out risks "
               "by week, per account, region, marketplace and fulfilment centre",
    "version": "18.0.1.0.0",
    "category": "Productivity/Dashboard",
    "author": "ACORN for Odoo",
    "maintainers": ["acorn-odoo"],
    "website": "https://github.com/acorn-odoo/acorn-amazon-vendor",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["spreadsheet_dashboard", "acorn_amazon_vendor", "acorn_amazon_vendor_forecast"],
    "data": [
        "security/amazon_vendor_dashboard_security.xml",
        "security/ir.model.access.csv",
        "data/spreadsheet_dashboard_data.xml",
    ],
    "assets": {
        "web.assets_tests": ["acorn_amazon_vendor_dashboard/static/src/js/tours/*.js"],
    },
    "installable": True,
    "auto_install": True,
    "application": False,
}
