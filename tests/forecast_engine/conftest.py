"""The forecast engine is plain numpy: import it as ``forecast_engine`` from the addon's lib/
folder, without importing the addon (whose package needs an Odoo registry)."""
import pathlib
import sys

import numpy as np
import pytest

LIB = pathlib.Path(__file__).resolve().parents[2] / "acorn_amazon_vendor_forecast" / "lib"
TOOLS = pathlib.Path(__file__).resolve().parents[2] / "tools"
if str(LIB) not in sys.path:
    sys.path.insert(0, str(LIB))


@pytest.fixture
def rng():
    return np.random.default_rng(12345)


@pytest.fixture
def harness():
    """tools/forecast_eval.py, the evaluation harness, imported from the tools folder."""
    sys.path.insert(0, str(TOOLS))
    try:
        import forecast_eval  # noqa: PLC0415 - only on the path inside this fixture
        yield forecast_eval
    finally:
        sys.path.remove(str(TOOLS))
