"""Demand forecast engine: plain numpy, vectorised across products, no Odoo import.

Import it as ``odoo.addons.acorn_amazon_vendor_forecast.lib.forecast_engine`` or, with
``acorn_amazon_vendor_forecast/lib`` on ``sys.path``, as ``forecast_engine``.
"""
from .amazon import amazon_expected_orders, blend_weights, safety_from_p90
from .api import (
    DEFAULT_CANDIDATES,
    METHODS,
    EngineParams,
    ForecastResult,
    classify,
    forecast,
)
from .classify import CLASSES, Classification
