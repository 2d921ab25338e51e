"""An offline, stateful Amazon Vendor Central (SP-API) simulator on loopback.

LWA token endpoint, Vendor Orders, Shipments, Invoices, Transaction Status and Reports, with
Amazon's shapes, limits, error envelopes and headers, validating every request; plus a
control API under ``/_simulator/``. Plain Python: no Odoo import.
"""
from .server import (  # noqa: F401
    DEFAULT_CLIENT_ID,
    DEFAULT_CLIENT_SECRET,
    DEFAULT_PORT,
    DEFAULT_REFRESH_TOKEN,
    SimulatorServer,
)
