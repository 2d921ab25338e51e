{
    "name": "ACORN Amazon Vendor EDI",
    "summary": "The Amazon Vendor cycle over EDI: X12 (850/855/856/810/997/820) and EDIFACT "
               "(ORDERS/ORDRSP/DESADV/INVOIC/CONTRL) over SFTP or AS2, per account and "
               "document type, in the same ledger as the API",
    "version": "18.0.1.0.0",
    "category": "Sales/Sales",
    "author": "ACORN for Odoo",
    "maintainers": ["acorn-odoo"],
    "website": "https://github.com/acorn-odoo/acorn-amazon-vendor",
    "license": "LGPL-3",
    "development_status": "Beta",
    "depends": ["acorn_amazon_vendor"],
    "external_dependencies": {
        "python": ["paramiko", "pydifact", "cryptography", "asn1crypto"],
    },
    "data": [
        "security/amazon_vendor_edi_security.xml",
        "security/ir.model.access.csv",
        "data/ir_cron_data.xml",
        "views/amazon_vendor_edi_interchange_views.xml",
        "views/amazon_vendor_account_views.xml",
        "views/amazon_vendor_document_views.xml",
    ],
    "installable": True,
    "application": False,
}
