from . import test_edi_cycle
from . import test_edi_as2
from . import test_i18n
from . import test_benchmark_edi
from . import test_edi_inventory
