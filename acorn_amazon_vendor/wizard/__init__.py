from . import amazon_vendor_ack_wizard
