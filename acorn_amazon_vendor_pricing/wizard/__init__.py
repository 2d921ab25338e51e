from . import amazon_vendor_price_import
