from . import test_direct_fulfillment
