from . import amazon_vendor_remittance_import
