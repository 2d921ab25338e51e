{
    "name": "ACORN Amazon Vendor SMS Alerts",
    "summary": "Amazon Vendor alerts by SMS (Odoo's sms module): a third channel for the alert "
               "subscriptions, sent to the user's mobile",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "ACORN for Odoo",
    "maintainers": ["acorn-odoo"],
    "website": "https://github.com/acorn-odoo/acorn-amazon-vendor",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["acorn_amazon_vendor", "sms"],
    "data": ["views/amazon_vendor_alert_subscription_views.xml"],
    "installable": True,
    "auto_install": True,
}
