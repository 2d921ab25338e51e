"""A fresh simulator per test and the Direct Fulfillment transport (over the core's VendorApi
and python-amazon-sp-api) pointed at it."""
import pytest

from odoo.addons.acorn_amazon_vendor_direct_fulfillment.lib.transport import (
    DirectFulfillmentApi,
)
from tests.simulator.conftest import running_simulator


@pytest.fixture
def sim():
    yield from running_simulator(throttling=False)


@pytest.fixture
def df(sim):
    with DirectFulfillmentApi(api=sim.api()) as client:
        yield client
        client.api.close()
