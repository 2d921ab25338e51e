from . import amazon_vendor_report
from . import amazon_vendor_report_stockout
