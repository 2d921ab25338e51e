from . import amazon_vendor_alert_subscription
from . import amazon_vendor_account
