from . import test_deductions
from . import test_payment_reports
from . import test_remittance_api
from . import test_remittance_booking
from . import test_remittance_import
from . import test_benchmark_remittances
from . import test_i18n
