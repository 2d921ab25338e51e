{
    "name": "ACORN Amazon Vendor Direct Fulfillment",
    "summary": "Amazon Direct Fulfillment (drop-ship) orders shipped from your warehouse: "
               "acknowledgements, Amazon labels, shipment confirmations, invoices and "
               "inventory updates",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "ACORN for Odoo",
    "maintainers": ["acorn-odoo"],
    "website": "https://github.com/acorn-odoo/acorn-amazon-vendor",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["acorn_amazon_vendor"],
    "external_dependencies": {
        "python": ["python-amazon-sp-api", "amzn-sp-api"],
    },
    "data": [
        "security/ir.model.access.csv",
        "security/direct_fulfillment_security.xml",
        "data/ir_cron_data.xml",
        "views/amazon_vendor_account_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/amazon_vendor_df_status_wizard_views.xml",
        "views/direct_fulfillment_menus.xml",
    ],
    "installable": True,
}
