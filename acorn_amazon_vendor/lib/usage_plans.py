"""Amazon's published usage plans of the operations we call: (rate per second, burst).

One table for the transport (pacing) and the simulator (throttling). Amazon may change a
rate per application and account; it says so in each reply's ``x-amzn-RateLimit-Limit``
header, which the transport honours over this table.
"""
USAGE_PLANS = {
    # Vendor Orders, Shipments, Invoices: 10 requests per second, burst 10.
    "getPurchaseOrders": (10.0, 10),
    "getPurchaseOrder": (10.0, 10),
    "submitAcknowledgement": (10.0, 10),
    "getPurchaseOrdersStatus": (10.0, 10),
    "SubmitShipmentConfirmations": (10.0, 10),
    "SubmitShipments": (10.0, 10),
    "GetShipmentDetails": (10.0, 10),
    "GetShipmentLabels": (10.0, 10),
    "submitInvoices": (10.0, 10),
    # Vendor Transaction Status.
    "getTransaction": (10.0, 20),
    # Reports 2021-06-30.
    "createReport": (0.0167, 15),
    "getReport": (2.0, 15),
    "getReportDocument": (0.0167, 15),
}
DEFAULT_PLAN = (10.0, 10)


def plan_for(operation):
    return USAGE_PLANS.get(operation, DEFAULT_PLAN)
