"""Tokens API 2021-03-01: createRestrictedDataToken, and the checks an RDT gets on each call.

A Restricted Data Token (RDT) replaces the LWA access token in ``x-amz-access-token`` on
restricted operations (those that return personal data: a Direct Fulfillment customer's
address, labels, packing slips and customer invoices). Amazon's rules, as the Tokens API
guide states them:

- ``restrictedResources`` lists 1..50 ``{method, path, dataElements?}``; ``method`` is GET, PUT,
  POST or DELETE; a path is either specific (``.../purchaseOrders/2JK3S9VC``) or generic, with
  an identifier placeholder in braces (``.../purchaseOrders/{purchaseOrderNumber}``);
- ``dataElements`` values are ``buyerInfo``, ``shippingAddress``, ``buyerTaxInformation``;
- the RDT lives one hour (``expiresIn`` 3600) and is valid only for the resources it names:
  any other operation called with it is refused (403 Unauthorized);
- a restricted operation called with a plain LWA token answers without the restricted data
  (Direct Fulfillment orders come without ``shipToParty``) or, for documents that are
  nothing but personal data (labels, packing slips, customer invoices), is refused.
"""
import datetime
import re
import secrets

from .errors import ApiError, invalid_input

RDT_LIFETIME = 3600
MAX_RESOURCES = 50
METHODS = ("GET", "PUT", "POST", "DELETE")
DATA_ELEMENTS = ("buyerInfo", "shippingAddress", "buyerTaxInformation")
PLACEHOLDER = re.compile(r"^\{[A-Za-z]+\}$")
RESTRICTED_PATHS = [re.compile(p) for p in (
    r"^/vendor/directFulfillment/orders/2021-12-28/purchaseOrders(/[^/]+)?$",
    r"^/vendor/directFulfillment/shipping/2021-12-28/shippingLabels(/[^/]+)?$",
    r"^/vendor/directFulfillment/shipping/2021-12-28/packingSlips(/[^/]+)?$",
    r"^/vendor/directFulfillment/shipping/2021-12-28/customerInvoices(/[^/]+)?$",
)]
RDT_REFUSED = {
    "code": "Unauthorized",
    "message": "Access to requested resource is denied.",
    "details": "The Restricted Data Token does not grant access to this resource.",
}


def _restricted(path):
    return any(p.match(path) for p in RESTRICTED_PATHS)


def create_restricted_data_token(state, request):
    body = request.json_body()
    unknown = sorted(set(body) - {"restrictedResources", "targetApplication"})
    if unknown:
        raise invalid_input(f"Invalid request parameter: {unknown[0]}",
                            "CreateRestrictedDataTokenRequest has restrictedResources and "
                            "targetApplication only.")
    resources = body.get("restrictedResources")
    if not isinstance(resources, list) or not resources:
        raise invalid_input("restrictedResources is required.",
                            "List at least one {method, path} resource.")
    if len(resources) > MAX_RESOURCES:
        raise invalid_input(f"At most {MAX_RESOURCES} restrictedResources per token.")
    clean = []
    for index, res in enumerate(resources):
        where = f"restrictedResources[{index}]"
        if not isinstance(res, dict) or set(res) - {"method", "path", "dataElements"}:
            raise invalid_input(f"{where} must hold method, path and dataElements only.")
        if res.get("method") not in METHODS:
            raise invalid_input(f"{where}.method must be one of {', '.join(METHODS)}.")
        path = res.get("path")
        if not isinstance(path, str) or not path.startswith("/"):
            raise invalid_input(f"{where}.path must be an SP-API path.")
        probe = "/".join("X" if PLACEHOLDER.match(seg) else seg for seg in path.split("/"))
        if not _restricted(probe):
            raise invalid_input(f"{where}.path {path} is not a restricted operation.",
                                "Request an RDT for restricted operations only.")
        elements = res.get("dataElements", [])
        if not isinstance(elements, list) or any(e not in DATA_ELEMENTS for e in elements):
            raise invalid_input(f"{where}.dataElements must list values from "
                                f"{', '.join(DATA_ELEMENTS)}.")
        clean.append({"method": res["method"], "path": path, "dataElements": list(elements)})
    token = "Atz.sprdt|" + secrets.token_urlsafe(48)
    with state.lock:
        now = state.clock.now()
        rdts = getattr(state, "rdts", {})
        state.rdts = {t: r for t, r in rdts.items() if r["expires"] > now}
        state.rdts[token] = {"expires": now + datetime.timedelta(seconds=RDT_LIFETIME),
                             "resources": clean}
        # An RDT passes the gateway's token check like an access token ...
        state.tokens[token] = state.rdts[token]["expires"]
    return 200, {"restrictedDataToken": token, "expiresIn": RDT_LIFETIME}


def _covers(resource, method, path):
    if resource["method"] != method:
        return False
    want, have = resource["path"].split("/"), path.split("/")
    return len(want) == len(have) and all(
        w == h or PLACEHOLDER.match(w) for w, h in zip(want, have, strict=True))


def grant(state, request):
    """The RDT resource covering this request, None for a plain access token; 403 when the
    request carries an RDT that does not cover it (... but only for what it names)."""
    token = request.headers.get("x-amz-access-token")
    with state.lock:
        rdt = getattr(state, "rdts", {}).get(token)
        if rdt is None:
            return None
        if rdt["expires"] > state.clock.now():
            for resource in rdt["resources"]:
                if _covers(resource, request.method, request.path):
                    return resource
    raise ApiError(403, RDT_REFUSED["code"], RDT_REFUSED["message"], RDT_REFUSED["details"])


def is_rdt(state, request):
    token = request.headers.get("x-amz-access-token")
    with state.lock:
        return token in getattr(state, "rdts", {})
