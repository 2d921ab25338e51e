"""Purchase orders as the simulator keeps them, and their Amazon JSON (cached as bytes).

Quantities are kept in eaches; Amazon's JSON shows them in the unit the PO was ordered in
(``Cases`` with ``unitSize``, or ``Eaches``). The serialized forms are cached per PO and
dropped whenever the PO changes, so big pages are assembled from ready-made bytes.

Freight terms. Amazon's PO JSON has no freight-term field; Amazon tells them apart by the
window it stamps on the PO: a delivery window for Prepaid freight (the vendor delivers into the
fulfilment centre) and a ship window for Collect freight (Amazon collects from the vendor).
Source: Amazon UK's vendor compliance update of September 2013, as summarised by an EDI
provider (dcs-is-edi.com/2014/07/amazon-uk-compliance-update). The Vendor Orders model carries
the two as ``shipWindow`` and ``deliveryWindow``. So a PO with a ``shipWindow`` is Collect
(WePay: the ASN must quote the ARN of a routing request), one with a ``deliveryWindow`` is
Prepaid. The control API can override this per PO
(``POST /_simulator/purchase-orders/<n>/change {"freightTerms": "Collect"}``).
"""
import json

from .clock import iso

FREIGHT_TERMS = ("Collect", "Prepaid")


def to_eaches(quantity, default_unit_size=1):
    """Eaches in an Amazon ItemQuantity (``Cases`` x ``unitSize``)."""
    amount = int(quantity.get("amount") or 0)
    if quantity.get("unitOfMeasure") == "Cases":
        return amount * int(quantity.get("unitSize") or default_unit_size)
    return amount


class PurchaseOrderItem:
    def __init__(self, seq, product, quantity_each, *, unit="Eaches", unit_size=1,
                 back_order_allowed=False, created=None):
        self.seq = str(seq)
        self.asin = product["asin"]
        self.vendor_sku = product["vendor_sku"]
        self.net_cost = product["net_cost"]
        self.list_price = product["list_price"]
        self.currency = product["currency"]
        self.unit = unit
        self.unit_size = unit_size if unit == "Cases" else 1
        self.back_order_allowed = back_order_allowed
        self.ordered = quantity_each
        # (date, ordered eaches, cancelled eaches): Amazon's orderedQuantityDetails.
        self.history = [(created, quantity_each, 0)]
        self.accepted = self.rejected = 0
        self.acks = []  # (date, accepted eaches, rejected eaches)
        self.shipped = self.received = self.invoiced = 0
        self.last_receive = None
        self.receipts = []  # (date, eaches): what the fulfilment centre booked in, and when
        # Amazon's accounts payable: eaches of the receipts already matched to invoices, and
        # Amazon's cost on file when it differs from the PO's (set through the control API:
        # Amazon lowered the cost after the PO was confirmed, a price claim at payment).
        self.matched = 0
        self.amazon_cost = None

    def change_quantity(self, eaches, when):
        """Amazon changed the ordered quantity (0 cancels the item)."""
        if eaches == self.ordered:
            return
        self.history.append((when, eaches, 0) if eaches else (when, 0, self.ordered))
        self.ordered = eaches

    def acknowledge(self, accepted, rejected, when):
        self.accepted, self.rejected = accepted, rejected
        self.acks.append((when, accepted, rejected))

    def receive(self, eaches, when):
        self.received += eaches
        self.last_receive = when
        if eaches:
            self.receipts.append((when, eaches))

    @property
    def cancelled(self):
        return self.ordered == 0

    def quantity(self, eaches):
        if self.unit == "Cases":
            return {"amount": eaches // self.unit_size, "unitOfMeasure": "Cases",
                    "unitSize": self.unit_size}
        return {"amount": eaches, "unitOfMeasure": "Eaches", "unitSize": 1}

    def money(self, amount):
        return {"currencyCode": self.currency, "amount": amount}

    def order_json(self):
        return {
            "itemSequenceNumber": self.seq,
            "amazonProductIdentifier": self.asin,
            "vendorProductIdentifier": self.vendor_sku,
            "orderedQuantity": self.quantity(self.ordered),
            "isBackOrderAllowed": self.back_order_allowed,
            "netCost": self.money(self.net_cost),
            "listPrice": self.money(self.list_price),
        }

    def status_json(self):
        if not self.acks:
            confirmation = "UNCONFIRMED"
        elif self.accepted and self.accepted >= self.ordered:
            confirmation = "ACCEPTED"
        elif self.accepted:
            confirmation = "PARTIALLY_ACCEPTED"
        else:
            confirmation = "REJECTED"
        if not self.received:
            receive = "NOT_RECEIVED"
        elif self.received >= self.accepted:
            receive = "RECEIVED"
        else:
            receive = "PARTIALLY_RECEIVED"
        details = []
        for when, ordered, cancelled in reversed(self.history):
            entry = {"updatedDate": iso(when)}
            if cancelled:
                entry["cancelledQuantity"] = self.quantity(cancelled)
            else:
                entry["orderedQuantity"] = self.quantity(ordered)
            details.append(entry)
        ack = {"confirmationStatus": confirmation, "acceptedQuantity": self.quantity(self.accepted),
               "rejectedQuantity": self.quantity(self.rejected)}
        if self.acks:
            ack["acknowledgementStatusDetails"] = [
                {"acknowledgementDate": iso(when), "acceptedQuantity": self.quantity(acc),
                 "rejectedQuantity": self.quantity(rej)} for when, acc, rej in self.acks]
        receiving = {"receiveStatus": receive, "receivedQuantity": self.quantity(self.received)}
        if self.last_receive:
            receiving["lastReceiveDate"] = iso(self.last_receive)
        return {
            "itemSequenceNumber": self.seq,
            "buyerProductIdentifier": self.asin,
            "vendorProductIdentifier": self.vendor_sku,
            "netCost": self.money(self.net_cost),
            "listPrice": self.money(self.list_price),
            "orderedQuantity": {"orderedQuantity": self.quantity(self.ordered),
                                "orderedQuantityDetails": details},
            "acknowledgementStatus": ack,
            "receivingStatus": receiving,
        }


class PurchaseOrder:
    def __init__(self, number, created, *, vendor_code, ship_to, order_type="RegularOrder",
                 payment_method="Invoice", ship_window=None, delivery_window=None,
                 deal_code=None, import_details=None, buying_party=None, selling_party=None,
                 ship_to_party=None, bill_to_party=None, items=()):
        self.number = number
        self.created = created
        self.state = "New"
        self.state_changed = created
        self.changed = None
        self.vendor_code = vendor_code
        self.ship_to = ship_to
        self.order_type = order_type
        self.payment_method = payment_method
        self.ship_window = ship_window
        self.delivery_window = delivery_window
        self.deal_code = deal_code
        self.import_details = import_details
        self.buying_party = buying_party or {"partyId": ship_to}
        self.selling_party = selling_party or {"partyId": vendor_code}
        self.ship_to_party = ship_to_party or {"partyId": ship_to}
        self.bill_to_party = bill_to_party or {"partyId": ship_to}
        self.items = list(items)
        self.freight_terms_override = None  # "Collect" | "Prepaid", set by the control API
        self._cache = {}

    # -- state ------------------------------------------------------------------------------
    def touch(self):
        self._cache.clear()

    def set_state(self, state, when):
        if state != self.state:
            self.state, self.state_changed = state, when
        self.touch()

    def item(self, seq=None, asin=None, vendor_sku=None):
        """The item matching the given identifiers (all that are given must agree)."""
        if seq is None and asin is None and vendor_sku is None:
            return None
        for item in self.items:
            if seq is not None and str(seq).lstrip("0") != item.seq.lstrip("0"):
                continue
            if asin is not None and asin != item.asin:
                continue
            if vendor_sku is not None and vendor_sku != item.vendor_sku:
                continue
            return item
        return None

    @property
    def freight_terms(self):
        """Collect (Amazon collects: the PO carries a shipWindow) or Prepaid (deliveryWindow)."""
        if self.freight_terms_override:
            return self.freight_terms_override
        return "Collect" if self.ship_window and not self.delivery_window else "Prepaid"

    @property
    def currency(self):
        return self.items[0].currency if self.items else None

    @property
    def last_updated(self):
        dates = [self.state_changed, self.changed] + [
            d for item in self.items for d in (item.last_receive, *(a[0] for a in item.acks))]
        return max(d for d in dates if d is not None)

    def mark_acknowledged(self, when):
        if self.state == "New":
            self.set_state("Acknowledged", when)
        live = [i for i in self.items if not i.cancelled]
        if live and all(i.acks and not i.accepted for i in live):
            self.set_state("Closed", when)
        self.touch()

    def close_if_complete(self, when):
        """Closed once every live item is received up to what was accepted (or all rejected)."""
        live = [i for i in self.items if not i.cancelled]
        if self.state == "Closed":
            return
        if not live or all(i.acks and i.received >= i.accepted for i in live):
            self.set_state("Closed", when)

    # -- JSON -------------------------------------------------------------------------------
    def order_json(self, details=True):
        payload = {"purchaseOrderNumber": self.number, "purchaseOrderState": self.state}
        if not details:
            return payload
        od = {"purchaseOrderDate": iso(self.created)}
        if self.changed:
            od["purchaseOrderChangedDate"] = iso(self.changed)
        od["purchaseOrderStateChangedDate"] = iso(self.state_changed)
        od["purchaseOrderType"] = self.order_type
        if self.import_details:
            od["importDetails"] = self.import_details
        if self.deal_code:
            od["dealCode"] = self.deal_code
        od["paymentMethod"] = self.payment_method
        od["buyingParty"] = self.buying_party
        od["sellingParty"] = self.selling_party
        od["shipToParty"] = self.ship_to_party
        od["billToParty"] = self.bill_to_party
        if self.ship_window:
            od["shipWindow"] = self.ship_window
        if self.delivery_window:
            od["deliveryWindow"] = self.delivery_window
        od["items"] = [item.order_json() for item in self.items]
        payload["orderDetails"] = od
        return payload

    def status_json(self):
        return {
            "purchaseOrderNumber": self.number,
            "purchaseOrderStatus": "CLOSED" if self.state == "Closed" else "OPEN",
            "purchaseOrderDate": iso(self.created),
            "lastUpdatedDate": iso(self.last_updated),
            "sellingParty": {"partyId": self.vendor_code},
            "shipToParty": {"partyId": self.ship_to},
            "itemStatus": [item.status_json() for item in self.items],
        }

    def encoded(self, form):
        """Cached compact JSON bytes: ``full``, ``summary`` or ``status``."""
        data = self._cache.get(form)
        if data is None:
            obj = {"full": lambda: self.order_json(True), "summary": lambda: self.order_json(False),
                   "status": self.status_json}[form]()
            data = self._cache[form] = json.dumps(obj, separators=(",", ":")).encode()
        return data
