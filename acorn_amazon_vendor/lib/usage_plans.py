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
    # Finance Remittance 2026-03-17 and Finances Invoices 2026-06-25: Amazon's models state
    # no usage plan for these operations. A conservative plan (one request every two seconds,
    # burst 10) until Amazon says otherwise; the x-amzn-RateLimit-Limit header of each reply
    # then sets the pace (the transport honours it over this table).
    "getRemittanceHeaders": (0.5, 10),
    "getRemittance": (0.5, 10),
    "getInvoiceHeaders": (0.5, 10),
    "getInvoice": (0.5, 10),
}
DEFAULT_PLAN = (10.0, 10)


def plan_for(operation):
    return USAGE_PLANS.get(operation, DEFAULT_PLAN)
