from . import test_demand_history
from . import test_report_import
from . import test_forecast_run
from . import test_forecast_scale
from . import test_i18n
from . import test_tour
from . import test_multi_company
from . import test_forecast_chart
