from . import amazon_vendor_account
from . import amazon_vendor_edi_interchange
from . import amazon_vendor_edi_send
from . import amazon_vendor_edi_receive
from . import amazon_vendor_edi_connection
from . import amazon_vendor_document
from . import amazon_vendor_edi_inventory
from . import amazon_vendor_edi_async_mdn
