from . import test_dashboard_figures
from . import test_dashboard_tour
from . import test_i18n
