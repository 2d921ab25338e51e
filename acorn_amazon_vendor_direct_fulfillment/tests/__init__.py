from . import test_direct_fulfillment
from . import test_benchmark_direct_fulfillment
from . import test_i18n
from . import test_df_own_carrier
