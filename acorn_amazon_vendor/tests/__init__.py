from . import test_access
from . import test_account_form
from . import test_connection
from . import test_ledger
from . import test_po_import
from . import test_neutralize
from . import test_tour
