from . import amazon_vendor_marketplace
from . import amazon_vendor_party
from . import amazon_vendor_account
from . import amazon_vendor_connection
from . import amazon_vendor_document
from . import amazon_vendor_document_exchange
from . import amazon_vendor_po_import
