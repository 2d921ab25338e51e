"""Purchase orders in the ledger -> draft sale orders, in batches with flat query counts."""
import json
import logging
from decimal import Decimal

from markupsafe import Markup
from psycopg2 import errors as pgerrors

from odoo import Command, _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

from ..lib.mapping.purchase_order import INCOTERMS, PurchaseOrderError, parse_purchase_order
from .res_partner_amazon import AmazonPartiesBusy
from .sale_order_line import decimals_of

_logger = logging.getLogger(__name__)
# Another worker wrote the same rows at the same moment (not a problem of the order itself).
CONCURRENT_WRITES = (AmazonPartiesBusy, pgerrors.UniqueViolation,
                     pgerrors.SerializationFailure, pgerrors.LockNotAvailable,
                     pgerrors.DeadlockDetected)

MATCH_FIELDS = {"sku": "default_code", "asin": "amazon_vendor_asin", "ean": "barcode"}


class ProductMatcher:
    """Finds products for PO items with one search for the whole batch."""

    def __init__(self, env, company, orders, order_spec):
        self.order = order_spec.split("_")
        skus = {i.vendor_sku for o in orders for i in o.items if i.vendor_sku}
        asins = {i.asin for o in orders for i in o.items if i.asin}
        products = env["product.product"].with_context(active_test=False).search([
            ("company_id", "in", [False, company.id]), "|", "|",
            ("default_code", "in", list(skus)), ("barcode", "in", list(skus)),
            ("amazon_vendor_asin", "in", list(asins))])
        self.index = {key: {} for key in MATCH_FIELDS}
        # An archived product is found only when no active one has the reference (a product
        # made again under the same reference), then proposed as obsolete.
        for product in products.sorted(lambda p: not p.active):
            for key, field in MATCH_FIELDS.items():
                if product[field]:
                    self.index[key].setdefault(product[field], product)

    def match(self, item):
        values = {"sku": item.vendor_sku, "asin": item.asin, "ean": item.vendor_sku}
        for key in self.order:
            product = self.index[key].get(values[key])
            if product:
                return product
        return None


class SaleOrder(models.Model):
    _inherit = "sale.order"

    @api.model
    def _amazon_vendor_create_from_documents(self, documents):
        """Create one draft quotation per purchase order document of one account.

        One batch for speed; when the batch fails, each order is created on its own so that
        one purchase order Odoo cannot take never holds back the others (it is failed on the
        ledger with the reason, and people are alerted: Amazon still expects an answer).
        """
        account = documents.account_id.ensure_one()
        parsed = {}
        for doc in documents:
            try:
                parsed[doc] = parse_purchase_order(doc._get_payload("payload_in"))
            except (PurchaseOrderError, UserError) as exc:
                doc._amazon_vendor_po_failed(str(exc))
        if not parsed:
            return self.browse()
        if not account.partner_id:
            for doc in parsed:
                doc._set_state("failed", error_message=_(
                    "Set the Amazon customer on account %s, then reprocess.", account.name))
            return self.browse()
        try:
            with self.env.cr.savepoint():
                return self._amazon_vendor_create_orders(account, parsed)
        except CONCURRENT_WRITES as exc:
            # Another worker created or updated the same addresses a moment ago: this
            # transaction cannot see its work, the next run will (the documents stay received).
            _logger.info("Amazon Vendor account %s: %s purchase orders left for the next run "
                         "(%s)", account.id, len(parsed), type(exc).__name__)
            return self.browse()
        except Exception as exc:  # noqa: BLE001 - find the order(s) at fault, keep the rest
            _logger.info("Amazon Vendor account %s: batch of %s purchase orders failed (%s), "
                         "retrying one by one", account.id, len(parsed), exc)
        created = self.browse()
        for doc, po in parsed.items():
            try:
                with self.env.cr.savepoint():
                    created |= self._amazon_vendor_create_orders(account, {doc: po})
            except CONCURRENT_WRITES:
                continue  # the next run takes it
            except Exception as exc:  # noqa: BLE001
                doc._amazon_vendor_po_failed(_("Odoo could not create the quotation: %s",
                                               exc))
        return created

    def _amazon_vendor_create_orders(self, account, parsed):
        matcher = ProductMatcher(self.env, account.company_id, parsed.values(),
                                 account.product_match_order)
        partners = self.env["res.partner"]._amazon_vendor_partners_for(
            account, [(po.ship_to, "delivery") for po in parsed.values()]
            + [(po.bill_to, "invoice") for po in parsed.values()])
        incoterms = {i.code: i for i in self.env["account.incoterms"].search([])}
        responsibles = account._amazon_vendor_responsibles([
            (doc, partners[po.ship_to.party_id][0], po.ship_to.party_id)
            for doc, po in parsed.items()])
        values, issues = [], []
        for doc, po in parsed.items():
            order_values, reasons = self._amazon_vendor_order_values(
                account, doc, po, matcher, partners, incoterms,
                responsible=responsibles.get(doc))
            values.append(order_values)
            issues.append(reasons)
        # Amazon's orders and items, created as superuser whoever started the import (people
        # cannot add Amazon items: sale_order_amazon_guard); the orders are returned as theirs
        orders = self.sudo().with_context(mail_create_nolog=True).create(values).sudo(False)
        for order, doc, reasons in zip(orders, parsed, issues, strict=False):
            doc._set_state("processed", res_model="sale.order", res_id=order.id,
                           error_message=False)
            if reasons:
                order._amazon_vendor_report_issues(reasons)
        return orders

    def _amazon_vendor_order_values(self, account, doc, po, matcher, partners, incoterms,
                                    responsible=None):
        """Values of the quotation for ``po``; ``responsible`` (from the account's responsible
        rules) becomes its salesperson and gets its activities."""
        ship_to, created = partners[po.ship_to.party_id]
        bill_to = partners.get(po.bill_to.party_id, (account.partner_id,))[0] \
            if po.bill_to else account.partner_id
        pricelist = account.pricelist_id or account.partner_id.property_product_pricelist
        reasons = []
        if not (ship_to.street and ship_to.city and ship_to.country_id):
            # Amazon often sends the centre's code alone: never guess an address to ship to.
            reasons.append(_(
                "The address of fulfilment centre %(code)s is incomplete (Amazon sent none): "
                "complete the delivery address %(partner)s before shipping.",
                code=po.ship_to.party_id, partner=ship_to.display_name))
        elif created:
            reasons.append(_(
                "Fulfilment centre %(code)s was not known: a delivery address was created from "
                "the purchase order. Check it before shipping.", code=po.ship_to.party_id))
        if pricelist and po.currency and pricelist.currency_id.name != po.currency:
            reasons.append(_(
                "The purchase order is in %(po)s but the pricelist %(pricelist)s is in "
                "%(currency)s.", po=po.currency, pricelist=pricelist.display_name,
                currency=pricelist.currency_id.name))
        window = po.window
        if window and window[1] < fields.Datetime.now():
            reasons.append(_("The %(kind)s window ended on %(end)s: ask Amazon to extend it or "
                             "reject the order.",
                             kind=_("ship") if po.ship_window else _("delivery"),
                             end=fields.Datetime.to_string(window[1])))
        lines = []
        for item in po.items:
            if item.duplicate:
                # Amazon's order names this item sequence twice: one acknowledgement per item,
                # so only the first is kept; the repeat is shown, never shipped nor confirmed.
                text = _("Amazon item %(seq)s appears more than once on this purchase order "
                         "(ASIN %(asin)s, SKU %(sku)s, %(qty)s units): only the first is "
                         "acknowledged and shipped. Ask Amazon to correct the order.",
                         seq=item.sequence, asin=item.asin or "-", sku=item.vendor_sku or "-",
                         qty=item.quantity_eaches)
                lines.append(Command.create({"display_type": "line_note", "name": text}))
                reasons.append(text)
                continue
            line, line_reasons = self._amazon_vendor_line_values(account, item, matcher)
            lines.append(Command.create(line))
            reasons += line_reasons
        if not po.items:
            reasons.append(_(
                "Amazon sent this purchase order without items: there is nothing to acknowledge "
                "or ship. Ask Amazon (Vendor Central) for the items; the quotation follows when "
                "Amazon changes the purchase order."))
        values = {
            "partner_id": account.partner_id.id,
            "partner_invoice_id": bill_to.id,
            "partner_shipping_id": ship_to.id,
            "company_id": account.company_id.id,
            "client_order_ref": po.number,
            "origin": _("Amazon PO %s", po.number),
            "date_order": po.order_date or fields.Datetime.now(),
            "commitment_date": window and window[0],
            "amazon_vendor_account_id": account.id,
            "amazon_vendor_document_id": doc.id,
            "amazon_vendor_po_number": po.number,
            "amazon_vendor_po_date": po.order_date,
            "amazon_vendor_po_state": po.state,
            "amazon_vendor_order_type": po.order_type,
            "amazon_vendor_payment_method": po.payment_method,
            "amazon_vendor_deal_code": po.deal_code,
            "amazon_vendor_import_details": json.dumps(po.import_details, indent=1)
            if po.import_details else False,
            "amazon_vendor_vendor_code": po.selling_party.party_id,
            "amazon_vendor_ship_to_code": po.ship_to.party_id,
            "amazon_vendor_bill_to_id": bill_to.id if po.bill_to else False,
            "amazon_vendor_window_start": window and window[0],
            "amazon_vendor_window_end": window and window[1],
            "amazon_vendor_window_kind": window and ("ship" if po.ship_window else "delivery"),
            # Nothing to acknowledge without items: not shown as waiting for a decision.
            "amazon_vendor_ack_state": "to_acknowledge" if po.items else False,
            "amazon_vendor_issues": "\n".join(reasons) or False,
            "order_line": lines,
        }
        if responsible:
            values["user_id"] = responsible.id
        if not po.items:
            user = responsible or account.responsible_user_id or self.env.user
            values["activity_ids"] = [Command.create({
                "res_model_id": self.env["ir.model"]._get_id("sale.order"),
                "activity_type_id": self.env.ref("mail.mail_activity_data_todo").id,
                "user_id": user.id,
                "summary": _("Amazon PO %s arrived without items", po.number),
                "note": account._amazon_vendor_html(_(
                    "Ask Amazon for the items of purchase order %s; nothing can be "
                    "acknowledged until they arrive.", po.number)),
            })]
        if pricelist:
            values["pricelist_id"] = pricelist.id
        if account.warehouse_id:
            values["warehouse_id"] = account.warehouse_id.id
        if account.sale_team_id:
            values["team_id"] = account.sale_team_id.id
        if po.incoterms and INCOTERMS.get(po.incoterms) in incoterms:
            values["incoterm"] = incoterms[INCOTERMS[po.incoterms]].id
        return values, reasons

    def _amazon_vendor_line_values(self, account, item, matcher):
        product = matcher.match(item)
        amazon = {
            "amazon_vendor_item_sequence": item.sequence,
            "amazon_vendor_asin": item.asin,
            "amazon_vendor_vendor_sku": item.vendor_sku,
            "amazon_vendor_ordered_qty": item.quantity_eaches,
            "amazon_vendor_uom": item.unit_of_measure,
            "amazon_vendor_unit_size": item.unit_size,
            "amazon_vendor_cost_unit": item.cost_unit or False,
            "amazon_vendor_net_cost": float(item.net_cost or 0),
            # Exactly as Amazon sent it: acknowledged and invoiced costs must equal it.
            "amazon_vendor_net_cost_text": format(item.net_cost, "f")
            if item.net_cost is not None else False,
            "amazon_vendor_list_price": float(item.list_price or 0),
            "amazon_vendor_backorder_allowed": item.backorder_allowed,
        }
        label = _("Amazon item %(seq)s (ASIN %(asin)s, SKU %(sku)s)", seq=item.sequence,
                  asin=item.asin or "-", sku=item.vendor_sku or "-")
        if not product:
            return dict(amazon, display_type="line_note", amazon_vendor_unmatched=True, name=_(
                "%(label)s: no product matches. %(qty)s units at %(cost)s %(currency)s. Map the "
                "product (internal reference, ASIN or barcode), then press Reprocess.",
                label=label, qty=item.quantity_eaches, cost=item.net_cost,
                currency=item.currency)), [_("%s: no product matches.", label)]
        reasons = []
        agreed = product.amazon_vendor_net_cost
        if agreed and item.net_cost is not None:
            # Decimals, never floats: Amazon's cost is compared exactly as it was sent.
            agreed_cost = Decimal(str(agreed))
            allowed = agreed_cost * Decimal(str(account.price_tolerance)) / 100
            digits = self.env["sale.order.line"]._amazon_vendor_price_digits()
            if decimals_of(item.net_cost) > digits:
                # The agreed cost is held at Odoo's price precision: only a difference beyond
                # its rounding is a different cost (the precision itself is flagged below).
                allowed += Decimal(1).scaleb(-digits) / 2
            if abs(item.net_cost - agreed_cost) > allowed:
                reasons.append(_(
                    "%(label)s: Amazon's net cost %(cost)s differs from the agreed cost "
                    "%(agreed)s.", label=label, cost=item.net_cost, agreed=agreed))
        if item.unit_of_measure == "Cases":
            case_size = product.product_tmpl_id._amazon_vendor_case_size()
            if float_compare(case_size, item.unit_size, 0) != 0:
                reasons.append(_(
                    "%(label)s: Amazon orders cases of %(size)s but the product's packaging "
                    "holds %(case)s.", label=label, size=item.unit_size, case=case_size))
        if item.cost_unit:
            reasons.append(_(
                "%(label)s: Amazon prices it per %(unit)s, Odoo per unit: the acknowledgement "
                "confirms the cost per %(unit)s, but invoice this item in Vendor Central (Odoo "
                "does not invoice by weight).", label=label, unit=item.cost_unit))
        if item.cancelled:
            reasons.append(_("%s was cancelled by Amazon.", label))
        precision = self.env["sale.order.line"]._amazon_vendor_precision_problem(
            item.net_cost, label)
        if precision:
            reasons.append(precision + " " + _("Then press Reprocess."))
        return dict(amazon, product_id=product.id, product_uom_qty=item.quantity_eaches,
                    price_unit=float(item.net_cost or 0)), reasons

    def _amazon_vendor_report_issues(self, reasons):
        """Chatter summary and, for unmatched lines, an activity for the responsible user."""
        self.ensure_one()
        items = Markup("").join(Markup("<li>%s</li>") % reason for reason in reasons)
        self.message_post(body=Markup("%s<ul>%s</ul>") % (
            _("This Amazon purchase order needs attention:"), items))
        if self.amazon_vendor_unmatched_count:
            user = self.amazon_vendor_account_id._amazon_vendor_responsible_of(self) \
                or self.env.user
            self.activity_schedule(
                "mail.mail_activity_data_todo", user_id=user.id,
                summary=_("Map %s Amazon item(s) to products", self.amazon_vendor_unmatched_count),
                note=_("Map the products, then press Reprocess on the order."))

    def action_amazon_vendor_reprocess(self):
        """Rebuild an unconfirmed Amazon quotation from its purchase order (after mapping)."""
        for order in self.filtered(lambda o: o.amazon_vendor_document_id
                                   and o.state in ("draft", "sent")):
            doc = order.amazon_vendor_document_id
            order.order_line.unlink()
            po = parse_purchase_order(doc._get_payload("payload_in"))
            matcher = ProductMatcher(self.env, order.company_id, [po],
                                     order.amazon_vendor_account_id.product_match_order)
            partners = self.env["res.partner"]._amazon_vendor_partners_for(
                order.amazon_vendor_account_id, [(po.ship_to, "delivery"), (po.bill_to, "invoice")])
            incoterms = {i.code: i for i in self.env["account.incoterms"].search([])}
            values, reasons = self._amazon_vendor_order_values(
                order.amazon_vendor_account_id, doc, po, matcher, partners, incoterms)
            keep = ("order_line", "amazon_vendor_issues", "amazon_vendor_po_state",
                    "commitment_date", "amazon_vendor_window_start", "amazon_vendor_window_end",
                    "amazon_vendor_window_kind", "partner_shipping_id",
                    "amazon_vendor_ship_to_code")
            if order.amazon_vendor_ack_state in (False, "to_acknowledge", "to_approve"):
                # An approval covers the decisions a manager saw: the rebuilt lines need a new
                # one. A refused acknowledgement stays visible as such.
                keep += ("amazon_vendor_ack_state",)
                values["amazon_vendor_ack_approved"] = False
                keep += ("amazon_vendor_ack_approved",)
            lines = values.pop("order_line")
            order.write({k: v for k, v in values.items() if k in keep})
            order.sudo().write({"order_line": lines})  # Amazon's items: see the import
            order.message_post(body=_("Rebuilt from Amazon purchase order %s.", po.number))
            if po.items and not order.amazon_vendor_unmatched_count:
                order.activity_unlink(["mail.mail_activity_data_todo"])
        return True
