from . import (
    test_amazon_data,
    test_benchmark_monitoring,
    test_competitive_prices,
    test_i18n,
    test_monitoring,
    test_price_import,
    test_suggestions,
)
from . import test_companies
