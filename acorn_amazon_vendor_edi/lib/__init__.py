"""Plain Python (no ORM) for the EDI channel: codecs between Amazon's API documents and X12 /
EDIFACT files, and the SFTP / AS2 transports.

The codecs read and write the very JSON documents the SP-API channel exchanges (a purchase order
as getPurchaseOrders returns it, one acknowledgement / shipment confirmation / invoice as the
submit operations take it), so every business check of ``acorn_amazon_vendor/lib/mapping`` is
shared by both channels and never rewritten for EDI.
"""
