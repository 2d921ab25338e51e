"""Amazon's EDI partner: the same Vendor Central over EDI files on a loopback SFTP server.

Amazon's side of the EDI channel for vendors configured for it (``POST /_simulator/edi``):

- purchase orders go out as 850 (X12 004010, North American vendor codes) or ORDERS
  (EDIFACT D96A, European ones), written from the simulator's own purchase orders, so the EDI
  and API channels show the same POs; new POs of the control API are sent at once, older
  ones on request (``POST /_simulator/edi/<username>/deliver``); a PO changed through the
  control API after its 850 / ORDERS goes out again as an 860 / ORDCHG;
- uploaded 855/856/810 and ORDRSP/DESADV/INVOIC files are read with the EDI addon's codecs.
  A file whose structure is broken, that is not addressed to Amazon's id, comes from another
  sender or repeats a control number already received is refused as a whole. Each document
  read is then checked against Amazon's model and run through the SAME business rules as the
  API submissions (orders.py, shipments.py, invoices.py, as a transaction of the simulator's
  TransactionBook settled at once): a refused document is rejected in the functional
  acknowledgement at the segment and element at fault, an accepted one counts in the state
  exactly as an API document would (an accepted ASN is received, invoices may bill it...);
- uploaded 846 / INVRPT inventory reports are read and checked by edi_inventory.py (vendor
  code, catalogue items, quantities) and kept as the vendor code's latest inventory;
- every file is answered with a 997 / CONTRL in ``from-amazon``, under Amazon's own
  increasing control numbers (per partner).

A 997 or CONTRL carries codes, not words: the segment and element at fault (AK3/AK4, or
UCS/UCD), and for X12 the bad value (AK404). The reasons in words are in the simulator's log
of EDI files (``GET /_simulator/edi``) and, for business rules, in the transaction
(``GET /_simulator/documents``), as Amazon shows them in Vendor Central.

The EDI addon (``acorn_amazon_vendor_edi``) is imported only when the partner starts, so the
simulator runs without it. AS2 (edi_as2.py): a partner configured with ``"transport": "as2"``
posts its files to Amazon's AS2 URL (signed and encrypted, answered by a signed MDN) and gets
Amazon's files posted to its own URL; the SFTP server serves the others.
"""
import contextlib
import importlib
import logging
import os
import re
import shutil
import tempfile
import threading

from .. import amazon_schema
from . import edi_inventory
from .catalogue import REGIONS
from .clock import iso
from .edi_as2 import As2Endpoint
from .errors import ApiError

_logger = logging.getLogger(__name__)

EDI_LIB = "odoo.addons.acorn_amazon_vendor_edi.lib"
STANDARDS = ("x12", "edifact")
DEFAULT_QUALIFIERS = {"x12": "ZZ", "edifact": "ZZZ"}
# What the vendor sends, as the API takes it: (document kind -> transaction kind, model
# module, request class, list key).
SUBMISSIONS = {
    "acknowledgement": ("acknowledgement", "vendor_orders_v1", "SubmitAcknowledgementRequest",
                        "acknowledgements"),
    "shipment_confirmation": ("shipment_confirmation", "vendor_shipments_v1",
                              "SubmitShipmentConfirmationsRequest", "shipmentConfirmations"),
    "invoice": ("invoice", "vendor_invoices_v1", "SubmitInvoicesRequest", "invoices"),
}
X12_SET_OF_GROUP = {"PR": "855", "SH": "856", "IN": "810", "PO": "850", "PC": "860",
                    "FA": "997"}
# Where a business error points, per rule code: (X12 element of the line segment, EDIFACT
# segment after the LIN and its element). Other codes point at the value they name, else
# at the line, else at nothing (the whole transaction set is rejected).
LINE_TAGS = {"x12": {"acknowledgement": "PO1", "invoice": "IT1",
                     "shipment_confirmation": "LIN"},
             "edifact": {"acknowledgement": "LIN", "invoice": "LIN",
                         "shipment_confirmation": "LIN"}}
COST_CODES = {"NetCostMismatch", "InvalidNetCost", "MissingNetCost"}
QUANTITY_CODES = {"OrderedQuantityMismatch", "InvalidQuantity", "AcknowledgedQuantityMismatch"}
DATE_CODES = {"InvalidInvoiceDate", "MissingScheduledDate"}
ITEM_PATH = re.compile(r"\b(?:items|shippedItems)\[(\d+)\]")


def _lib():
    """The EDI addon's plain-Python library (imported on first use only)."""
    try:
        return importlib.import_module(EDI_LIB)
    except ImportError as exc:
        raise ApiError(501, "EdiUnavailable", "The EDI partner needs the acorn_amazon_vendor_edi "
                       f"addon on the path ({exc}).") from None


def _modules():
    lib = _lib()
    names = ("codecs", "envelope", "order_change", "sniff", "x12", "edifact", "transport",
             "transport.as2", "x12.interchange", "x12.ts997", "edifact.envelope")
    return {name: importlib.import_module(f"{lib.__name__}.{name}") for name in names}


def _bad(message):
    return ApiError(400, "InvalidInput", message)


def standard_of(vendor_code):
    """X12 for the North American vendor codes (USD), EDIFACT for the European ones."""
    for currency, region in REGIONS.items():
        if vendor_code in region["vendor_codes"]:
            return "x12" if currency == "USD" else "edifact"
    return None


class EdiAccount:
    """One vendor (SFTP user) trading with Amazon over EDI, and what Amazon remembers of it."""

    def __init__(self, config):
        self.username = config["username"]
        self.vendor_codes = config["vendor_codes"]
        self.standard = config["standard"]
        self.our_id = config["our_id"]
        self.amazon_id = config["amazon_id"]
        self.our_qualifier = config["our_qualifier"]
        self.amazon_qualifier = config["amazon_qualifier"]
        self.test = config["test"]
        self.public_key = config["public_key"]
        self.password = config["password"]
        self.transport = config["transport"]  # how Amazon's files reach the vendor
        self.as2_id = config["as2_id"]
        self.as2_certificate = config["as2_certificate"]
        self.as2_url = config["as2_url"]
        self.amazon_as2_id = config["amazon_as2_id"]
        # Amazon asks the vendor's AS2 server for asynchronous MDNs (posted back later)
        self.as2_async_mdn = config.get("as2_async_mdn", False)
        self.next_control = config.get("first_control", 1)  # Amazon's, increasing
        self.received = {}  # interchange control number -> file name (duplicates refused)
        # PO number -> the PO sent as 850/ORDERS (a reset of the simulator makes new POs,
        # under the same numbers when the seed is the same: those are sent again).
        self.delivered = {}
        # PO number -> (the order as last sent, in 850 / ORDERS or 860 / ORDCHG; changes sent
        # so far): the next change says what changed since.
        self.last_sent = {}
        self.files = []  # log: every file in and out, with its outcome

    def describe(self):
        return {"username": self.username, "standard": self.standard,
                "vendorCodes": list(self.vendor_codes), "ourId": self.our_id,
                "amazonId": self.amazon_id, "ourQualifier": self.our_qualifier,
                "amazonQualifier": self.amazon_qualifier, "test": self.test,
                "transport": self.transport,
                "nextControl": self.next_control,
                "deliveredPurchaseOrders": sorted(self.delivered)}

    def sent(self, po):
        return self.delivered.get(po.number) is po


def _clean_config(entry):
    if not isinstance(entry, dict):
        raise _bad("each partner must be an object")
    known = {"username", "public_key", "password", "standard", "vendor_code", "vendor_codes",
             "our_id", "amazon_id", "our_qualifier", "amazon_qualifier", "test",
             "first_control", "deliver", "transport", "as2_id", "as2_certificate", "as2_url",
             "amazon_as2_id", "as2_async_mdn"}
    unknown = sorted(set(entry) - known)
    if unknown:
        raise _bad(f"unknown partner setting {', '.join(unknown)}; known: "
                   f"{', '.join(sorted(known))}")
    username = entry.get("username")
    if not isinstance(username, str) or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}",
                                                         username):
        raise _bad("username must be 1-64 letters, digits, '_', '.' or '-'")
    transport = entry.get("transport") or "sftp"
    if transport not in ("sftp", "as2"):
        raise _bad(f"partner {username}: transport must be sftp or as2")
    if transport == "sftp" and not entry.get("public_key") and not entry.get("password"):
        raise _bad(f"partner {username}: give public_key (an OpenSSH public key line) or "
                   "password")
    if transport == "as2":
        for key in ("as2_id", "as2_certificate", "as2_url"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise _bad(f"partner {username}: AS2 needs {key} (the vendor's AS2 id, its "
                           "certificate in PEM and the URL its AS2 server receives on)")
        if "BEGIN CERTIFICATE" not in entry["as2_certificate"]:
            raise _bad(f"partner {username}: as2_certificate must be a PEM certificate")
    codes = entry.get("vendor_codes") or ([entry["vendor_code"]] if entry.get("vendor_code")
                                          else [])
    if not codes or not all(isinstance(c, str) and c for c in codes):
        raise _bad(f"partner {username}: give vendor_code (or vendor_codes)")
    standard = entry.get("standard") or standard_of(codes[0])
    if standard not in STANDARDS:
        raise _bad(f"partner {username}: standard must be x12 or edifact")
    for key in ("our_id", "amazon_id"):
        value = entry.get(key)
        limit = 15 if standard == "x12" else 35
        if not isinstance(value, str) or not value.strip() or len(value) > limit:
            raise _bad(f"partner {username}: {key} must be 1-{limit} characters")
    first = entry.get("first_control", 1)
    if isinstance(first, bool) or not isinstance(first, int) or not 0 < first < 999_999_000:
        raise _bad(f"partner {username}: first_control must be a positive whole number")
    return {"username": username, "public_key": entry.get("public_key"),
            "password": entry.get("password"), "standard": standard,
            "vendor_codes": tuple(codes), "our_id": entry["our_id"].strip(),
            "amazon_id": entry["amazon_id"].strip(),
            "our_qualifier": entry.get("our_qualifier") or DEFAULT_QUALIFIERS[standard],
            "amazon_qualifier": entry.get("amazon_qualifier") or DEFAULT_QUALIFIERS[standard],
            "test": bool(entry.get("test", True)), "first_control": first,
            "transport": transport, "as2_id": (entry.get("as2_id") or "").strip() or None,
            "as2_certificate": entry.get("as2_certificate"), "as2_url": entry.get("as2_url"),
            "amazon_as2_id": (entry.get("amazon_as2_id") or entry["amazon_id"]).strip(),
            "as2_async_mdn": bool(entry.get("as2_async_mdn", False))}


class EdiPartner:
    """Amazon's EDI side for the simulator ``state``: a loopback SFTP server, its partners,
    their purchase orders out and their documents in."""

    def __init__(self, state, root_dir=None, host="127.0.0.1", sftp_port=0, as2_port=0):
        self.state = state
        self.host = host
        self.sftp_port = int(sftp_port or 0)
        self.as2_port = int(as2_port or 0)
        self._own_root = root_dir is None
        self.root_dir = root_dir
        self.accounts = {}
        self.sftp = None
        self.as2 = None
        self.lib = None
        self._lock = threading.RLock()

    # -- life -------------------------------------------------------------------------------
    def start(self):
        with self._lock:
            if self.sftp is not None:
                return self
            self.lib = _modules()
            transport = self.lib["transport"]
            if self.root_dir is None:
                self.root_dir = tempfile.mkdtemp(prefix="acorn-edi-partner-")
            host_key, _public = transport.make_ssh_key()
            # The server needs a first user: Amazon's own, that nobody can log in as.
            self.sftp = transport.LoopbackSftpServer(
                self.root_dir, None, host_key, self.sftp_port, username="_amazon",
                on_upload=self._on_upload)
            self.sftp.start()
            try:
                identity = transport.make_test_identity("Amazon Vendor Central simulator AS2")
                self.as2 = As2Endpoint(self, identity, self.host, self.as2_port).start()
            except BaseException:
                self.stop()
                raise
            return self

    def stop(self):
        with self._lock:
            if self.as2 is not None:
                self.as2.stop()
                self.as2 = None
            if self.sftp is not None:
                self.sftp.stop()
                self.sftp = None
            if self._own_root and self.root_dir:
                shutil.rmtree(self.root_dir, ignore_errors=True)
                self.root_dir = None

    @property
    def sftp_address(self):
        return f"{self.host}:{self.sftp.port}" if self.sftp else None

    def describe(self):
        """What the health reply and the control API show."""
        if self.sftp is None:
            return None
        return {"sftp": self.sftp_address, "as2": self.as2.url if self.as2 else None,
                "hostKeyFingerprint": self.sftp.host_key_fingerprint,
                "uploadFolder": self.sftp.upload_folder,
                "downloadFolder": self.sftp.download_folder,
                "partners": sorted(self.accounts),
                "inventory": edi_inventory.describe(self)}

    def partner_reply(self, account):
        reply = dict(account.describe(), sftp={
            "host": self.host, "port": self.sftp.port,
            "hostKeyFingerprint": self.sftp.host_key_fingerprint,
            "username": account.username, "uploadFolder": self.sftp.upload_folder,
            "downloadFolder": self.sftp.download_folder})
        if self.as2 is not None:
            reply["as2"] = {"url": self.as2.url, "amazonAs2Id": account.amazon_as2_id,
                            "amazonCertificate": self.as2.identity.cert_pem,
                            "as2Id": account.as2_id, "vendorUrl": account.as2_url}
        return reply

    def as2_account(self, as2_id):
        """The AS2 partner sending as ``as2_id``."""
        return next((a for a in self.accounts.values()
                     if a.transport == "as2" and a.as2_id == as2_id), None)

    # -- partners ---------------------------------------------------------------------------
    def configure(self, entries):
        """Add (or replace) partners; returns their descriptions. Checks all before any."""
        configs = [_clean_config(e) for e in entries]
        names = [c["username"] for c in configs]
        if len(set(names)) != len(names):
            raise _bad("a username appears twice")
        as2_ids = {a.as2_id: a.username for a in self.accounts.values() if a.as2_id}
        for config in configs:
            owner = as2_ids.setdefault(config["as2_id"], config["username"]) \
                if config["as2_id"] else config["username"]
            if owner != config["username"]:
                raise _bad(f"AS2 id {config['as2_id']} is already {owner}'s")
        replies = []
        with self.state.lock, self._lock:
            self.start()
            for config, entry in zip(configs, entries, strict=True):
                previous = self.accounts.get(config["username"])
                account = EdiAccount(config)
                if previous is not None:  # Amazon's counters and memory stay
                    account.next_control = max(previous.next_control, account.next_control)
                    account.received, account.delivered = previous.received, previous.delivered
                    account.last_sent = previous.last_sent
                    account.files = previous.files
                self.accounts[account.username] = account
                self.sftp.add_partner(account.username, account.public_key, account.password)
                if entry.get("deliver"):
                    self.deliver(account)
                replies.append(self.partner_reply(account))
        return replies

    def account(self, username):
        account = self.accounts.get(username)
        if account is None:
            raise ApiError(404, "NotFound", f"no EDI partner {username}")
        return account

    # -- Amazon's envelopes -----------------------------------------------------------------
    def _envelope(self, account):
        envelope_mod = self.lib["envelope"]
        control = account.next_control
        account.next_control += 1
        return envelope_mod.Envelope(
            sender_qualifier=account.amazon_qualifier, sender_id=account.amazon_id,
            receiver_qualifier=account.our_qualifier, receiver_id=account.our_id,
            interchange_control=control, group_control=control, test=account.test,
            prepared_at=self.state.clock.now())

    def _send(self, account, message_type, data, about):
        """Put one of Amazon's files in the partner's download folder."""
        control = account.next_control - 1
        name = f"AMZ_{message_type}_{control:09d}.edi"
        entry = {"direction": "out", "file": name, "messageType": message_type,
                 "interchangeControl": control, "at": iso(self.state.clock.now()), **about}
        account.files.append(entry)
        if account.transport == "as2":
            self.as2.post(account, name, data, entry)
        else:
            self.sftp.deliver(name, data, username=account.username)
        return name

    # -- purchase orders out ----------------------------------------------------------------
    def deliver(self, account, numbers=None, again=False):
        """850 / ORDERS for the partner's POs: ``numbers`` (any state), else every PO of its
        vendor codes that is New and not sent yet. One file per PO. Returns the file names."""
        codecs = self.lib["codecs"]
        with self.state.lock, self._lock:
            if numbers is None:
                orders = [po for po in self.state.order_list
                          if po.vendor_code in account.vendor_codes and po.state == "New"
                          and not account.sent(po)]
            else:
                orders = []
                for number in numbers:
                    po = self.state.orders.get(number)
                    if po is None:
                        raise ApiError(404, "NotFound", f"no purchase order {number}")
                    if po.vendor_code not in account.vendor_codes:
                        raise _bad(f"purchase order {number} was ordered from "
                                   f"{po.vendor_code}, not from {account.username}'s vendor "
                                   f"codes {', '.join(account.vendor_codes)}")
                    if again or not account.sent(po):
                        orders.append(po)
            message_type = codecs.MESSAGE_TYPES[account.standard]["purchase_order"]
            module = codecs.MODULES[account.standard]
            EdiError = self.lib["envelope"].EdiError
            names = []
            for po in orders:
                _one_backorder_flag(po)
                try:
                    data = module.write_purchase_orders([po.order_json()],
                                                        self._envelope(account))
                except EdiError as exc:  # one PO that cannot be written never stops the rest
                    account.next_control -= 1
                    account.files.append({"direction": "out", "file": None,
                                          "messageType": message_type, "sent": False,
                                          "purchaseOrders": [po.number], "errors": [str(exc)]})
                    continue
                names.append(self._send(account, message_type, data,
                                        {"purchaseOrders": [po.number]}))
                account.delivered[po.number] = po
                # changes keep counting up when a PO is sent again (Odoo skips an older one)
                account.last_sent[po.number] = (po.order_json(),
                                                account.last_sent.get(po.number, (None, 0))[1])
            return names

    def orders_changed(self, orders):
        """The state hook: Amazon changed POs. A partner that got a PO's 850 / ORDERS gets an
        860 / ORDCHG saying what changed since the version last sent (every line named,
        unchanged ones as NC / no action, as Amazon's own 860). Returns the file names."""
        names = []
        with self.state.lock, self._lock:
            if self.sftp is None:
                return names
            for account in self.accounts.values():
                for po in orders:
                    if account.sent(po):
                        names += self._send_change(account, po)
        return names

    def _send_change(self, account, po):
        if po.number not in account.last_sent:  # sent before Amazon remembered versions
            _logger.info("EDI partner %s: %s changed, no earlier version to compare: not sent",
                         account.username, po.number)
            return []
        previous, count = account.last_sent[po.number]
        current = po.order_json()
        change = self.lib["order_change"].change_between(previous, current,
                                                         sequence=str(count + 1))
        codecs = self.lib["codecs"]
        message_type = codecs.MESSAGE_TYPES[account.standard]["purchase_order_change"]
        try:
            data = codecs.MODULES[account.standard].write_purchase_order_changes(
                [change], self._envelope(account))
        except self.lib["envelope"].EdiError as exc:  # said in the log; the PO stays as sent
            account.next_control -= 1
            account.files.append({"direction": "out", "file": None,
                                  "messageType": message_type, "sent": False,
                                  "purchaseOrders": [po.number], "errors": [str(exc)]})
            return []
        account.last_sent[po.number] = (current, count + 1)
        return [self._send(account, message_type, data, {"purchaseOrders": [po.number]})]

    def orders_created(self, orders):
        """The state hook: new POs go at once to the partners of their vendor codes."""
        with self._lock:
            if self.sftp is None:
                return
            for account in self.accounts.values():
                numbers = [po.number for po in orders if po.vendor_code in account.vendor_codes]
                if numbers:
                    self.deliver(account, numbers)

    # -- documents in -----------------------------------------------------------------------
    def _on_upload(self, username, name, path):
        with open(path, "rb") as handle:
            data = handle.read()
        # Amazon picks the file up: it leaves the upload folder.
        archive = os.path.join(self.root_dir, "_received", username)
        os.makedirs(archive, exist_ok=True)
        shutil.move(path, os.path.join(archive, name))
        account = self.accounts.get(username)
        if account is None:
            return
        try:
            self.received_file(account, name, data, transport="sftp")
        except Exception:
            _logger.exception("EDI partner: %s from %s could not be handled", name, username)

    def received_file(self, account, name, data, **about):
        """A file from the partner, by either transport: read, checked, answered."""
        with self.state.lock, self._lock:
            entry = self.receive(account, name, data)
            entry.update(about)
            return entry

    def log_as2_refusal(self, account, message_id, reason):
        """An AS2 message that could not be opened: the MDN says why; nothing is read."""
        with self._lock:
            account.files.append({"direction": "in", "file": None, "transport": "as2",
                                  "messageId": message_id, "at": iso(self.state.clock.now()),
                                  "accepted": False, "errors": [reason], "documents": []})

    def receive(self, account, name, data):
        """Read, check and answer one file of the partner; returns its log entry."""
        sniff = self.lib["sniff"]
        entry = {"direction": "in", "file": name, "at": iso(self.state.clock.now()),
                 "accepted": False, "errors": [], "documents": []}
        account.files.append(entry)
        EdiError = self.lib["envelope"].EdiError
        try:
            standard, kind, message_type = sniff.sniff(data)
        except EdiError as exc:
            standard, kind, message_type = account.standard, None, None
            entry["errors"].append(str(exc))
        entry.update(standard=standard, messageType=message_type)
        control = self._control_number(standard, data)
        entry["interchangeControl"] = control
        if kind in ("functional_ack", "interchange_ack"):  # the vendor's 997 / TA1 for our
            # 850: acknowledgements are never answered
            entry.update(accepted=True, errors=[])
            if control is not None:
                account.received.setdefault(control, name)
            return entry
        refusal = None
        if entry["errors"]:
            refusal = EdiError(entry["errors"][0], segment="ISA" if standard == "x12"
                               else "UNB", code="1" if standard == "x12" else "13")
        elif standard != account.standard:
            refusal = EdiError(f"{account.username} exchanges {account.standard.upper()}, "
                               f"not {standard.upper()}", segment="ISA" if standard == "x12"
                               else "UNB", element=1, code="7" if standard == "x12" else "2")
        elif kind not in SUBMISSIONS and kind != edi_inventory.KIND:
            refusal = EdiError(f"{message_type} is not a document Amazon takes from a vendor "
                               "here", segment="ST" if standard == "x12" else "UNH",
                               element=1 if standard == "x12" else 2, code="1" if
                               standard == "x12" else "14", position=1)
        elif control is not None and control in account.received:
            refusal = EdiError(
                f"interchange control number {control} was already received (file "
                f"{account.received[control]})", segment="ISA" if standard == "x12" else "UNB",
                element=13 if standard == "x12" else 5, code="7" if standard == "x12" else "26")
        if control is not None and control not in account.received:
            account.received[control] = name
        if refusal is None:
            if standard == "x12":
                answer = self._receive_x12(account, data, entry)
            else:
                answer = self._receive_edifact(account, data, entry)
        else:
            entry["errors"] = [str(refusal)]
            answer = self._refuse(account, standard, data, refusal)
        ack_type = "997" if standard == "x12" else "CONTRL"
        entry["answer"] = self._send(account, ack_type, answer,
                                     {"answers": name, "accepted": entry["accepted"]})
        return entry

    def _control_number(self, standard, data):
        # A header that cannot be read has no number: fall back on the raw header below.
        with contextlib.suppress(Exception):
            return self.lib["codecs"].interchange_control(standard, data)
        if standard == "edifact":  # a truncated file: its UNB alone
            reference = _edifact_header(data)[4]
            if reference:
                return int(reference) if reference.isdigit() else reference
        return None

    # -- business rules: exactly the API's ----------------------------------------------------
    def _apply(self, kind, document, entry):
        """Check one document as the API would and settle it now: its rule errors ([]: the
        document counts in the state)."""
        tx_kind, module, class_name, list_key = SUBMISSIONS[kind]
        body = {list_key: [document]}
        problems = amazon_schema.validate(module, class_name, body)
        if problems:
            errors = [{"code": "InvalidInput", "message": p, "details": ""} for p in problems]
            entry["documents"].append({"kind": tx_kind, "transactionId": None,
                                       "status": "Refused", "errors": errors})
            return errors
        state = self.state
        state.tick()  # what was due before this file settles first, in order
        now = state.clock.now()
        tx = state.transactions.submit(tx_kind, body, now)
        tx.settle_at = now
        state.documents.append(tx)
        state.transactions.settle_due(now)
        entry["documents"].append({"kind": tx_kind, "transactionId": tx.id,
                                   "status": tx.status, "errors": tx.errors})
        return tx.errors

    # -- X12 ----------------------------------------------------------------------------------
    def _receive_x12(self, account, data, entry):
        x12, EdiError = self.lib["x12"], self.lib["envelope"].EdiError
        try:
            parsed = x12.read_interchange(data, strict=False)
        except EdiError as exc:
            entry["errors"] = [str(exc)]
            return self._refuse(account, "x12", data, exc)
        if parsed.receiver_id != account.amazon_id:
            error = EdiError(f"interchange receiver {parsed.receiver_id!r} is not Amazon's id "
                             f"{account.amazon_id!r}", segment="ISA", element=8, code="7")
        elif parsed.sender_id != account.our_id:
            error = EdiError(f"interchange sender {parsed.sender_id!r} is not {account.username}'s"
                             f" id {account.our_id!r}", segment="ISA", element=6, code="7")
        else:
            error = None
        if error is not None:
            entry["errors"] = [str(error)]
            return self._x12_ack(account, parsed, {t.control_number: [error]
                                                   for t in parsed.transactions})
        by_transaction = {}
        for transaction in parsed.transactions:
            if transaction.errors:
                entry["errors"] += [f"{transaction.control_number}: {e}"
                                    for e in transaction.errors]
                continue
            kind = self.lib["sniff"].X12_SETS.get(transaction.set_id)  # per set: a file may mix
            if kind == edi_inventory.KIND:  # 846: checked and kept by edi_inventory
                located = edi_inventory.receive(
                    self, account, transaction.document, entry, transaction.segments, "x12",
                    lambda *a: _edi_error(EdiError, *a), transaction.control_number)
                if located:
                    by_transaction[transaction.control_number] = located
                continue
            if kind not in SUBMISSIONS:
                by_transaction[transaction.control_number] = [EdiError(
                    f"a {transaction.set_id} is not a document Amazon takes from a vendor",
                    segment="ST", position=1, element=1, code="7")]
                entry["errors"].append(f"{transaction.control_number}: transaction set "
                                       f"{transaction.set_id} is not taken")
                continue
            rule_errors = self._apply(kind, transaction.document, entry)
            if rule_errors:
                located = [self._locate_x12(kind, transaction.segments, e, EdiError)
                           for e in rule_errors]
                by_transaction[transaction.control_number] = located
                entry["errors"] += [f"{transaction.control_number}: {e['code']}: "
                                    f"{e['message']}" for e in rule_errors]
        entry["accepted"] = not entry["errors"]
        return self._x12_ack(account, parsed, by_transaction)

    def _x12_ack(self, account, parsed, errors_by_transaction):
        """Our 997 with Amazon's envelope, the bad value copied into AK404."""
        interchange_mod, ts997 = self.lib["x12.interchange"], self.lib["x12.ts997"]
        bodies = ts997.write_body(parsed, errors_by_transaction)
        values = []
        for group in parsed.groups:
            for transaction in group.transactions:
                for error in list(transaction.errors) + list(
                        errors_by_transaction.get(transaction.control_number, ())):
                    if _x12_has_ak4(error, ts997):
                        values.append(getattr(error, "bad_value", None))
        ak4s = [values for body in bodies for tag, values in body if tag == "AK4"]
        seps = "*~>^"
        for ak4, value in zip(ak4s, values, strict=False):
            if value:
                clean = "".join(ch for ch in str(value) if ch not in seps)[:99]
                if clean:
                    ak4.append(clean)
        return interchange_mod.write(self._envelope(account), "997", bodies)

    def _locate_x12(self, kind, segments, rule, EdiError):
        """The segment / element a business error is about, as an EdiError for the 997."""
        message = f"{rule['code']}: {rule['message']}"
        line_tag = LINE_TAGS["x12"][kind]
        index = _item_index(rule["message"])
        lines = [s for s in segments if s.tag == line_tag]
        line = lines[index] if index is not None and index < len(lines) else None
        if line is not None and kind != "shipment_confirmation" and (
                rule["code"] in COST_CODES or rule["code"] in QUANTITY_CODES):
            element = 4 if rule["code"] in COST_CODES else 2
            return _edi_error(EdiError, message, line.tag, line.position, element, "7",
                              line[element])
        found = _find_value(rule["message"], [(s.tag, s.position, list(s.elements[1:]))
                                              for s in segments])
        if found:
            tag, position, element, value = found
            code = "8" if rule["code"] in DATE_CODES else "7"
            return _edi_error(EdiError, message, tag, position, element, code, value)
        if line is not None:
            return _edi_error(EdiError, message, line.tag, line.position, None, "8", None)
        return message  # the whole set is rejected (AK5 code 5)

    def _refuse(self, account, standard, data, error):
        """The answer to a file refused as a whole (its structure, its addressing), naming
        the segment at fault: a truncated file misses its trailer (IEA / UNZ)."""
        EdiError = self.lib["envelope"].EdiError
        truncated = "truncated" in str(error) or "ends in the middle" in str(error)
        if standard == "edifact":
            # CONTRL names a segment of the interchange itself in its UCI (no position).
            if truncated or not getattr(error, "segment", None):
                error = EdiError(error.message, segment="UNZ" if truncated else "UNB",
                                 code="13" if truncated else (error.code or "18"))
            elif getattr(error, "message_reference", None) is None and error.position:
                error = EdiError(error.message, segment=error.segment,
                                 element=error.element, code=error.code)
            sender, sender_q, recipient, recipient_q, reference, test = _edifact_header(data)
            header = self.lib["edifact.envelope"].Interchange(
                syntax="", sender_id=sender or account.our_id,
                sender_qualifier=sender_q or account.our_qualifier,
                receiver_id=recipient or account.amazon_id,
                receiver_qualifier=recipient_q or account.amazon_qualifier, prepared_at=None,
                reference=reference or "0", test=account.test if test is None else test)
            return self.lib["edifact"].write_control(header, False, [error],
                                                     envelope=self._envelope(account))
        if truncated or not getattr(error, "segment", None):
            error = EdiError(error.message, segment="IEA" if truncated else "ISA",
                             code="3" if truncated else "8")
        return self._x12_ack(account, _x12_skeleton(self.lib, data, error), {})

    # -- EDIFACT ------------------------------------------------------------------------------
    def _receive_edifact(self, account, data, entry):
        edifact, EdiError = self.lib["edifact"], self.lib["envelope"].EdiError
        try:
            parsed = edifact.read(data)
        except EdiError as exc:
            entry["errors"] = [str(exc)]
            return self._refuse(account, "edifact", data, exc)
        if parsed.receiver_id != account.amazon_id:
            error = EdiError(f"interchange recipient {parsed.receiver_id!r} is not Amazon's id "
                             f"{account.amazon_id!r}", segment="UNB", element=3, code="7")
        elif parsed.sender_id != account.our_id:
            error = EdiError(f"interchange sender {parsed.sender_id!r} is not "
                             f"{account.username}'s id {account.our_id!r}", segment="UNB",
                             element=2, code="23")
        else:
            error = None
        if error is not None:
            entry["errors"] = [str(error)]
            return edifact.write_control(parsed, False, [error],
                                         envelope=self._envelope(account))
        segments = _edifact_messages(self.lib, data)
        errors = []
        for message in parsed.messages:
            kind = _kind_of(self.lib, message.type)  # per message: a file may mix
            if kind == edi_inventory.KIND:  # INVRPT: checked and kept by edi_inventory
                errors += edi_inventory.receive(
                    self, account, message.document, entry,
                    segments.get(message.reference, []), "edifact", None, message.reference)
                continue
            if kind not in SUBMISSIONS:
                errors.append({"message_reference": message.reference, "segment": "UNH",
                               "element": 2, "code": "14", "position": 1})
                entry["errors"].append(f"{message.reference}: {message.type} is not a "
                                       "document Amazon takes from a vendor")
                continue
            rule_errors = self._apply(kind, message.document, entry)
            for rule in rule_errors:
                errors.append(_locate_edifact(kind, segments.get(message.reference, []), rule,
                                              message.reference, message.document))
                entry["errors"].append(f"{message.reference}: {rule['code']}: "
                                       f"{rule['message']}")
        entry["accepted"] = not entry["errors"]
        # The interchange is acknowledged; each refused message is rejected in its UCM.
        return edifact.write_control(parsed, True, errors, envelope=self._envelope(account))


# -- helpers ----------------------------------------------------------------------------------

def _one_backorder_flag(po):
    """An 850 / ORDERS says per order whether backorders are allowed (X12 CSH), the API per
    item: a PO Amazon sends over EDI has one flag, so the simulator's per-item draws are
    made one (not allowed unless every item allows it: never easier than Amazon) before
    the first file goes out. Both channels then show the same PO."""
    live = [i for i in po.items if not i.cancelled] or po.items
    flags = {i.back_order_allowed for i in live}
    if len(flags) > 1 or any(i.back_order_allowed != all(flags) for i in po.items):
        for item in po.items:
            item.back_order_allowed = all(flags)
        po.touch()


def _x12_has_ak4(error, ts997):
    """Whether ts997 writes an AK4 for this error (its own rule, kept in step)."""
    if isinstance(error, str) or not getattr(error, "segment", None):
        return False
    if error.segment in ("SE", "ST") and error.code in ts997.SET_ERRORS and not (
            error.segment == "ST" and error.element == 1 and error.code == "1"):
        return False
    return bool(error.element)


def _item_index(message):
    match = ITEM_PATH.search(message)
    return int(match.group(1)) if match else None


def _edi_error(EdiError, message, segment, position, element, code, value):  # noqa: N803
    error = EdiError(message, segment=segment, position=position, element=element, code=code)
    error.bad_value = value
    return error


def _find_value(message, segments):
    """(tag, position, element, value) of the first element holding a value the message
    names (an SSCC, a purchase order number, an identifier: digits in it, 6 characters+)."""
    where, _sep, what = message.partition(": ")
    # The value in the error's words first, then the document it names ("... (ID) ...: ").
    tokens = [t.strip(".,;:()'\"") for t in what.split() + where.split()]
    tokens = [t for t in tokens if len(t) >= 6 and any(ch.isdigit() for ch in t)
              and "[" not in t]
    for token in tokens:
        for tag, position, elements in segments:
            for number, value in enumerate(elements, 1):
                values = value if isinstance(value, list) else [value]
                if token in values:
                    return tag, position, number, token
    return None


def _kind_of(lib, message_type):
    return lib["sniff"].EDIFACT_MESSAGES.get(message_type)


def _edifact_messages(lib, data):
    """{message reference: [(tag, position in the message, elements)]} of a read file."""
    envelope = lib["edifact.envelope"]
    _una, segments = envelope.tokenize(envelope._decode(data))
    messages, current, reference = {}, None, None
    for seg in segments:
        if seg.tag == "UNH":
            reference, current = seg.text(1), []
        if current is not None:
            current.append((seg.tag, len(current) + 1, seg.elements))
        if seg.tag == "UNT" and current is not None:
            messages[reference] = current
            current = None
    return messages


def _locate_edifact(kind, segments, rule, reference, document=None):
    """A business error as a CONTRL error dict: the LIN of the item (or the PRI / QTY after
    it), else the segment holding the value the error names, else the message alone."""
    error = {"message_reference": reference, "code": "12", "segment": None,
             "position": None, "element": None}
    index = _item_index(rule["message"])
    lines = [i for i, (tag, _p, _e) in enumerate(segments) if tag == "LIN"]
    if index is not None and "shippedItems[" in rule["message"] and document:
        # a DESADV lists an item under each package holding it: its first LIN by number
        items = document.get("shippedItems") or []
        number = items[index].get("itemSequenceNumber") if index < len(items) else None
        index = next((k for k, i in enumerate(lines)
                      if segments[i][2] and segments[i][2][0][0] == number), None)
    if index is not None and index < len(lines):
        start = lines[index]
        end = lines[index + 1] if index + 1 < len(lines) else len(segments)
        wanted = "PRI" if rule["code"] in COST_CODES else "QTY" \
            if rule["code"] in QUANTITY_CODES else None
        target = next((segments[i] for i in range(start, end) if segments[i][0] == wanted),
                      segments[start])
        error.update(segment=target[0], position=target[1],
                     element=1 if target[0] in ("PRI", "QTY") else None)
        return error
    found = _find_value(rule["message"], segments)
    if found:
        tag, position, element, _value = found
        error.update(segment=tag, position=position, element=element)
    return error


def _edifact_header(data):
    """(sender, qualifier, recipient, qualifier, reference, test) of an EDIFACT file's UNB,
    read on its own (the rest of the file may be truncated); Nones when not found."""
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    text = text.lstrip("\ufeff \r\n\t")
    chars = text[3:9] if text.startswith("UNA") and len(text) >= 9 else ":+.? '"
    component, element, terminator = chars[0], chars[1], chars[5]
    start = text.find("UNB" + element)
    end = text.find(terminator, start)
    if start < 0 or end < 0:
        return None, None, None, None, None, None
    parts = text[start:end].split(element)
    parts += [""] * (12 - len(parts))

    def pair(value):
        first, _sep, second = value.partition(component)
        return first.strip() or None, second.strip() or None

    sender, recipient = pair(parts[2]), pair(parts[3])
    return (*sender, *recipient, parts[5].strip() or None,
            parts[11].strip() == "1" if len(parts) > 11 else None)


def _x12_skeleton(lib, data, error):
    """An Interchange to answer a file that cannot be read whole: its ISA/GS/ST as far as
    they can be read, every transaction set rejected with ``error``."""
    interchange_mod = lib["x12.interchange"]
    text = data.decode("latin-1") if isinstance(data, bytes) else data
    text = text.lstrip("\ufeff \r\n\t")
    element = text[3] if len(text) > 3 and text.startswith("ISA") else "*"
    terminator = text[105] if len(text) > 105 else "~"
    pieces = [p.strip("\r\n").split(element) for p in text.split(terminator)]
    isa = pieces[0] if pieces and pieces[0][0] == "ISA" else []
    control = int(isa[13]) if len(isa) > 13 and isa[13].strip().isdigit() else 0
    gs = next((p for p in pieces if p[0] == "GS"), [])
    functional_id = gs[1] if len(gs) > 1 and gs[1] else "??"
    group_control = int(gs[6]) if len(gs) > 6 and gs[6].isdigit() else control
    group = interchange_mod.Group(functional_id, "", "", "", "", group_control, "X", "")
    for piece in pieces:
        if piece[0] == "ST" and len(piece) > 2:
            group.transactions.append(interchange_mod.Transaction(piece[1], piece[2],
                                                                  errors=[error]))
    if not group.transactions:
        group.transactions.append(interchange_mod.Transaction(
            X12_SET_OF_GROUP.get(functional_id, "000"), "0001", errors=[error]))
    interchange = interchange_mod.Interchange(
        sender_qualifier="", sender_id="", receiver_qualifier="", receiver_id="", date="",
        time="", version="", control_number=control, acknowledgment_requested=False,
        test=True, separators=None, groups=[group])
    return interchange


# -- control API ------------------------------------------------------------------------------

def partner_of(state):
    edi = getattr(state, "edi", None)
    if edi is None:
        with state.lock:
            edi = getattr(state, "edi", None)
            if edi is None:
                edi = state.edi = EdiPartner(state)
    return edi


def control_edi(state, request):
    """GET: the EDI partner, its partners and their files; POST {"partners": [...]}: start it
    (when not running) and add or replace partners."""
    if request.method == "GET":
        edi = getattr(state, "edi", None)
        if edi is None or edi.sftp is None:
            return 200, {"edi": None, "partners": []}
        with state.lock:
            return 200, {"edi": edi.describe(), "partners": [
                dict(edi.partner_reply(a), files=a.files) for a in edi.accounts.values()]}
    body = request.json_body(required=False) or {}
    if not isinstance(body, dict):
        raise _bad("the body must be a JSON object")
    partners = body.get("partners") or []
    if not isinstance(partners, list):
        raise _bad("partners must be a list")
    edi = partner_of(state)
    replies = edi.configure(partners)  # checks every entry, then starts the SFTP server
    return 200, {"edi": edi.describe(), "partners": replies}


def control_deliver(state, request):
    """POST {"purchaseOrders": ["1ABCDEFG"], "again": false}: drop 850/ORDERS files now
    (default: every New PO of the partner's vendor codes not sent yet)."""
    edi = getattr(state, "edi", None)
    if edi is None or edi.sftp is None:
        raise ApiError(404, "NotFound", "the EDI partner is not running: POST /_simulator/edi")
    body = request.json_body(required=False) or {}
    if not isinstance(body, dict):
        raise _bad("the body must be a JSON object")
    numbers = body.get("purchaseOrders")
    if numbers is not None and (not isinstance(numbers, list)
                                or not all(isinstance(n, str) for n in numbers)):
        raise _bad("purchaseOrders must be a list of purchase order numbers")
    account = edi.account(request.path_args[0])
    files = edi.deliver(account, numbers, again=bool(body.get("again")))
    return 200, {"files": files}


ROUTES = [
    ("GET|POST", r"edi", control_edi),
    ("POST", r"edi/([^/]+)/deliver", control_deliver),
]
