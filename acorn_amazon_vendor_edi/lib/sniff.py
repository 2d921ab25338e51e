"""Which standard and which message a received file holds, before the codec reads it whole."""
import re

from .envelope import EdiError

X12_SETS = {"850": "purchase_order", "860": "purchase_order_change", "855": "acknowledgement",
            "856": "shipment_confirmation", "810": "invoice", "997": "functional_ack",
            "820": "remittance", "846": "inventory"}
EDIFACT_MESSAGES = {"ORDERS": "purchase_order", "ORDCHG": "purchase_order_change",
                    "ORDRSP": "acknowledgement", "DESADV": "shipment_confirmation",
                    "INVOIC": "invoice",
                    "CONTRL": "functional_ack", "INVRPT": "inventory",
                    "REMADV": "remittance"}


def sniff(data):
    """(standard, kind, message type) of an EDI file: ("x12", "purchase_order", "850").

    Only what routing needs; the codec checks the whole structure afterwards."""
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = data.decode("latin-1")
    else:
        text = data
    text = text.lstrip("\ufeff \r\n\t")
    if text.startswith("ISA"):
        if len(text) < 106:
            raise EdiError("the file ends inside its ISA header (106 characters expected)",
                           segment="ISA", position=1)
        element, terminator = text[3], text[105]
        match = re.search(re.escape(terminator) + r"\s*ST" + re.escape(element) + r"(\d{3})",
                          text)
        if not match:
            if re.search(re.escape(terminator) + r"\s*TA1" + re.escape(element), text):
                return "x12", "interchange_ack", "TA1"  # TA1s alone: the envelope's answer
            raise EdiError("no transaction set (ST segment) in the interchange", segment="ST")
        code = match.group(1)
        if code not in X12_SETS:
            raise EdiError(f"transaction set {code} is not one Amazon exchanges",
                           segment="ST", element=1)
        return "x12", X12_SETS[code], code
    if text.startswith(("UNA", "UNB")):
        element = text[4] if text.startswith("UNA") and len(text) > 4 else "+"
        match = re.search(r"UNH" + re.escape(element) + r"[^" + re.escape(element) + r"]*"
                          + re.escape(element) + r"([A-Z]{6})", text)
        if not match:
            raise EdiError("no message (UNH segment) in the interchange", segment="UNH")
        code = match.group(1)
        if code not in EDIFACT_MESSAGES:
            raise EdiError(f"message type {code} is not one Amazon exchanges",
                           segment="UNH", element=2)
        return "edifact", EDIFACT_MESSAGES[code], code
    raise EdiError("not an EDI file: it starts neither with ISA (X12) nor with UNA/UNB "
                   "(EDIFACT)")
